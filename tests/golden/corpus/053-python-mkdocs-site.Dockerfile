FROM squidfunk/mkdocs-material:9.5 AS docs
COPY . /docs
RUN mkdocs build --strict --site-dir /site

FROM nginx:1.25-alpine
COPY --from=docs /site /usr/share/nginx/html/docs
RUN sed -i 's|index  index.html index.htm;|index index.html;\n        try_files $uri $uri/ =404;|' /etc/nginx/conf.d/default.conf
