# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
COPY --link go.mod go.sum ./
RUN go mod download
COPY --link . .
RUN go build -o /out/app .

FROM alpine:3.20
COPY --link --from=build /out/app /usr/local/bin/app
COPY --link --chown=65534:65534 config/ /etc/app/
COPY --link --chmod=0444 LICENSE /usr/share/licenses/app/LICENSE
ADD --link https://raw.githubusercontent.com/acme/app/main/README.md /usr/share/doc/app/
USER 65534
ENTRYPOINT ["app"]
