FROM ubuntu:24.04 AS toolchain
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build ccache pkg-config git \
    && rm -rf /var/lib/apt/lists/*

FROM toolchain AS build
WORKDIR /src
COPY CMakeLists.txt .
COPY cmake/ cmake/
COPY src/ src/
ARG BUILD_TYPE=Release
RUN --mount=type=cache,target=/root/.ccache \
    cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_CXX_COMPILER_LAUNCHER=ccache && \
    cmake --build /build --parallel && \
    cmake --install /build --prefix /opt/app

FROM ubuntu:24.04
COPY --from=build /opt/app /opt/app
ENV LD_LIBRARY_PATH=/opt/app/lib
ENTRYPOINT ["/opt/app/bin/server"]
