FROM rust:1.78-alpine AS mdbook
RUN apk add --no-cache musl-dev
RUN cargo install mdbook --version 0.4.40 --locked
WORKDIR /book
COPY book.toml .
COPY src src
RUN mdbook build -d /html
FROM httpd:2.4-alpine
COPY --from=mdbook /html/ /usr/local/apache2/htdocs/
