# syntax=docker/dockerfile:1.6
FROM golang:1.22 AS build
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=bind,target=. <<EOT
  set -e
  go mod download
  go build -o /out/app ./cmd/app
EOT
RUN --network=none <<EOT sh -x
  test -x /out/app
  /out/app --version
EOT
