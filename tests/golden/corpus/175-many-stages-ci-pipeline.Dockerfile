ARG NODE=20
ARG GO=1.22
FROM node:${NODE}-alpine AS frontend-deps
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci

FROM frontend-deps AS frontend-lint
COPY web/ ./
RUN npm run lint

FROM frontend-deps AS frontend-test
COPY web/ ./
RUN npm test -- --ci

FROM frontend-deps AS frontend-build
COPY web/ ./
RUN npm run build

FROM golang:${GO}-alpine AS backend-deps
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download

FROM backend-deps AS backend-test
COPY . .
RUN go test ./...

FROM backend-deps AS backend-build
COPY . .
COPY --from=frontend-build /web/dist ./internal/web/dist
RUN CGO_ENABLED=0 go build -o /bin/app ./cmd/app

FROM alpine:3.20 AS release
COPY --from=backend-build /bin/app /bin/app
ENTRYPOINT ["/bin/app"]

FROM release AS release-debug
RUN apk add --no-cache delve

FROM scratch AS artifacts
COPY --from=backend-build /bin/app /
COPY --from=frontend-build /web/dist /web
