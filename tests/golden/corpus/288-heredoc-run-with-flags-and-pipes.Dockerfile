# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
ARG PACKAGES="curl ca-certificates"
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked <<EOF
set -e
rm -f /etc/apt/apt.conf.d/docker-clean
apt-get update
apt-get install -y --no-install-recommends ${PACKAGES}
EOF
RUN <<EOF | tee /tmp/log
echo piped heredoc
EOF
