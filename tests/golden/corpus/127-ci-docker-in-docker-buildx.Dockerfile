FROM docker:26-dind
ARG BUILDX_VERSION=v0.14.1
ARG COMPOSE_VERSION=v2.27.1
ADD --chmod=755 https://github.com/docker/buildx/releases/download/${BUILDX_VERSION}/buildx-${BUILDX_VERSION}.linux-amd64 /usr/libexec/docker/cli-plugins/docker-buildx
ADD --chmod=755 https://github.com/docker/compose/releases/download/${COMPOSE_VERSION}/docker-compose-linux-x86_64 /usr/libexec/docker/cli-plugins/docker-compose
RUN docker buildx version && docker compose version
VOLUME /var/lib/docker
EXPOSE 2375 2376
ENTRYPOINT ["dockerd-entrypoint.sh"]
