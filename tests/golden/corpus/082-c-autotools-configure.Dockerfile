FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y autoconf automake libtool make gcc
ARG JQ_VERSION=1.7.1
ADD https://github.com/jqlang/jq/releases/download/jq-${JQ_VERSION}/jq-${JQ_VERSION}.tar.gz /usr/src/
WORKDIR /usr/src/jq-${JQ_VERSION}
RUN ./configure --prefix=/usr/local --with-oniguruma=builtin --disable-docs \
 && make -j"$(nproc)" LDFLAGS=-all-static \
 && make install-strip

FROM scratch
COPY --from=build /usr/local/bin/jq /jq
ENTRYPOINT ["/jq"]
