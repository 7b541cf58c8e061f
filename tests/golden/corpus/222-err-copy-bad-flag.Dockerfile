FROM node:20
WORKDIR /app
COPY --chmodd=755 run.sh /app/
