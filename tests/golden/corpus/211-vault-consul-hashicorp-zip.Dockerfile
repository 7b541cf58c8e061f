FROM alpine:3.20 AS fetch
ARG VAULT_VERSION=1.16.3
ARG CONSUL_VERSION=1.18.2
RUN apk add --no-cache unzip
ADD https://releases.hashicorp.com/vault/${VAULT_VERSION}/vault_${VAULT_VERSION}_linux_amd64.zip /tmp/
ADD https://releases.hashicorp.com/consul/${CONSUL_VERSION}/consul_${CONSUL_VERSION}_linux_amd64.zip /tmp/
RUN cd /tmp && for z in *.zip; do unzip -o "$z" -d /out; done

FROM alpine:3.20
RUN apk add --no-cache ca-certificates libcap su-exec dumb-init
COPY --from=fetch /out/vault /out/consul /bin/
RUN setcap cap_ipc_lock=+ep /bin/vault
VOLUME /vault/file /vault/logs
EXPOSE 8200 8500 8600/udp
ENTRYPOINT ["dumb-init", "--"]
CMD ["vault", "server", "-dev", "-dev-listen-address=0.0.0.0:8200"]
