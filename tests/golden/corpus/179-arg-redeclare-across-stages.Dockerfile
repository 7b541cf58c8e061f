ARG VERSION=1.0.0
ARG CHANNEL=stable
FROM alpine AS a
ARG VERSION
RUN echo "a sees $VERSION"

FROM alpine AS b
ARG VERSION=2.0.0-override
ARG CHANNEL
RUN echo "b sees $VERSION on $CHANNEL"

FROM alpine AS c
RUN echo "c sees [$VERSION]"
ARG VERSION
RUN echo "c after declare $VERSION"

FROM alpine
COPY --from=a /etc/hostname /a
COPY --from=b /etc/hostname /b
COPY --from=c /etc/hostname /c
