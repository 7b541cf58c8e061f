# syntax=docker/dockerfile:1.4
FROM alpine
ARG NAME=world
ENV GREETING=hello
COPY <<EOF /unquoted.txt
$GREETING ${NAME}
literal \$GREETING and backslash \\ and \n
EOF
COPY <<'EOF' /quoted.txt
$GREETING ${NAME}
literal \$GREETING and backslash \\
EOF
COPY <<"EOF" /dquoted.txt
$GREETING ${NAME}
EOF
RUN cat /unquoted.txt /quoted.txt /dquoted.txt
