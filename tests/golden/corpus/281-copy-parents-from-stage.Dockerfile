# syntax=docker/dockerfile:1.7-labs
FROM alpine AS gen
RUN mkdir -p /out/api/v1 /out/api/v2 && touch /out/api/v1/a.pb.go /out/api/v2/b.pb.go /out/api/v2/skip.txt

FROM golang:1.22
WORKDIR /src
COPY --from=gen --parents /out/./api/**/*.pb.go ./
COPY --from=gen --exclude=*.txt /out/api/ ./api-copy/
COPY --parents --chown=1000:1000 cmd/*/main.go ./
