FROM alpine
WORKDIR relative/dir
RUN pwd
WORKDIR ../sibling/
COPY x.txt .
FROM scratch
WORKDIR app
COPY --from=0 /relative/dir /app/
