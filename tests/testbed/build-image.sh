#!/usr/bin/env bash
# build-image.sh -- build the pyfrontend image (`make image`) from the current tree, offline.
#
#   1. engine up (engine.sh start; an engine at $DOCKER_HOST that answers is used)
#   2. stand-in base images (standins/make-images.sh), unless PYFRONTEND_SKIP_STANDINS=1
#   3. build/wheelhouse: pip, setuptools and the runtime pins of pyproject.toml as
#      wheels for the image's platform (downloaded with pip on the host, once per pin set)
#   4. docker build -t $PYFRONTEND_IMAGE (default pyfrontend) with the engine's
#      built-in Dockerfile frontend
#
# Env: PYFRONTEND_IMAGE (tag, default pyfrontend), PYTHON_IMAGE (base, default
# python:3.11-slim), FRONTEND_CAPS (label value), PYTHON (host python, default the
# project venv's), DOCKER_BUILD_ARGS (extra arguments for docker build).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
TAG=${PYFRONTEND_IMAGE:-pyfrontend}
PYTHON=${PYTHON:-$TOP/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
# wheels the image's build stage installs besides the runtime dependencies
BUILD_WHEELS="pip==26.3 setuptools==84.2.1"

log() { printf '[build-image] %s\n' "$*" >&2; }

DOCKER_HOST=$(bash "$HERE/engine.sh" start)
export DOCKER_HOST
[ "${PYFRONTEND_SKIP_STANDINS:-0}" = 1 ] || bash "$HERE/standins/make-images.sh"

# runtime pins, read from pyproject.toml (the single place they are written)
RUNTIME=$("$PYTHON" -c 'import sys, tomllib
print(" ".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))' "$TOP/pyproject.toml")
WH=$TOP/build/wheelhouse
PINS="$BUILD_WHEELS $RUNTIME"
if [ "$(cat "$WH/.pins" 2>/dev/null)" != "$PINS" ]; then
  log "downloading wheels: $PINS"
  rm -rf "$WH"; mkdir -p "$WH"
  # shellcheck disable=SC2086
  "$PYTHON" -m pip download -q --disable-pip-version-check --only-binary=:all: -d "$WH" \
    --python-version 3.11 --implementation cp --abi cp311 \
    --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux_2_28_x86_64 $PINS
  echo "$PINS" > "$WH/.pins"
else
  log "wheelhouse up to date ($WH)"
fi

# the Dockerfile's ARG defaults stand unless the environment overrides them
args=()
[ -n "${PYTHON_IMAGE+set}" ] && args+=(--build-arg "PYTHON_IMAGE=$PYTHON_IMAGE")
[ -n "${FRONTEND_CAPS+set}" ] && args+=(--build-arg "FRONTEND_CAPS=$FRONTEND_CAPS")
log "docker build -t $TAG ${args[*]}"
# shellcheck disable=SC2086
docker build -t "$TAG" "${args[@]}" ${DOCKER_BUILD_ARGS:-} "$TOP" >&2
# the image this build replaced is left dangling: drop such leftovers of ours only
docker image prune -f --filter "label=org.opencontainers.image.title=pyfrontend" >/dev/null || true
docker image inspect -f '{{.Size}}' "$TAG" | awk -v t="$TAG" '{printf "[build-image] %s: %.1f MB\n", t, $1/1e6}' >&2
