# syntax=docker/dockerfile:1
FROM ubuntu:22.04
ARG YQ_VERSION=v4.44.1
ADD --checksum=sha256:ab1ffd48f87bed3cd28206c0e87d715fc77f9535fbc9c107ec28fdd0c2ed2b42 --chmod=0755 \
    https://github.com/mikefarah/yq/releases/download/${YQ_VERSION}/yq_linux_amd64 /usr/local/bin/yq
ADD --chown=1000:1000 --chmod=644 http://archive.example.org/data/dataset.csv /data/
ADD --chown=nobody https://gitlab.com/api/v4/projects/1234/packages/generic/tool/1.0/tool.bin /opt/tool.bin
ADD --unpack https://releases.example.net/pkg/v3/pkg.tar.gz /opt/pkg/
