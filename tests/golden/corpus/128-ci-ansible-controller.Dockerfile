FROM python:3.12-slim
ARG ANSIBLE_CORE=2.17.0
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client sshpass git rsync && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir ansible-core==${ANSIBLE_CORE} ansible-lint jmespath
COPY requirements.yml /tmp/
RUN --mount=type=ssh ansible-galaxy collection install -r /tmp/requirements.yml -p /usr/share/ansible/collections
ENV ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_FORCE_COLOR=1
WORKDIR /ansible
ENTRYPOINT ["ansible-playbook"]
