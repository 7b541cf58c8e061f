FROM composer:2.7 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist --ignore-platform-reqs
COPY . .
RUN composer dump-autoload --optimize --classmap-authoritative

FROM php:8.3-fpm-alpine
RUN apk add --no-cache icu-libs libzip && \
    apk add --no-cache --virtual .build-deps $PHPIZE_DEPS icu-dev libzip-dev && \
    docker-php-ext-install intl opcache pdo_mysql zip && \
    apk del .build-deps
COPY --from=vendor /app /var/www/html
COPY docker/php/opcache.ini $PHP_INI_DIR/conf.d/
RUN chown -R www-data:www-data /var/www/html/storage
USER www-data
