FROM openresty/openresty:1.25.3.1-alpine-fat
RUN luarocks install lua-resty-jwt && luarocks install lua-resty-http
COPY lua/ /usr/local/openresty/nginx/lua/
COPY nginx.conf /usr/local/openresty/nginx/conf/nginx.conf
ENV PATH=$PATH:/usr/local/openresty/luajit/bin:/usr/local/openresty/nginx/sbin:/usr/local/openresty/bin
EXPOSE 8080
