# syntax=docker/dockerfile:1-labs
FROM ubuntu:22.04 AS sandbox
RUN --security=insecure mount -t tmpfs none /mnt && echo ok
RUN --security=sandbox echo "explicit sandbox"
RUN --security=insecure --network=host \
    apt-get update && apt-get install -y kmod
