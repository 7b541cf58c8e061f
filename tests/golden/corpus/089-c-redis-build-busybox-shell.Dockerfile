FROM alpine:3.20 AS build
RUN apk add --no-cache build-base linux-headers openssl-dev
ARG REDIS_VERSION=7.2.5
ADD --checksum=sha256:22abb4d75c5129d1ff81655b2dc15ed9735a986e2c1329898eb5dfa9566634b2 \
    http://download.redis.io/releases/redis-${REDIS_VERSION}.tar.gz /usr/src/redis.tar.gz
RUN mkdir -p /usr/src/redis && tar -xzf /usr/src/redis.tar.gz -C /usr/src/redis --strip-components=1 && \
    make -C /usr/src/redis -j "$(nproc)" BUILD_TLS=yes MALLOC=libc && \
    make -C /usr/src/redis install PREFIX=/opt/redis

FROM busybox:1.36-musl
COPY --from=build /opt/redis/bin/ /usr/local/bin/
COPY --from=build /lib/ld-musl-x86_64.so.1 /lib/
SHELL ["/bin/sh", "-eu", "-c"]
RUN mkdir -p /data && chown 999:999 /data
VOLUME /data
WORKDIR /data
USER 999
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no"]
