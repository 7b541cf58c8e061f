FROM scratch AS config
COPY config/ /

FROM scratch AS binaries
COPY --from=ghcr.io/acme/tools:1.0 /usr/local/bin/ /bin/

FROM alpine:3.20
COPY --from=config / /etc/app/
COPY --from=binaries /bin/ /usr/local/bin/
RUN --mount=from=config,target=/cfg ls /cfg
