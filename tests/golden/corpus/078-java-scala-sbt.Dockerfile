FROM sbtscala/scala-sbt:eclipse-temurin-jammy-21.0.2_13_1.10.0_3.4.2 AS sbt
WORKDIR /app
COPY build.sbt ./
COPY project/ project/
RUN --mount=type=cache,target=/root/.ivy2 --mount=type=cache,target=/root/.cache/coursier sbt update
COPY . .
RUN --mount=type=cache,target=/root/.ivy2 --mount=type=cache,target=/root/.cache/coursier \
    sbt clean stage

FROM eclipse-temurin:21-jre
COPY --from=sbt /app/target/universal/stage /opt/app
WORKDIR /opt/app
CMD ["bin/app"]
