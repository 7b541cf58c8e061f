FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
RUN echo "postfix postfix/main_mailer_type string 'Internet Site'" | debconf-set-selections \
 && echo "postfix postfix/mailname string mail.example.com" | debconf-set-selections \
 && apt-get update && apt-get install -y postfix libsasl2-modules rsyslog && rm -rf /var/lib/apt/lists/*
COPY main.cf /etc/postfix/main.cf
RUN --mount=type=secret,id=sasl_passwd,target=/etc/postfix/sasl_passwd,required \
    postmap /etc/postfix/sasl_passwd && mv /etc/postfix/sasl_passwd.db /etc/postfix/sasl_passwd.db.keep
EXPOSE 25 587
STOPSIGNAL SIGTERM
CMD ["postfix", "start-fg"]
