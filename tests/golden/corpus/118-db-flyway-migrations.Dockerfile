FROM flyway/flyway:10-alpine
COPY sql/ /flyway/sql/
COPY conf/flyway.toml /flyway/conf/
ENTRYPOINT ["flyway"]
CMD ["-connectRetries=60", "migrate"]
