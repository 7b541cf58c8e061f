FROM registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v17.0.0
RUN apk add --no-cache docker-cli-buildx aws-cli
COPY config.toml.tmpl /etc/gitlab-runner/
ADD https://gitlab.com/gitlab-org/release-cli/-/releases/v0.18.0/downloads/bin/release-cli-linux-amd64 /usr/local/bin/release-cli
RUN chmod +x /usr/local/bin/release-cli
ENTRYPOINT ["/usr/bin/dumb-init", "/entrypoint"]
CMD ["run", "--user=gitlab-runner", "--working-directory=/home/gitlab-runner"]
