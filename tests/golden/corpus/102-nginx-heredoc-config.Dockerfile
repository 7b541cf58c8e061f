# syntax=docker/dockerfile:1.4
FROM nginx:mainline-alpine
COPY <<'EOF' /etc/nginx/conf.d/default.conf
server {
    listen       80;
    server_name  _;
    location / {
        root   /usr/share/nginx/html;
        try_files $uri $uri/ /index.html;
    }
    location /api/ {
        proxy_pass http://backend:8080/;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
    }
}
EOF
COPY <<EOF /usr/share/nginx/html/index.html
<html><body>Built for ${TARGETPLATFORM:-unknown}</body></html>
EOF
