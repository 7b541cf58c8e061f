FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /app .
COPY --from=0 /app /usr/local/bin/app

FROM alpine
COPY --from=0 /app /app
