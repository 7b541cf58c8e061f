FROM node:20-slim
ARG APP_USER=node
ARG APP_GROUP=${APP_USER}
ARG APP_DIR=/home/${APP_USER}/app
WORKDIR ${APP_DIR}
COPY --chown=${APP_USER}:${APP_GROUP} package*.json ./
RUN npm ci
COPY --chown=$APP_USER:$APP_GROUP --chmod=0640 . .
USER ${APP_USER}
