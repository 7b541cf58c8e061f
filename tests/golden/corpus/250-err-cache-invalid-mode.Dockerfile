FROM alpine
RUN --mount=type=cache,target=/c,mode=rwx ls
