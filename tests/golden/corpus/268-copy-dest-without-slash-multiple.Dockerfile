FROM alpine
WORKDIR /srv
COPY a.conf b.conf conf.d/
COPY ./single.txt renamed.txt
COPY src .
COPY --from=busybox:latest /bin/busybox bin/
ADD https://example.com/robots.txt .
