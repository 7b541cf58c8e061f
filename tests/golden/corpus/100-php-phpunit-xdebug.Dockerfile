FROM php:7.4-cli-buster
RUN pecl install xdebug-3.1.6 && docker-php-ext-enable xdebug
RUN echo 'xdebug.mode=coverage' > /usr/local/etc/php/conf.d/xdebug.ini
COPY --from=composer:1 /usr/bin/composer /usr/bin/composer
WORKDIR /code
COPY . /code
RUN composer install
CMD ["vendor/bin/phpunit", "--coverage-text"]
