ARG NGINX_VERSION=1.27.0
FROM nginx:${NGINX_VERSION} AS builder
ARG NGINX_VERSION
ARG HEADERS_MORE_VERSION=0.37
RUN apt-get update && apt-get install -y gcc make libpcre3-dev zlib1g-dev libssl-dev wget
ADD http://nginx.org/download/nginx-${NGINX_VERSION}.tar.gz /tmp/
ADD https://github.com/openresty/headers-more-nginx-module/archive/refs/tags/v${HEADERS_MORE_VERSION}.tar.gz /tmp/headers-more.tar.gz
RUN cd /tmp && tar zxf nginx-${NGINX_VERSION}.tar.gz && tar zxf headers-more.tar.gz && \
    cd nginx-${NGINX_VERSION} && \
    ./configure --with-compat --add-dynamic-module=/tmp/headers-more-nginx-module-${HEADERS_MORE_VERSION} && \
    make modules

FROM nginx:${NGINX_VERSION}
ARG NGINX_VERSION
COPY --from=builder /tmp/nginx-${NGINX_VERSION}/objs/ngx_http_headers_more_filter_module.so /usr/lib/nginx/modules/
RUN sed -i '1iload_module modules/ngx_http_headers_more_filter_module.so;' /etc/nginx/nginx.conf
