FROM node:20 AS ng
WORKDIR /ng
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG CONFIGURATION=production
RUN npx ng build --configuration=${CONFIGURATION}

FROM nginxinc/nginx-unprivileged:1.25-alpine
COPY --from=ng /ng/dist/app/browser/ /usr/share/nginx/html/
COPY nginx/default.conf.template /etc/nginx/templates/
ENV API_BASE=/api NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx/conf.d
USER 101
