FROM alpine:3.20
COPY --from=busybox:1.36.1@sha256:83f1fc58dc3ec252db7bd7fa751a3ba448e74fdd9315033dd097c78a7511c6ae /bin/busybox /bin/busybox
COPY --from=docker.io/bitnami/kubectl@sha256:e76b41413e096766b4320b522605c9db224d2ca16dc7c04976ba98dd0cc19205 /opt/bitnami/kubectl/bin/kubectl /usr/local/bin/
COPY --from=ghcr.io/jqlang/jq:1.7.1 /jq /usr/local/bin/jq
COPY --from=quay.io/coreos/etcd:v3.5.13 /usr/local/bin/etcdctl /usr/local/bin/
