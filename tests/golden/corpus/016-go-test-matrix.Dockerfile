ARG GO_VERSION=1.21
FROM golang:${GO_VERSION} AS base
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download

FROM base AS unit
RUN --mount=target=. --mount=type=cache,target=/root/.cache/go-build \
    go test -short ./...

FROM base AS integration
ENV DB_HOST=postgres DB_PORT=5432
RUN --mount=target=. --mount=type=cache,target=/root/.cache/go-build \
    --network=none \
    go test -tags integration -run Integration ./...

FROM base AS vet
RUN --mount=target=. go vet ./...
