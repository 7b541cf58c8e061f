FROM goreleaser/goreleaser:v1.25.1@sha256:77f451468000d40f4e8ebf231f7fbc4ede7fac2ce76d532d507eb8590721da23 AS goreleaser
FROM golang:1.22
COPY --from=goreleaser /usr/bin/goreleaser /usr/bin/goreleaser
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      git \
      make \
      # needed for cosign signing
      gnupg \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /go/src/project
ENTRYPOINT ["goreleaser"]
CMD ["release", "--clean"]
