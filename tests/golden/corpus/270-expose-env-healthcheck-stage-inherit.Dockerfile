FROM nginx:1.27 AS base
ENV NGINX_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=15s CMD curl -f http://localhost:${NGINX_PORT}/ || exit 1
LABEL tier=base
USER nginx

FROM base AS child
ENV NGINX_PORT=9090
EXPOSE 9090
LABEL tier=child
USER root
VOLUME /cache
