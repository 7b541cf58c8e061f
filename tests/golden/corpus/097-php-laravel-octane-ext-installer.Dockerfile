FROM php:8.2-cli AS php
COPY --from=mlocati/php-extension-installer:2.2@sha256:b6a73b1f989cf5f56caa744df8c0aec249ceafef4d37d2ad10e8532649af7f38 /usr/bin/install-php-extensions /usr/local/bin/
RUN install-php-extensions pcntl sockets swoole redis bcmath
COPY --from=composer/composer:2-bin /composer /usr/bin/composer
WORKDIR /var/www
COPY . .
RUN composer install --no-interaction --optimize-autoloader --no-dev
EXPOSE 8000
ENTRYPOINT ["php", "artisan", "octane:start", "--server=swoole", "--host=0.0.0.0"]
