FROM golang:1.22-bookworm AS protoc
ARG PROTOC_VERSION=25.1
ARG TARGETARCH
ADD https://github.com/protocolbuffers/protobuf/releases/download/v${PROTOC_VERSION}/protoc-${PROTOC_VERSION}-linux-x86_64.zip /tmp/protoc.zip
RUN apt-get update && apt-get install -y unzip && \
    unzip /tmp/protoc.zip -d /usr/local && rm /tmp/protoc.zip
RUN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.33.0 \
 && go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.3.0

FROM protoc AS generate
WORKDIR /src
COPY proto/ proto/
RUN protoc --go_out=. --go-grpc_out=. proto/*.proto

FROM scratch AS generated
COPY --from=generate /src/gen /
