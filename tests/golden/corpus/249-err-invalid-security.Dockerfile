FROM alpine
RUN --security=privileged id
