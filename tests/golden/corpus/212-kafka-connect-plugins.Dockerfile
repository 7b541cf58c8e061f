FROM confluentinc/cp-kafka-connect:7.6.1
ENV CONNECT_PLUGIN_PATH="/usr/share/java,/usr/share/confluent-hub-components"
RUN confluent-hub install --no-prompt debezium/debezium-connector-postgresql:2.5.4 \
 && confluent-hub install --no-prompt confluentinc/kafka-connect-s3:10.5.13
ADD --chown=appuser:appuser https://repo1.maven.org/maven2/org/postgresql/postgresql/42.7.3/postgresql-42.7.3.jar /usr/share/java/kafka/
