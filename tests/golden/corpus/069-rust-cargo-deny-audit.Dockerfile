FROM rust:1.78 AS checks
RUN cargo install cargo-deny cargo-audit --locked
WORKDIR /src
COPY . .
RUN cargo deny check licenses bans sources \
 && cargo audit --deny warnings \
 && cargo clippy --all-targets -- -D warnings \
 && cargo fmt --check
