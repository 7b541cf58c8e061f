# syntax=docker/dockerfile:1.7-labs
FROM golang:1.22 AS build
WORKDIR /ws
COPY go.work go.work.sum ./
COPY --parents ./services/*/go.mod ./services/*/go.sum ./
COPY --parents libs/**/go.mod ./
RUN go work sync
COPY . .
RUN go build -o /out/ ./services/...

FROM gcr.io/distroless/base-debian12
COPY --from=build /out/ /usr/local/bin/
