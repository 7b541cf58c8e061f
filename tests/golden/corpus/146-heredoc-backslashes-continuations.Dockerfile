# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo one \
  two \
  three
printf 'tab:\t newline:\n'
echo "dollar: \$PATH"
EOF
RUN cat <<EOF > /config.sh && chmod +x /config.sh
export A="x\y"
export B=\$HOME
EOF
