FROM debian:12
COPY --Chown=0:0 files/ /opt/
