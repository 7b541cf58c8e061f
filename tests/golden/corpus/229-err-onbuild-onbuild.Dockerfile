FROM ubuntu:22.04
ONBUILD ONBUILD RUN echo nested
