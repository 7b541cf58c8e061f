FROM gcr.io/bazel-public/bazel:7.1.1 AS bazel
USER root
WORKDIR /workspace
COPY . .
RUN --mount=type=cache,target=/root/.cache/bazel,sharing=private \
    --mount=type=secret,id=bazelrc,target=/root/.bazelrc \
    bazel build //src:server --config=release && \
    cp bazel-bin/src/server /server
FROM gcr.io/distroless/cc
COPY --from=bazel /server /server
ENTRYPOINT ["/server"]
