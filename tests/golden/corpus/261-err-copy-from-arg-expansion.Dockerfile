ARG FLAVOR=alpine
FROM alpine:3.20 AS build-alpine
RUN echo alpine > /flavor

FROM debian:bookworm-slim AS build-debian
RUN echo debian > /flavor

FROM build-${FLAVOR} AS chosen

FROM busybox
ARG FLAVOR
COPY --from=chosen /flavor /flavor
COPY --from=build-${FLAVOR} /flavor /flavor2
RUN --mount=type=bind,from=build-debian,target=/deb cat /deb/flavor
