FROM aquasec/trivy:0.52.0 AS trivy
FROM gcr.io/projectsigstore/cosign:v2.2.4@sha256:6a68e9112f9b7c15265e68e3a133fe7d95f9301dc84973364da3d27dcedee333 AS cosign
FROM alpine:3.20
COPY --from=trivy /usr/local/bin/trivy /usr/local/bin/trivy
COPY --from=cosign /ko-app/cosign /usr/local/bin/cosign
RUN --mount=type=cache,target=/root/.cache/trivy \
    trivy image --download-db-only
ENTRYPOINT ["/usr/local/bin/trivy"]
