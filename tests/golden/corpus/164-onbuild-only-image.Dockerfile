FROM maven:3.9-eclipse-temurin-17
RUN mkdir -p /usr/src/app
WORKDIR /usr/src/app
ONBUILD ADD . /usr/src/app
ONBUILD RUN mvn install
onbuild LABEL built.by=onbuild
