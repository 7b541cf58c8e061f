FROM mcr.microsoft.com/devcontainers/cpp:1-debian-12 AS vcpkg
ADD https://github.com/microsoft/vcpkg.git#2024.05.24 /opt/vcpkg
RUN /opt/vcpkg/bootstrap-vcpkg.sh -disableMetrics
ENV VCPKG_ROOT=/opt/vcpkg PATH=/opt/vcpkg:$PATH
WORKDIR /app
COPY vcpkg.json .
RUN --mount=type=cache,target=/root/.cache/vcpkg/archives vcpkg install --triplet x64-linux
