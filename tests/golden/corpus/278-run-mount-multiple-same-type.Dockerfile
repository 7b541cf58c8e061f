FROM rust:1.78 AS deps
WORKDIR /w
RUN --mount=type=bind,source=Cargo.toml,target=Cargo.toml \
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \
    --mount=type=bind,source=crates/a/Cargo.toml,target=crates/a/Cargo.toml \
    --mount=type=bind,source=crates/b/Cargo.toml,target=crates/b/Cargo.toml \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    --mount=type=cache,target=/usr/local/cargo/registry/ \
    --mount=type=secret,id=cargo_token,env=CARGO_REGISTRIES_PRIVATE_TOKEN \
    --mount=type=ssh \
    cargo fetch --locked
