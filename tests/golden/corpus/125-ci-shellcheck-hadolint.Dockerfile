FROM koalaman/shellcheck-alpine:v0.10.0 AS shellcheck
FROM hadolint/hadolint:v2.12.0-alpine@sha256:c3dd93cd20ef2e543de3afcca6a4bad342207277d316b79ff0a9c57aaca19eb0 AS hadolint
FROM mvdan/shfmt:v3.8.0-alpine AS shfmt
FROM alpine:3.20 AS lint
COPY --from=shellcheck /bin/shellcheck /usr/local/bin/
COPY --from=hadolint /bin/hadolint /usr/local/bin/
COPY --from=shfmt /bin/shfmt /usr/local/bin/
WORKDIR /src
RUN --mount=type=bind,target=/src \
    find . -name '*.sh' -print0 | xargs -0 -r shellcheck -x && \
    find . -name 'Dockerfile*' -print0 | xargs -0 -r hadolint && \
    shfmt -d -i 2 .
