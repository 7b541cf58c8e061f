FROM alpine
COPY --chmod=999 entrypoint.sh /
