FROM alpine:3.20
ADD https://github.com/grafana/loki/releases/download/v3.0.0/logcli-linux-amd64.zip \
    https://github.com/grafana/loki/releases/download/v3.0.0/promtail-linux-amd64.zip \
    /downloads/
RUN cd /downloads && unzip -o '*.zip'
