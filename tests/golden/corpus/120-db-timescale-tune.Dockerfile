FROM timescale/timescaledb-ha:pg16
USER root
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-16-cron && rm -rf /var/lib/apt/lists/*
USER postgres
COPY --chown=postgres:postgres postgresql.conf.tmpl /home/postgres/
RUN echo "shared_preload_libraries = 'timescaledb,pg_cron'" >> /home/postgres/postgresql.conf.tmpl
