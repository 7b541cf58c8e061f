FROM prom/memcached-exporter:v0.14.3 AS exporter
FROM memcached:1.6-alpine
USER root
COPY --from=exporter /bin/memcached_exporter /usr/local/bin/
RUN apk add --no-cache supervisor
COPY supervisord.conf /etc/supervisord.conf
USER memcache
EXPOSE 11211 9150
CMD ["supervisord", "-c", "/etc/supervisord.conf"]
