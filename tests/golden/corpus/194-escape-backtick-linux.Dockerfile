# escape=`
FROM alpine:3.20
RUN echo "backslash \ is literal here" && `
    echo continued
ENV WINPATH=C:\Users\app `
    OTHER=x
COPY a\b.txt /tmp/
LABEL k="va`"l"
