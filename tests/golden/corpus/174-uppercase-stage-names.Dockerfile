FROM golang:1.22 AS Builder
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM alpine AS RUNTIME
COPY --from=builder /app /app

FROM runtime AS Debug
COPY --from=BUILDER /usr/local/go/bin/go /usr/local/bin/go
