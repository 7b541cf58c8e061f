# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo never closed
eof
