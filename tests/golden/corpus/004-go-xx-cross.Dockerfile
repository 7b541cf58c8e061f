# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.4.0@sha256:f8ae036d1fbf1452a60279a98b89fe3777fee5cafa918fbb4587ad7361ee8434 AS xx
FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS base
COPY --from=xx / /
RUN apk add --no-cache clang lld git file
WORKDIR /src

FROM base AS build
ARG TARGETPLATFORM
RUN xx-apk add musl-dev gcc
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/root/.cache \
    --mount=type=cache,target=/go/pkg/mod \
    CGO_ENABLED=1 xx-go build -o /usr/bin/app ./cmd/app && \
    xx-verify /usr/bin/app

FROM alpine AS release
COPY --from=build /usr/bin/app /usr/bin/app
ENTRYPOINT ["app"]
