FROM node:18-alpine AS base

FROM base AS builder
RUN apk update && apk add --no-cache libc6-compat
WORKDIR /app
RUN yarn global add turbo@^2
COPY . .
RUN turbo prune web --docker

FROM base AS installer
WORKDIR /app
COPY --from=builder /app/out/json/ .
RUN yarn install --frozen-lockfile
COPY --from=builder /app/out/full/ .
RUN yarn turbo run build --filter=web...

FROM base AS runner
WORKDIR /app
COPY --from=installer --chown=1001:1001 /app/apps/web/.next/standalone ./
CMD node apps/web/server.js
