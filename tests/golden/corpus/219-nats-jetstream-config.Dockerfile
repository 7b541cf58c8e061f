FROM nats:2.10-alpine
COPY <<EOF /etc/nats/nats-server.conf
port: 4222
monitor_port: 8222
jetstream {
  store_dir: /data/jetstream
  max_mem: 1G
}
EOF
VOLUME /data
EXPOSE 4222 6222 8222
CMD ["-c", "/etc/nats/nats-server.conf"]
