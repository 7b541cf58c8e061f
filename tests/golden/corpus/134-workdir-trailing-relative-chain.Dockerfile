FROM alpine:3.20
WORKDIR /opt/
WORKDIR app/
WORKDIR ./src//
RUN pwd > /where
WORKDIR ..
COPY config.yml ./conf/
WORKDIR /var/lib/service/
COPY --chown=1000 data/ .
WORKDIR /
CMD ["cat", "/where"]
