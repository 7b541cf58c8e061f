FROM prom/prometheus:v2.52.0 AS prom
COPY prometheus.yml /etc/prometheus/prometheus.yml
COPY rules/ /etc/prometheus/rules/
RUN ["promtool", "check", "config", "/etc/prometheus/prometheus.yml"]
RUN ["promtool", "check", "rules", "/etc/prometheus/rules/alerts.yml"]
EXPOSE 9090
VOLUME [ "/prometheus" ]
ENTRYPOINT [ "/bin/prometheus" ]
CMD [ "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.enable-lifecycle" ]
