FROM node:20-alpine AS eleventy
WORKDIR /site
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx @11ty/eleventy --output=_site

FROM caddy:2-alpine
COPY --from=eleventy /site/_site /srv
COPY <<EOF /etc/caddy/Caddyfile
:80 {
	root * /srv
	encode zstd gzip
	file_server
	header /assets/* Cache-Control "public, max-age=31536000, immutable"
}
EOF
