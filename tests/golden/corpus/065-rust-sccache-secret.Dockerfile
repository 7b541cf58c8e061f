FROM rust:1.78 AS build
ARG SCCACHE_VERSION=0.8.0
ADD https://github.com/mozilla/sccache/releases/download/v${SCCACHE_VERSION}/sccache-v${SCCACHE_VERSION}-x86_64-unknown-linux-musl.tar.gz /tmp/
RUN tar xzf /tmp/sccache-v${SCCACHE_VERSION}-x86_64-unknown-linux-musl.tar.gz -C /tmp \
 && mv /tmp/sccache-v${SCCACHE_VERSION}-x86_64-unknown-linux-musl/sccache /usr/local/bin/
ENV RUSTC_WRAPPER=sccache SCCACHE_BUCKET=ci-cache SCCACHE_REGION=eu-west-1
WORKDIR /src
COPY . .
RUN --mount=type=secret,id=aws,target=/root/.aws/credentials,required \
    cargo build --release && sccache --show-stats
