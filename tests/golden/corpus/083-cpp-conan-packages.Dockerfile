FROM conanio/gcc13:2.3.0 AS conan
USER root
WORKDIR /project
COPY conanfile.py .
RUN --mount=type=cache,target=/root/.conan2/p \
    conan profile detect --force && \
    conan install . --output-folder=build --build=missing -s build_type=Release
COPY . .
RUN cd build && cmake .. -DCMAKE_TOOLCHAIN_FILE=conan_toolchain.cmake -DCMAKE_BUILD_TYPE=Release && cmake --build .
