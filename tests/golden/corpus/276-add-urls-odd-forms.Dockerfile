FROM alpine:3.20
ADD http://mirror.example.org:8080/pub/files/archive-1.0.tar.gz /opt/
ADD https://example.com/download?file=tool&version=2 /usr/local/bin/tool
ADD https://user@example.com/private/file.bin /opt/file.bin
ADD https://example.com/dir/ /opt/dirlike
ADD https://bitbucket.org/acme/repo/get/v1.0.tar.gz /src/
