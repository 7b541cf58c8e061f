ARG TERRAFORM_VERSION=1.8.4
FROM hashicorp/terraform:${TERRAFORM_VERSION} AS terraform
FROM ghcr.io/terraform-linters/tflint:v0.51.1 AS tflint
FROM alpine:3.19
COPY --from=terraform /bin/terraform /usr/bin/terraform
COPY --from=tflint /usr/local/bin/tflint /usr/bin/tflint
RUN apk add --no-cache git bash curl python3 py3-pip && pip3 install --break-system-packages checkov
WORKDIR /workspace
ENV TF_IN_AUTOMATION=1 TF_PLUGIN_CACHE_DIR=/root/.terraform.d/plugin-cache
RUN mkdir -p $TF_PLUGIN_CACHE_DIR
