# syntax=docker/dockerfile:1.7-labs
FROM node:20-alpine
WORKDIR /app
COPY --exclude=node_modules --exclude=**/*.test.js --exclude=.git . .
COPY --exclude=*.md --exclude=docs/ docs-src/ /usr/share/docs/
ADD --exclude=*.tmp assets/ /app/public/
