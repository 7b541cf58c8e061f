FROM ubuntu:22.04
ARG RUNNER_VERSION=2.317.0
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -y && apt-get upgrade -y && useradd -m docker
RUN apt-get install -y --no-install-recommends curl jq build-essential libssl-dev libffi-dev python3 python3-venv python3-dev python3-pip
WORKDIR /home/docker/actions-runner
ADD https://github.com/actions/runner/releases/download/v${RUNNER_VERSION}/actions-runner-linux-x64-${RUNNER_VERSION}.tar.gz ./runner.tar.gz
RUN tar xzf ./runner.tar.gz && rm runner.tar.gz
RUN chown -R docker ~docker && /home/docker/actions-runner/bin/installdependencies.sh
COPY --chmod=755 start.sh start.sh
USER docker
ENTRYPOINT ["./start.sh"]
