#!/usr/bin/env bash
# demo.sh -- `make demo`: build a lesson example through pyfrontend and run it.
#
#   demo.sh [EXAMPLE]   EXAMPLE is a file in tests/fixtures/lesson (default
#                       Dockerfile.poster.big, a five-stage build).
# The lesson's files are used verbatim; pyfrontend is selected with
# --build-arg BUILDKIT_SYNTAX=pyfrontend (the same as a `# syntax=pyfrontend` first line).
# Env: PYFRONTEND_IMAGE (frontend image, default pyfrontend; built when missing).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LESSON=$(cd "$HERE/../fixtures/lesson" && pwd)
FRONTEND=${PYFRONTEND_IMAGE:-pyfrontend}
EXAMPLE=${1:-Dockerfile.poster.big}
TAG=pyfrontend-demo/${EXAMPLE#Dockerfile.}:latest

DOCKER_HOST=$(bash "$HERE/engine.sh" start)
export DOCKER_HOST
if ! docker image inspect "$FRONTEND" >/dev/null 2>&1; then
  PYFRONTEND_IMAGE=$FRONTEND bash "$HERE/build-image.sh"
fi

echo "== $EXAMPLE (tests/fixtures/lesson), through $FRONTEND"
sed 's/^/   | /' "$LESSON/$EXAMPLE"
echo "== docker buildx build --build-arg BUILDKIT_SYNTAX=$FRONTEND -t $TAG"
start=$(date +%s.%N)
docker buildx build --progress=plain --build-arg "BUILDKIT_SYNTAX=$FRONTEND" \
  -f "$LESSON/$EXAMPLE" -t "$TAG" --load "$LESSON"
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "== built in %.1f s\n", b - a }'
echo "== docker run --rm $TAG"
docker run --rm "$TAG"
