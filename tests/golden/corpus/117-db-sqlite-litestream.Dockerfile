FROM golang:1.22 AS app
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 go build -o /app ./cmd/app

FROM debian:bookworm-slim
ADD https://github.com/benbjohnson/litestream/releases/download/v0.3.13/litestream-v0.3.13-linux-amd64.tar.gz /tmp/litestream.tar.gz
RUN tar -C /usr/local/bin -xzf /tmp/litestream.tar.gz
COPY --from=app /app /usr/local/bin/app
COPY litestream.yml /etc/litestream.yml
COPY --chmod=755 <<EOF /usr/local/bin/run.sh
#!/bin/sh
set -e
litestream restore -if-db-not-exists -if-replica-exists /data/db.sqlite
exec litestream replicate -exec "/usr/local/bin/app -db /data/db.sqlite"
EOF
CMD ["/usr/local/bin/run.sh"]
