FROM alpine
COPY --keep-git-dir=true . /src
