FROM node:18-alpine
ARG TINI_VERSION=v0.19.0
ADD --chmod=755 https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static /tini
ENTRYPOINT ["/tini", "--"]
WORKDIR /home/node/app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --only=production && npm cache clean --force
COPY --chown=node:node . .
USER node
CMD ["node", "server.js"]
