FROM alpine
RUN --mount=type=cache,id=nocache ls
