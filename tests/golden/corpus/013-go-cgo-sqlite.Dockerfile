FROM golang:1.22-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev gcc
WORKDIR /src
COPY . ./
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -tags "sqlite_omit_load_extension netgo" -o /usr/local/bin/app .

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y libsqlite3-0 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/app /usr/local/bin/app
VOLUME /data
ENV DATA_DIR=/data
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/app", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/app"]
