FROM golang:1.22-alpine AS tools
ENV GOBIN=/tools
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go install golang.org/x/tools/cmd/goimports@v0.20.0 && \
    go install mvdan.cc/gofumpt@v0.6.0 && \
    go install github.com/google/addlicense@v1.1.1

FROM alpine:3.20
COPY --from=tools /tools/ /usr/local/bin/
WORKDIR /work/
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["goimports -l . && gofumpt -l ."]
