FROM postgres:15
VOLUME /var/lib/postgresql/data
VOLUME ["/var/log/postgresql", "/etc/postgresql"]
VOLUME /tmp/a /tmp/b
ENV BACKUP_DIR=/backups
VOLUME $BACKUP_DIR
VOLUME [ "/run/postgresql/" ]
