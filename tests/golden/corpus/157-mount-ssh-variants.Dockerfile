# syntax=docker/dockerfile:1
FROM alpine/git:2.43.0 AS clone
RUN mkdir -p -m 0600 ~/.ssh && ssh-keyscan gitlab.com github.com >> ~/.ssh/known_hosts
RUN --mount=type=ssh git clone git@github.com:acme/private.git /src/private
RUN --mount=type=ssh,id=deploy,target=/run/deploy.sock,mode=0666,required=true \
    SSH_AUTH_SOCK=/run/deploy.sock git clone git@gitlab.com:acme/infra.git /src/infra
RUN --mount=type=ssh,id=default,uid=1000,gid=1000 ssh-add -l
