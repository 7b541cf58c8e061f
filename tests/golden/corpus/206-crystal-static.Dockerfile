FROM crystallang/crystal:1.12-alpine AS build
WORKDIR /src
COPY shard.yml shard.lock ./
RUN shards install --production
COPY . .
RUN crystal build --release --static --no-debug src/server.cr -o /server
FROM scratch
COPY --from=build /server /server
EXPOSE 3000
ENTRYPOINT ["/server"]
