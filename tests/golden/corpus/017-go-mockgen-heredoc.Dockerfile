# syntax=docker/dockerfile:1.6
FROM golang:1.22 AS mocks
WORKDIR /src
RUN <<EOF
set -eux
go install go.uber.org/mock/mockgen@v0.4.0
mkdir -p /out
EOF
RUN --mount=target=. <<EOT bash
  set -e
  for f in $(grep -rl "go:generate mockgen" --include=*.go .); do
    echo "generating for $f"
  done
  go generate ./...
  cp -r mocks /out/
EOT
FROM scratch
COPY --from=mocks /out /
