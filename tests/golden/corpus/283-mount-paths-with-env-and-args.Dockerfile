FROM node:20
ENV HOME=/home/node NPM_CACHE=/home/node/.npm
ARG CACHE_ID=npm
ARG SRC_DIR=web
USER node
WORKDIR $HOME/app
RUN --mount=type=cache,target=${NPM_CACHE},id=${CACHE_ID},uid=1000,gid=1000 \
    --mount=type=bind,source=${SRC_DIR}/package.json,target=package.json \
    --mount=type=bind,source=${SRC_DIR}/package-lock.json,target=package-lock.json \
    npm ci
RUN --mount=type=cache,target=$HOME/.cache/ ls ~/.cache
