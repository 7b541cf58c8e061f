FROM nginx:1.27.0-alpine3.19@sha256:a239478ba638c7a9fe4bbba3d7b1d7136c58f26801ee618f335dc123c14a29eb
RUN rm /etc/nginx/conf.d/default.conf
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/conf.d/ /etc/nginx/conf.d/
COPY --chown=nginx:nginx public/ /usr/share/nginx/html/
RUN nginx -t
EXPOSE 80 443
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
