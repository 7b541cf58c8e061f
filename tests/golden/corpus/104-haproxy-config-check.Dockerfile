FROM haproxy:2.9-alpine
USER root
RUN mkdir -p /run/haproxy && chown haproxy:haproxy /run/haproxy
COPY --chown=haproxy:haproxy haproxy.cfg /usr/local/etc/haproxy/haproxy.cfg
COPY --chown=haproxy:haproxy certs/ /etc/ssl/private/
USER haproxy
RUN haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg
