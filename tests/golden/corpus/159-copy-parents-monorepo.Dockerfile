# syntax=docker/dockerfile:1.7-labs
FROM python:3.12-slim
WORKDIR /repo
COPY --parents packages/*/pyproject.toml ./
COPY --parents ./apps/web/./requirements.txt /deps/
COPY --parents --exclude=**/tests/** libs/**/*.py /repo/
RUN pip install -e packages/*
