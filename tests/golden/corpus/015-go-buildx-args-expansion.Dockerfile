ARG REGISTRY=docker.io
ARG GO_IMAGE=library/golang
ARG GO_TAG=1.22.2-alpine3.19
FROM ${REGISTRY}/${GO_IMAGE}:${GO_TAG} AS gobase
ARG PKG=github.com/acme/widget/v2
ARG PKG_NAME=${PKG##*/}
ARG PKG_BASE=${PKG%/*}
RUN echo "building ${PKG_NAME} from ${PKG_BASE}" > /buildinfo
ENV PKG_PATH=/go/src/${PKG}
WORKDIR ${PKG_PATH}
COPY . .
RUN go build -o /usr/bin/${PKG_NAME} .
