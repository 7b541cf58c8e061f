FROM minio/mc:RELEASE.2024-05-24T09-08-49Z AS mc
FROM minio/minio:RELEASE.2024-05-28T17-19-04Z
COPY --from=mc /usr/bin/mc /usr/bin/mc
COPY --chmod=0755 <<'EOF' /usr/local/bin/init-buckets.sh
#!/bin/sh
mc alias set local http://127.0.0.1:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing local/uploads
EOF
ENV MINIO_ROOT_USER=minioadmin
CMD ["server", "/data", "--console-address", ":9001"]
