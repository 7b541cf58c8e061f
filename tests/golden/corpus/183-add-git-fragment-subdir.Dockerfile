FROM golang:1.22 AS tools
ADD https://github.com/golang/tools.git#v0.21.0:gopls /src/gopls
ADD https://github.com/kubernetes/kubernetes.git#v1.30.1:staging/src/k8s.io/api /src/k8s-api
ADD --keep-git-dir=true https://github.com/spf13/cobra.git#main /src/cobra
WORKDIR /src/gopls
RUN go build -o /usr/local/bin/gopls .
