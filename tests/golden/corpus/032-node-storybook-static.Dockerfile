FROM node:20-alpine AS sb
WORKDIR /ui
COPY . .
RUN npm ci && npm run build-storybook -- --output-dir /storybook-static
FROM busybox:1.36 AS serve
COPY --from=sb /storybook-static /www
EXPOSE 6006
CMD ["busybox", "httpd", "-f", "-p", "6006", "-h", "/www"]
