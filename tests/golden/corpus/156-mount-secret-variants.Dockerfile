# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=api_key cat /run/secrets/api_key
RUN --mount=type=secret,id=token,target=/etc/token,required=true,mode=0440,uid=100,gid=101 \
    test -s /etc/token
RUN --mount=type=secret,id=GITHUB_TOKEN,env=GITHUB_TOKEN \
    --mount=type=secret,id=opt,required=false \
    echo "token length ${#GITHUB_TOKEN}"
RUN --mount=type=secret,target=/root/.aws/credentials cat /root/.aws/credentials
