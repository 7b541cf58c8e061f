FROM node:20
WORKDIR /usr/src/app
COPY ["package.json", "package-lock.json*", "npm-shrinkwrap.json*", "./"]
RUN npm install --silent && mv node_modules ../
COPY . .
EXPOSE 9229 3000
VOLUME ["/usr/src/app/src", "/usr/src/app/test"]
RUN chown -R node /usr/src/app
USER node
CMD ["npm", "run", "dev"]
