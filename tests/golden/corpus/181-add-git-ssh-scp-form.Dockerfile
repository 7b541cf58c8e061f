# syntax=docker/dockerfile:1
FROM alpine AS src
ADD git@github.com:acme/private-lib.git /vendor/private-lib
ADD git@github.com:acme/private-lib.git#v2.1.0 /vendor/private-lib-v2
ADD ssh://git@gitlab.com/acme/tools.git#main:scripts /opt/scripts
RUN ls /vendor /opt/scripts
