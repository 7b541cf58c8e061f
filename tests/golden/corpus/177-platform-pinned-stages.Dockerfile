FROM --platform=linux/amd64 ubuntu:22.04 AS amd64-tools
RUN apt-get update && apt-get install -y qemu-user-static

FROM --platform=linux/arm64/v8 arm64v8/alpine:3.20 AS arm
RUN uname -m > /arch

FROM --platform=$TARGETPLATFORM alpine:3.20 AS target
COPY --from=arm /arch /arm-arch
COPY --from=amd64-tools /usr/bin/qemu-aarch64-static /usr/bin/
