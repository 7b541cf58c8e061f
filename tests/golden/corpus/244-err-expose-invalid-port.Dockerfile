FROM alpine
EXPOSE 80-abc/tcp
