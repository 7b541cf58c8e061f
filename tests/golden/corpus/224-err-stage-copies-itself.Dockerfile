FROM golang:1.22 AS build
COPY --from=build /go/bin /tmp/bin
RUN go version
