FROM postgres:16.3-bookworm
ARG PGVECTOR_VERSION=0.7.0
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential git postgresql-server-dev-16 && \
    git clone --branch v${PGVECTOR_VERSION} https://github.com/pgvector/pgvector.git /tmp/pgvector && \
    cd /tmp/pgvector && make && make install && \
    apt-get remove -y build-essential git postgresql-server-dev-16 && apt-get autoremove -y && \
    rm -rf /tmp/pgvector /var/lib/apt/lists/*
COPY --chmod=0755 initdb/*.sh /docker-entrypoint-initdb.d/
COPY initdb/*.sql /docker-entrypoint-initdb.d/
ENV POSTGRES_DB=app POSTGRES_USER=app
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB"
