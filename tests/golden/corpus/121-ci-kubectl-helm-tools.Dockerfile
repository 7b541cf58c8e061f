FROM alpine:3.20 AS tools
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG KUBECTL_VERSION=v1.30.1
ARG HELM_VERSION=v3.15.1
ARG KUSTOMIZE_VERSION=5.4.2
ADD --chmod=0755 https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/${TARGETOS}/${TARGETARCH}/kubectl /usr/local/bin/kubectl
ADD https://get.helm.sh/helm-${HELM_VERSION}-${TARGETOS}-${TARGETARCH}.tar.gz /tmp/helm.tgz
ADD https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${KUSTOMIZE_VERSION}/kustomize_v${KUSTOMIZE_VERSION}_${TARGETOS}_${TARGETARCH}.tar.gz /tmp/kustomize.tgz
RUN tar -xzf /tmp/helm.tgz -C /tmp && mv /tmp/${TARGETOS}-${TARGETARCH}/helm /usr/local/bin/ && \
    tar -xzf /tmp/kustomize.tgz -C /usr/local/bin && rm -rf /tmp/*

FROM alpine:3.20
RUN apk add --no-cache bash git openssh-client jq yq
COPY --from=tools /usr/local/bin/ /usr/local/bin/
ENTRYPOINT ["/bin/bash"]
