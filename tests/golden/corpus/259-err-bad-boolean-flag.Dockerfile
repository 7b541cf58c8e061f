FROM alpine:3.20
COPY --link=yes app /usr/local/bin/app
