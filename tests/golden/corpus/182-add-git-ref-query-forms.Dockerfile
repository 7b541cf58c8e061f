# syntax=docker/dockerfile:1
FROM alpine
ADD https://github.com/moby/buildkit.git?ref=v0.14.0 /src/buildkit
ADD https://github.com/moby/moby.git?ref=v26.1.0&subdir=contrib /src/contrib
ADD https://github.com/docker/cli.git?tag=v26.1.0&keep-git-dir=true /src/cli
ADD https://github.com/containerd/containerd.git?branch=release/1.7 /src/containerd
