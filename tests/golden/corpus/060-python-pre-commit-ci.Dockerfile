FROM python:3.12-slim
ARG PRE_COMMIT_VERSION=3.7.1
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir pre-commit==${PRE_COMMIT_VERSION}
WORKDIR /repo
ENV PRE_COMMIT_HOME=/cache/pre-commit
RUN --mount=type=bind,target=/repo,rw \
    --mount=type=cache,target=/cache/pre-commit,id=pre-commit,sharing=shared \
    pre-commit install-hooks
ENTRYPOINT ["pre-commit"]
CMD ["run", "--all-files", "--show-diff-on-failure"]
