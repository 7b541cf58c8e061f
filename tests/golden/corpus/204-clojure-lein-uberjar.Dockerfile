FROM clojure:temurin-21-lein-2.11.2 AS build
WORKDIR /usr/src/app
COPY project.clj /usr/src/app/
RUN lein deps
COPY . /usr/src/app
RUN mv "$(lein uberjar | sed -n 's/^Created \(.*standalone\.jar\)/\1/p')" app-standalone.jar

FROM eclipse-temurin:21-jre-alpine
COPY --from=build /usr/src/app/app-standalone.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
