FROM maven:3.9-eclipse-temurin-11 AS war
WORKDIR /usr/src/app
COPY pom.xml .
RUN mvn -B -q dependency:resolve
COPY src ./src
RUN mvn -B package -DskipTests

FROM tomcat:10.1-jdk11-temurin
RUN rm -rf /usr/local/tomcat/webapps/*
COPY --from=war /usr/src/app/target/*.war /usr/local/tomcat/webapps/ROOT.war
ENV CATALINA_OPTS="-Xms256m -Xmx1g"
EXPOSE 8080
CMD ["catalina.sh", "run"]
