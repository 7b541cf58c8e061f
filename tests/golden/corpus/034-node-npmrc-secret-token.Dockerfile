# syntax=docker/dockerfile:1.5
FROM node:20-alpine
WORKDIR /pkg
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    --mount=type=cache,target=/root/.npm,id=npm-$TARGETARCH \
    npm ci
RUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN \
    npm whoami --registry https://npm.pkg.github.com
