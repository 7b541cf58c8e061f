FROM alpine AS unused-heavy
RUN apk add --no-cache build-base && sleep 1

FROM alpine AS base
RUN echo base > /base

FROM base AS middle
RUN echo middle > /middle

FROM middle AS top
RUN cat /base /middle

FROM alpine AS other
RUN echo "not reachable from default target"

FROM top
RUN echo final
