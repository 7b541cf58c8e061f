FROM alpine AS assets
RUN mkdir -p /assets && echo "asset" > /assets/a.txt

FROM alpine AS consumer
RUN --mount=type=bind,from=assets,source=/assets,target=/mnt/assets \
    cp /mnt/assets/a.txt /a.txt
RUN --mount=type=bind,from=assets,source=/assets/,target=/mnt/rw/,rw \
    echo modified >> /mnt/rw/a.txt && cat /mnt/rw/a.txt
RUN --mount=type=bind,source=./patches,target=/patches \
    --mount=type=bind,source=.,target=/ctx,readonly \
    ls /patches /ctx
RUN --mount=from=busybox:1.36,src=/bin/busybox,dst=/usr/local/bin/busybox busybox true
