FROM golang:1.22
WORKDIR /build
COPY go.* ./
RUN --mount=type=secret,id=netrc,target=/root/.netrc,mode=0600 \
    --mount=type=cache,target=/go/pkg/mod,sharing=locked \
    GOFLAGS=-mod=mod go mod download
COPY . .
RUN --mount=type=secret,id=netrc,dst=/root/.netrc \
    go build ./...
