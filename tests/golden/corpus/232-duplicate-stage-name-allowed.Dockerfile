FROM alpine AS build
RUN echo 1
FROM debian AS build
RUN echo 2
