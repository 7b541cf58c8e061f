# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN --mount=type=bind,from=golang:1.22@sha256:177df3668a5c5f5486e084c3c1e7d75575beb62e7e3fc8e1a8b1fae443dc407d,source=/usr/local/go,target=/usr/local/go \
    /usr/local/go/bin/go version
RUN --mount=type=cache,target=/root/.cache,from=alpine:3.20,source=/etc \
    ls /root/.cache
