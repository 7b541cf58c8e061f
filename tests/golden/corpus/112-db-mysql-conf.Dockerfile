FROM mysql:8.4
COPY my.cnf /etc/mysql/conf.d/custom.cnf
COPY schema.sql /docker-entrypoint-initdb.d/01-schema.sql
COPY seed.sql /docker-entrypoint-initdb.d/02-seed.sql
ENV MYSQL_DATABASE shop
ENV MYSQL_ROOT_HOST %
EXPOSE 3306 33060
