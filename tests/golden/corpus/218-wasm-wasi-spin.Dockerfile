FROM --platform=$BUILDPLATFORM rust:1.78 AS build
RUN rustup target add wasm32-wasi
WORKDIR /app
COPY . .
RUN cargo build --target wasm32-wasi --release

FROM scratch
COPY --from=build /app/target/wasm32-wasi/release/spin_app.wasm /app.wasm
COPY spin.toml /spin.toml
ENTRYPOINT [ "/app.wasm" ]
