FROM traefik:v3.0
COPY traefik.yml /etc/traefik/traefik.yml
COPY dynamic/ /etc/traefik/dynamic/
VOLUME ["/letsencrypt"]
LABEL org.opencontainers.image.title="edge-proxy" \
      org.opencontainers.image.source="https://github.com/acme/edge" \
      org.opencontainers.image.licenses=MIT
EXPOSE 80/tcp 443/tcp 8080/tcp
