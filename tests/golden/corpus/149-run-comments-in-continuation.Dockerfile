FROM debian:bookworm
RUN apt-get update \
    # tools for debugging
    && apt-get install -y --no-install-recommends \
        curl \
        # dns tools
        dnsutils \
        iputils-ping \
#   netcat for port checks
        netcat-openbsd \
    && rm -rf /var/lib/apt/lists/*
