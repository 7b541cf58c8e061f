FROM alpine AS base
RUN echo base

FROM tools AS app
RUN echo app

FROM app AS tools
RUN echo tools
