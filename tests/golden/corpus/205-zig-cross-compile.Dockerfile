FROM --platform=$BUILDPLATFORM alpine:3.20 AS zig
ARG ZIG_VERSION=0.12.0
RUN apk add --no-cache curl xz
RUN curl -fsSL https://ziglang.org/download/${ZIG_VERSION}/zig-linux-x86_64-${ZIG_VERSION}.tar.xz | tar -xJ -C /opt \
 && ln -s /opt/zig-linux-x86_64-${ZIG_VERSION}/zig /usr/local/bin/zig
WORKDIR /src
COPY build.zig build.zig.zon ./
COPY src/ src/
ARG TARGETARCH
RUN zig build -Doptimize=ReleaseSmall -Dtarget=$([ "$TARGETARCH" = arm64 ] && echo aarch64 || echo x86_64)-linux-musl

FROM scratch
COPY --from=zig /src/zig-out/bin/app /app
ENTRYPOINT ["/app"]
