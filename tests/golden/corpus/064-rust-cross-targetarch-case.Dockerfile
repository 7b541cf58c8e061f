FROM --platform=$BUILDPLATFORM rust:1.78-bookworm AS cross
ARG TARGETARCH
RUN case "$TARGETARCH" in \
      amd64) echo x86_64-unknown-linux-gnu > /target ;; \
      arm64) echo aarch64-unknown-linux-gnu > /target ;; \
      *) echo "unsupported $TARGETARCH" && exit 1 ;; \
    esac
RUN rustup target add $(cat /target)
RUN dpkg --add-architecture ${TARGETARCH} && apt-get update && \
    apt-get install -y gcc-aarch64-linux-gnu libc6-dev-${TARGETARCH}-cross
WORKDIR /build
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry,id=cargo-registry-${TARGETARCH} \
    --mount=type=cache,target=/build/target,id=target-${TARGETARCH} \
    cargo build --release --target $(cat /target) && \
    cp target/$(cat /target)/release/tool /tool

FROM --platform=$TARGETPLATFORM debian:bookworm-slim
COPY --from=cross /tool /usr/local/bin/tool
CMD ["tool"]
