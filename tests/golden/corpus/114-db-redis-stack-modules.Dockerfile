FROM redis/redis-stack-server:7.2.0-v10 AS stack
FROM redis:7.2-bookworm
COPY --from=stack /opt/redis-stack/lib/rejson.so /usr/lib/redis/modules/
COPY --from=stack /opt/redis-stack/lib/redisearch.so /usr/lib/redis/modules/
CMD ["redis-server", "--loadmodule", "/usr/lib/redis/modules/rejson.so", "--loadmodule", "/usr/lib/redis/modules/redisearch.so"]
