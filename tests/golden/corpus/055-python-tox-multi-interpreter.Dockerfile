FROM ubuntu:22.04 AS tox
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y software-properties-common && \
    add-apt-repository -y ppa:deadsnakes/ppa && \
    apt-get update && apt-get install -y \
      python3.8 python3.9 python3.10 python3.11 python3.12 \
      python3-pip tox && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /project
COPY . .
RUN --mount=type=cache,target=/project/.tox tox -p auto
