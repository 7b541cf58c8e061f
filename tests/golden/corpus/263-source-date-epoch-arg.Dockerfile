FROM debian:bookworm-slim
ARG SOURCE_DATE_EPOCH
ARG BUILD_ID=local
RUN echo "epoch=${SOURCE_DATE_EPOCH:-0} id=${BUILD_ID}" > /build-info \
 && touch -d "@${SOURCE_DATE_EPOCH:-0}" /build-info
LABEL org.opencontainers.image.created=${SOURCE_DATE_EPOCH}
