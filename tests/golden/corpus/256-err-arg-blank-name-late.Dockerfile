FROM python:3.12-slim AS base
ARG PIP_INDEX=https://pypi.org/simple
RUN pip install --index-url $PIP_INDEX flask

FROM base AS app
ARG =oops
COPY . /app
