FROM silkeh/clang:18 AS lint
WORKDIR /code
COPY .clang-tidy .clang-format ./
RUN --mount=type=bind,target=/code/src,source=src \
    --mount=type=bind,target=/code/include,source=include \
    find src include -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run -Werror
