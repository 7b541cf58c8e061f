ARG GRAFANA_VERSION=11.0.0
FROM grafana/grafana-oss:${GRAFANA_VERSION}
ENV GF_INSTALL_PLUGINS="grafana-clock-panel,grafana-piechart-panel" \
    GF_AUTH_ANONYMOUS_ENABLED=true \
    GF_PATHS_PROVISIONING=/etc/grafana/provisioning
COPY --chown=472:0 provisioning/ $GF_PATHS_PROVISIONING/
COPY --chown=472:0 dashboards/ /var/lib/grafana/dashboards/
USER 472
