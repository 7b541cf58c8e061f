# syntax=docker/dockerfile:1
FROM node:20-alpine
RUN node <<'JS'
const fs = require('fs');
fs.writeFileSync('/build.json', JSON.stringify({ at: Date.now() }));
JS
RUN ["sh", "-c", "cat /build.json"]
