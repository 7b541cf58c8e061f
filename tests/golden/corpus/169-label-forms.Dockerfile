FROM alpine:3.20
ARG BUILD_DATE
ARG VCS_REF=abc1234
LABEL maintainer="ops@example.com"
LABEL "com.example.vendor"="ACME Incorporated"
LABEL com.example.label-with-value="foo" version="1.0" description="This text illustrates \
that label-values can span multiple lines."
LABEL org.opencontainers.image.created=$BUILD_DATE \
      org.opencontainers.image.revision=${VCS_REF} \
      org.opencontainers.image.title='single quoted $VCS_REF'
LABEL multi.word=hello\ world
LABEL legacy-form value with spaces
