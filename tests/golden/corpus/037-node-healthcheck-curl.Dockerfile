FROM node:22-alpine
RUN apk add --no-cache curl
WORKDIR /app
COPY --chown=node:node . .
RUN npm ci --omit=dev
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-interval=2s \
  CMD curl -fsS http://localhost:3000/healthz || exit 1
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "build/server.js"]
