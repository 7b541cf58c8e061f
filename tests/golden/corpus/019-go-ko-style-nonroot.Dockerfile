FROM cgr.dev/chainguard/go:latest AS build
WORKDIR /work
COPY --link go.mod go.sum /work/
RUN go mod download
COPY --link . /work
RUN CGO_ENABLED=0 go build -o hello ./cmd/hello

FROM cgr.dev/chainguard/static:latest@sha256:be2850ae509c9604fc076a0c713123c5f9a7f1c1fbac4c1132fe41ea9c4a9198
COPY --link --from=build --chmod=0755 /work/hello /hello
USER nonroot:nonroot
ENTRYPOINT ["/hello"]
