FROM debian:bookworm-slim
ADD rootfs.tar.gz /
ADD vendor/lib-*.tar.xz /opt/libs/
ADD --chown=www-data:www-data site.tar /var/www/
ADD --unpack=false bundle.tar.gz /opt/bundles/
ADD ["config dir/settings.json", "/etc/app/settings.json"]
