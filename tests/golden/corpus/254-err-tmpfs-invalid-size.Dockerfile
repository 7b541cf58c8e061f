FROM node:20-alpine
WORKDIR /app
RUN --mount=type=tmpfs,target=/tmp,size=big npm ci
