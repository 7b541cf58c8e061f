FROM alpine:3.20
RUN apk add --no-cache mariadb-client aws-cli dcron tzdata
COPY --chmod=0755 backup.sh /usr/local/bin/backup.sh
COPY <<-EOF /etc/crontabs/root
	# m h dom mon dow command
	0 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1
EOF
ENV TZ=Europe/Berlin \
    MYSQL_HOST=db \
    S3_BUCKET=
CMD ["crond", "-f", "-l", "2"]
