FROM alpine:3.20
ENV NAME=world
RUN ["echo", "hello $NAME"]
RUN ["/bin/sh", "-c", "echo hello $NAME"]
RUN [ "ls", "-la", \
      "/etc" ]
RUN ["sh", "-c", "echo \"escaped quotes\" 'and single'"]
RUN [ "echo", "unicode: \u00e9", "tab:\t" ]
