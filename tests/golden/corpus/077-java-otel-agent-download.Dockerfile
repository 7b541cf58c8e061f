FROM eclipse-temurin:17-jre
ARG OTEL_VERSION=2.4.0
ADD --chown=1001:0 --chmod=0644 \
    https://github.com/open-telemetry/opentelemetry-java-instrumentation/releases/download/v${OTEL_VERSION}/opentelemetry-javaagent.jar \
    /opt/otel/opentelemetry-javaagent.jar
ENV JAVA_TOOL_OPTIONS="-javaagent:/opt/otel/opentelemetry-javaagent.jar" \
    OTEL_SERVICE_NAME=orders
COPY --chown=1001:0 target/orders.jar /opt/app/
USER 1001
ENTRYPOINT ["java", "-jar", "/opt/app/orders.jar"]
