ARG TARGET_ENV=prod
FROM node:20-alpine AS base
WORKDIR /app
COPY package*.json ./

FROM base AS dev-deps
RUN npm install

FROM base AS prod-deps
RUN npm ci --omit=dev

FROM ${TARGET_ENV}-deps AS deps
COPY . .
CMD ["node", "index.js"]
