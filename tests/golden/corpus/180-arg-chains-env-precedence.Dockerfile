FROM ubuntu:24.04
ARG USER=builder
ARG HOME_DIR=/home/${USER}
ARG UID=1000
ARG GID=${UID}
ENV USER=envuser
ARG USER
RUN groupadd -g ${GID} grp && useradd -u ${UID} -g ${GID} -d ${HOME_DIR} -m ${USER}
ENV HOME=${HOME_DIR} PATH=${HOME_DIR}/.local/bin:${PATH}
USER ${USER}
WORKDIR ${HOME}
