FROM cassandra:4.1
ENV CASSANDRA_CLUSTER_NAME="Test Cluster" \
    CASSANDRA_DC=dc1 CASSANDRA_RACK=rack1 \
    CASSANDRA_ENDPOINT_SNITCH=GossipingPropertyFileSnitch
ADD https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/0.20.0/jmx_prometheus_javaagent-0.20.0.jar /opt/jmx/
COPY jmx.yaml /opt/jmx/
ENV JVM_EXTRA_OPTS="-javaagent:/opt/jmx/jmx_prometheus_javaagent-0.20.0.jar=7070:/opt/jmx/jmx.yaml"
EXPOSE 7070
