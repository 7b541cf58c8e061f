FROM ubuntu:22.04 AS base
ONBUILD FROM alpine
RUN true
