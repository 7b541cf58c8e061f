ARG ALPINE=alpine:3.20.0@sha256:a7d4237c0aa2a5017f6a67cd95c71ce91893730ae3511e58e1ef852386dfbdad
FROM golang:1.22.4-alpine3.20@sha256:2fb432cf25da5bfef2fd4c62c616e513358ae0d852f6e364a6a0ac5b2f0bbd08 AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM ${ALPINE}
COPY --from=build /app /app
COPY --from=docker.io/library/busybox@sha256:52c42d2be4e6691fe47c265e3df9e4e6da44a0390a3a5f5ebb90798f5b2c1ac9 /bin/busybox /bin/
ENTRYPOINT ["/app"]
