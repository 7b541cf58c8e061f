FROM eclipse-temurin:17-jre-alpine
ARG SONAR_SCANNER_VERSION=5.0.1.3006
ADD https://binaries.sonarsource.com/Distribution/sonar-scanner-cli/sonar-scanner-cli-${SONAR_SCANNER_VERSION}.zip /opt/
RUN cd /opt && unzip -q sonar-scanner-cli-${SONAR_SCANNER_VERSION}.zip && \
    mv sonar-scanner-${SONAR_SCANNER_VERSION} sonar-scanner && rm -f *.zip
ENV SONAR_SCANNER_HOME=/opt/sonar-scanner PATH=/opt/sonar-scanner/bin:$PATH SONAR_USER_HOME=/opt/sonar-scanner/.sonar
WORKDIR /usr/src
ENTRYPOINT ["sonar-scanner"]
