# syntax=docker/dockerfile:1.4
FROM golang:1.20-alpine AS deps
RUN apk add --no-cache git openssh-client
RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts
ENV GOPRIVATE=github.com/acme-corp/*
RUN git config --global url."git@github.com:".insteadOf "https://github.com/"
WORKDIR /app
COPY go.mod go.sum ./
RUN --mount=type=ssh --mount=type=cache,target=/go/pkg/mod go mod download

FROM deps AS builder
COPY . .
RUN --mount=type=ssh,id=github,required=true \
    --mount=type=cache,target=/go/pkg/mod \
    go build -o /app/bin/svc ./...

FROM alpine:3.19
COPY --from=builder /app/bin/svc /usr/local/bin/svc
CMD svc serve --addr :9000
