FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash
CMD echo "cmd uses the shell: $0"
ENTRYPOINT exec /usr/local/bin/start --verbose
SHELL ["/bin/sh", "-c"]
RUN echo back to sh
ONBUILD RUN echo "onbuild with sh"
HEALTHCHECK CMD echo healthy
