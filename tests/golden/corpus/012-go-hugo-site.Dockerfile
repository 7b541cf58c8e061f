FROM golang:1.22-alpine AS hugo
ARG HUGO_VERSION=0.125.4
ADD --checksum=sha256:233a09bfb366139b08fee57ac13d7d7136db2034462b1ebff437b262ca2c53bf \
    https://github.com/gohugoio/hugo/releases/download/v${HUGO_VERSION}/hugo_extended_${HUGO_VERSION}_linux-amd64.tar.gz /tmp/hugo.tgz
RUN tar -C /usr/local/bin -xzf /tmp/hugo.tgz hugo

FROM hugo AS site
WORKDIR /site
COPY . .
ARG HUGO_ENV=production
ARG BASE_URL
RUN hugo --minify --environment "$HUGO_ENV" ${BASE_URL:+--baseURL "$BASE_URL"}

FROM nginx:1.27-alpine
COPY --from=site /site/public /usr/share/nginx/html
