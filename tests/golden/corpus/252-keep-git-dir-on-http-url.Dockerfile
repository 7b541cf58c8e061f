FROM alpine
ADD --keep-git-dir=true https://example.com/archive.tar.gz /opt/
