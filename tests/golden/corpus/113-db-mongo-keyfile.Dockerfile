FROM mongo:7.0
RUN --mount=type=secret,id=mongo_keyfile,target=/run/secrets/keyfile,uid=999,gid=999,mode=0400 \
    install -o 999 -g 999 -m 0400 /run/secrets/keyfile /etc/mongo-keyfile
COPY mongod.conf /etc/mongod.conf
CMD ["mongod", "--config", "/etc/mongod.conf", "--replSet", "rs0", "--keyFile", "/etc/mongo-keyfile"]
