FROM wordpress:6.5-php8.2-apache
ARG WOOCOMMERCE_VERSION=8.9.1
ADD https://downloads.wordpress.org/plugin/woocommerce.${WOOCOMMERCE_VERSION}.zip /tmp/woo.zip
RUN apt-get update && apt-get install -y unzip && \
    unzip -q /tmp/woo.zip -d /usr/src/wordpress/wp-content/plugins/ && rm /tmp/woo.zip
COPY --chown=www-data:www-data themes/acme/ /usr/src/wordpress/wp-content/themes/acme/
RUN a2enmod rewrite headers expires
COPY php.ini "$PHP_INI_DIR/conf.d/uploads.ini"
