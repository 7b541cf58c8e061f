# syntax=docker/dockerfile:1.5
FROM alpine:3.20
COPY --chmod=0755 <<'EOF' /usr/local/bin/entrypoint.sh
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then
  set -- app "$@"
fi
exec "$@"
EOF
COPY --chown=1000:1000 --chmod=600 <<EOF /home/app/.config/app.toml
[server]
port = ${PORT:-8080}
path = "C:\\Program Files\\App"
EOF
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["app", "--serve"]
