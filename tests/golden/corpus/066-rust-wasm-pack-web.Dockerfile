FROM rust:1.78 AS wasm
RUN curl https://rustwasm.github.io/wasm-pack/installer/init.sh -sSf | sh
RUN rustup target add wasm32-unknown-unknown
WORKDIR /crate
COPY . .
RUN wasm-pack build --target web --release --out-dir /pkg

FROM node:20-alpine AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci
COPY web/ ./
COPY --from=wasm /pkg ./src/wasm/
RUN npm run build

FROM nginx:alpine AS site
COPY --from=web /web/dist /usr/share/nginx/html
RUN printf 'types { application/wasm wasm; }\n' > /etc/nginx/conf.d/wasm.types
