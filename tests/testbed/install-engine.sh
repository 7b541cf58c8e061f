#!/usr/bin/env bash
# install-engine.sh -- install Debian's Docker engine (docker.io, docker-cli,
# docker-buildx, and docker-compose 2.x for the e2e registry, from the trixie suite)
# when it is missing.  On Debian 12 trixie
# is added as an extra apt source pinned below the default, so only these
# packages (and what they strictly need) come from it.  Idempotent; needs root.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
# Compose v2 (the `docker compose` plugin): Debian 12's own docker-compose is 1.29
compose_v2() { docker compose version --short 2>/dev/null | grep -q '^2\.'; }
if have dockerd && docker buildx version >/dev/null 2>&1 && compose_v2; then
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "install-engine: needs root (apt-get)" >&2; exit 1; }

. /etc/os-release
if [ "${VERSION_CODENAME:-}" != trixie ] && [ ! -e /etc/apt/sources.list.d/pyfrontend-trixie.sources ]; then
  mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -m1 -v security || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  cat > /etc/apt/sources.list.d/pyfrontend-trixie.sources <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  cat > /etc/apt/preferences.d/pyfrontend-trixie <<PREF
Package: *
Pin: release n=trixie
Pin-Priority: 100
PREF
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
pkgs="docker.io docker-cli docker-buildx docker-compose"
if [ "${VERSION_CODENAME:-}" != trixie ]; then
  # only these four come from trixie (`pkg/suite`); everything else, libc and
  # containerd included, stays on the default suite (never `-t trixie`, which would
  # take every dependency from trixie and half-upgrade the machine)
  pkgs="docker.io/trixie docker-cli/trixie docker-buildx/trixie docker-compose/trixie"
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs iptables iproute2 ca-certificates >/dev/null
docker buildx version
docker compose version
