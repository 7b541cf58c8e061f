from node:20-bullseye-slim as base
env NODE_ENV=production
run apt-get update && apt-get install -y openssl sqlite3

from base as deps
workdir /myapp
add package.json package-lock.json .npmrc ./
run npm install --include=dev

from base as production-deps
workdir /myapp
copy --from=deps /myapp/node_modules /myapp/node_modules
add package.json package-lock.json .npmrc ./
run npm prune --omit=dev

from base
workdir /myapp
copy --from=production-deps /myapp/node_modules /myapp/node_modules
add . .
cmd ["npm", "start"]
