FROM node:20-bookworm AS deps
WORKDIR /repo
COPY .yarnrc.yml package.json yarn.lock ./
COPY .yarn/ .yarn/
COPY packages/api/package.json packages/api/
COPY packages/shared/package.json packages/shared/
RUN --mount=type=cache,target=/root/.yarn/berry/cache,sharing=locked \
    yarn install --immutable

FROM deps AS api-build
COPY packages/shared packages/shared
COPY packages/api packages/api
RUN yarn workspace @acme/api build

FROM node:20-bookworm-slim AS api
WORKDIR /srv
COPY --from=api-build /repo/packages/api/dist ./dist
COPY --from=deps /repo/node_modules ./node_modules
USER 1000
CMD ["node", "dist/index.js"]
