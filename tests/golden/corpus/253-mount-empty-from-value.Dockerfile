FROM alpine
RUN --mount=type=bind,source=/etc,target=/mnt,from= true
