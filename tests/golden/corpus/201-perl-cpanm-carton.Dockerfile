FROM perl:5.38-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libssl-dev zlib1g-dev && rm -rf /var/lib/apt/lists/*
RUN cpanm --notest Carton
WORKDIR /app
COPY cpanfile cpanfile.snapshot ./
RUN --mount=type=cache,target=/root/.cpanm carton install --deployment

FROM perl:5.38-slim
WORKDIR /app
COPY --from=deps /app/local ./local
COPY . .
ENV PERL5LIB=/app/local/lib/perl5
CMD ["perl", "-Ilib", "script/app", "daemon", "-l", "http://*:3000"]
