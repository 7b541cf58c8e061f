FROM scratch AS certs
ADD https://curl.se/ca/cacert.pem /etc/ssl/certs/ca-certificates.crt

FROM scratch
COPY --from=certs /etc/ssl/certs/ /etc/ssl/certs/
COPY rootfs/ /
COPY --chown=0:0 bin/app /bin/app
ENV PATH=/bin
WORKDIR /data
USER 65534:65534
ENTRYPOINT ["/bin/app"]
