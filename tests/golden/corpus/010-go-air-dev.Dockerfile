FROM golang:1.22-alpine AS dev
RUN go install github.com/air-verse/air@latest
WORKDIR /app
ENV GO111MODULE=on \
    CGO_ENABLED=0
COPY go.mod go.sum ./
RUN go mod download
CMD ["air", "-c", ".air.toml"]

FROM dev AS prod-build
COPY . .
RUN go build -o /app/main .

FROM alpine:latest AS prod
RUN apk --no-cache add ca-certificates
WORKDIR /root/
COPY --from=prod-build /app/main .
EXPOSE 8080/tcp 9090/udp
CMD ["./main"]
