FROM debian:bookworm-slim
ENV APP_HOME=/srv/app APP_USER=svc
ARG SUBDIR=current
WORKDIR $APP_HOME
WORKDIR ${APP_HOME}/releases/${SUBDIR}/
RUN useradd -r -d "$APP_HOME" "$APP_USER"
WORKDIR ${UNSET_DIR:-fallback}
COPY . .
USER ${APP_USER}
