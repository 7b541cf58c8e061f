FROM --platform=${BUILDPLATFORM:-linux/amd64} golang:1.22 AS builder
ARG TARGETOS
ARG TARGETARCH
ARG LDFLAGS="-s -w"
WORKDIR /workspace
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY cmd/ cmd/
COPY api/ api/
COPY internal/ internal/
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} \
    go build -ldflags="${LDFLAGS}" -a -o manager cmd/main.go

FROM gcr.io/distroless/static:nonroot@sha256:cfad39bcb88740482e3625bd62b65e63095cc0a55c8e4cf6eba404abf0159d05
WORKDIR /
COPY --from=builder /workspace/manager .
USER 65532:65532
ENTRYPOINT ["/manager"]
