FROM alpine
WORKDIR /app
COPY *.json ./
COPY src/*.py src/*.pyi /app/src/
COPY conf?.ini /etc/app/
COPY ["dir with spaces/file one.txt", "dir with spaces/file two.txt", "/data/"]
COPY [ "a.txt", "b.txt", "dest dir/" ]
COPY --chown=app:app --chmod=u=rwX,go=rX static/ /srv/static/
COPY lib/ /usr/lib/app
