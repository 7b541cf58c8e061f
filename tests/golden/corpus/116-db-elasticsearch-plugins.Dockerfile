ARG ES_VERSION=8.13.4
FROM docker.elastic.co/elasticsearch/elasticsearch:${ES_VERSION}
ARG ES_VERSION
RUN bin/elasticsearch-plugin install --batch analysis-icu analysis-kuromoji
COPY --chown=elasticsearch:root elasticsearch.yml /usr/share/elasticsearch/config/
ENV discovery.type=single-node xpack.security.enabled=false ES_JAVA_OPTS="-Xms1g -Xmx1g"
