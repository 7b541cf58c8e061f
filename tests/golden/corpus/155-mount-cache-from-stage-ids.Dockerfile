FROM alpine AS seed
RUN mkdir -p /seed && echo warm > /seed/marker

FROM debian:bookworm
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked,id=apt-cache \
    --mount=type=cache,target=/var/lib/apt,sharing=locked,id=apt-lib \
    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y make
RUN --mount=type=cache,target=/cache,from=seed,source=/seed \
    cat /cache/marker
RUN --mount=type=cache,target=/data/,mode=0777,uid=1000,gid=1000,sharing=private \
    touch /data/x
RUN --mount=type=cache,id=shared-$TARGETARCH,target=/ccache ls /ccache
RUN --mount=type=cache,target=/ro,readonly ls /ro
