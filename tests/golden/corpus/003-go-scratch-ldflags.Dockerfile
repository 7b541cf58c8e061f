ARG VERSION=dev
ARG COMMIT
FROM golang:1.22 AS build
ARG VERSION
ARG COMMIT
WORKDIR /go/src/github.com/acme/tool
COPY . .
RUN go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT:-unknown}" \
      -o /out/tool .

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/tool /tool
ENTRYPOINT ["/tool"]
CMD ["--help"]
