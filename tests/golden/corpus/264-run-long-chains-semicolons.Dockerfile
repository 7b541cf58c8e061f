FROM centos:stream9
RUN set -eux; \
    dnf -y install epel-release; \
    dnf -y install \
        htop \
        jq \
        tmux; \
    dnf clean all; \
    rm -rf /var/cache/dnf; \
    { echo '[main]'; echo 'fastestmirror=1'; } >> /etc/dnf/dnf.conf; \
    jq --version && tmux -V
