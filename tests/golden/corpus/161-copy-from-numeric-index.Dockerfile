FROM golang:1.22-alpine
WORKDIR /go/src/app
COPY . .
RUN go build -o app .

FROM node:20-alpine
WORKDIR /ui
COPY ui/ .
RUN npm ci && npm run build

FROM alpine:latest
COPY --from=0 /go/src/app/app /usr/local/bin/app
COPY --from=1 /ui/dist /var/www
CMD ["app"]
