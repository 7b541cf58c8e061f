# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --network=default apk add --no-cache curl
RUN --network=none echo "offline step" > /offline
RUN --network=host curl -fsS http://localhost:8080/ready || true
RUN --network=none --mount=type=cache,target=/var/cache/apk ls /var/cache/apk
