FROM rust:1.78-slim AS builder
WORKDIR /ws
COPY Cargo.toml Cargo.lock ./
COPY crates crates
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/ws/target \
    cargo build --release --workspace && \
    mkdir -p /out && \
    cp target/release/api target/release/worker target/release/migrate /out/

FROM gcr.io/distroless/cc-debian12 AS api
COPY --from=builder /out/api /
ENTRYPOINT ["/api"]

FROM gcr.io/distroless/cc-debian12 AS worker
COPY --from=builder /out/worker /
ENTRYPOINT ["/worker"]

FROM gcr.io/distroless/cc-debian12 AS migrate
COPY --from=builder /out/migrate /
ENTRYPOINT ["/migrate"]
