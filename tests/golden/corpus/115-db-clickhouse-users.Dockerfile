FROM clickhouse/clickhouse-server:24.5
COPY --chown=clickhouse:clickhouse config.d/ /etc/clickhouse-server/config.d/
COPY --chown=clickhouse:clickhouse users.d/ /etc/clickhouse-server/users.d/
ENV CLICKHOUSE_DB=analytics CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT=1
EXPOSE 8123 9000 9009
