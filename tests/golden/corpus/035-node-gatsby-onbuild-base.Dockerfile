FROM node:16-buster AS gatsby-base
WORKDIR /site
ONBUILD COPY package.json yarn.lock ./
ONBUILD RUN yarn install --frozen-lockfile
ONBUILD COPY . .
ONBUILD RUN yarn build

FROM gatsby-base AS built

FROM nginx:alpine
COPY --from=built /site/public /usr/share/nginx/html
