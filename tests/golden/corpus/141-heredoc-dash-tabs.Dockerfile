# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<-EOT bash
	set -euo pipefail
	apt-get update
		apt-get install -y curl
	echo "tabs stripped"
	EOT
COPY <<-EOF /etc/motd
	Welcome to $HOSTNAME
		indented line
	EOF
