ARG GO_VERSION=1.22.3
ARG GOLANGCI_LINT_VERSION=v1.59.0
FROM golang:${GO_VERSION}-alpine AS golang
FROM golangci/golangci-lint:${GOLANGCI_LINT_VERSION}-alpine AS golangci-lint

FROM golang AS lint
COPY --from=golangci-lint /usr/bin/golangci-lint /usr/bin/golangci-lint
WORKDIR /go/src/app
RUN --mount=target=. \
    --mount=target=/root/.cache,type=cache,id=lint-cache \
    golangci-lint run --timeout 10m

FROM golang AS test
WORKDIR /go/src/app
RUN --mount=target=. \
    --mount=type=cache,target=/root/.cache/go-build \
    go test -race -coverprofile=/tmp/coverage.txt ./... && cp /tmp/coverage.txt /coverage.txt

FROM scratch AS test-coverage
COPY --from=test /coverage.txt /coverage.txt
