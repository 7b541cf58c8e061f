ARG BASE_REGISTRY=quay.io
ARG BASE_IMAGE=centos/centos
ARG BASE_TAG=stream9
ARG VARIANT
FROM ${BASE_REGISTRY}/${BASE_IMAGE}:${BASE_TAG}${VARIANT:+-$VARIANT} AS base
RUN dnf -y update && dnf clean all

ARG DEBIAN_TAG=bookworm
FROM debian:${DEBIAN_TAG:-bullseye}-slim AS deb
RUN echo "debian stage"

FROM ${BASE_IMAGE/centos\//rockylinux/}:9 AS swapped
RUN echo rocky
