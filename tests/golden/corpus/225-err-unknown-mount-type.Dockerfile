FROM alpine
RUN --mount=type=volume,target=/data ls /data
