FROM debian:bookworm-slim AS zola
ARG ZOLA_VERSION=0.18.0
ADD https://github.com/getzola/zola/releases/download/v${ZOLA_VERSION}/zola-v${ZOLA_VERSION}-x86_64-unknown-linux-gnu.tar.gz /tmp/zola.tar.gz
ADD https://gitlab.com/acme/site-assets/-/archive/main/site-assets-main.tar.gz /tmp/assets.tar.gz
RUN tar -xzf /tmp/zola.tar.gz -C /usr/local/bin && tar -xzf /tmp/assets.tar.gz -C /opt
WORKDIR /site
COPY . .
RUN zola build --output-dir /public
FROM nginx:alpine
COPY --from=zola /public /usr/share/nginx/html
