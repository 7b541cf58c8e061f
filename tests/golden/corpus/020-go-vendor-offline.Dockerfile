FROM golang:1.19 AS build
ENV GOFLAGS=-mod=vendor GOPROXY=off
WORKDIR $GOPATH/src/example.com/app
ADD . .
RUN go build -v -o /app
FROM busybox:1.36@sha256:921c37e3db4981fac6f9cc92eb288a378378f3162fc5d856d7261c5d7bb2d65c
COPY --from=build /app /bin/app
STOPSIGNAL SIGINT
CMD /bin/app
