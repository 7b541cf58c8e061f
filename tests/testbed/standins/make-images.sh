#!/usr/bin/env bash
# make-images.sh -- build the OFFLINE STAND-IN base images needed by the
# multi-stage-build lesson (tests/fixtures/lesson/Dockerfile.*) and the Python
# base of pyfrontend's own image, from Debian packages only (plus the
# pyinstaller wheels from PyPI).  No container registry is needed.
#
#   alpine:latest  (= standin-alpine:latest)  Debian bookworm rootfs, busybox as
#                  /bin/sh + applets, /etc/alpine-release, an offline `apk` stub,
#                  preinstalled: figlet, g++/gcc (static C++ linking works),
#                  binutils, python3 (+libpython3.11), pip (offline wheelhouse
#                  holding pyinstaller and its deps, /etc/pip.conf), bash.
#   alpine:3.15    (= standin-alpine:3.15)    busybox-static only + /etc/alpine-release
#                  + the apk stub (nothing preinstalled).
#   golang:latest  (= standin-golang:latest)  Debian trixie Go 1.24 toolchain
#                  (golang-go), busybox as /bin/sh, CGO_ENABLED=0, GOPATH=/go.
#   python:3.11-slim (= standin-python:3.11-slim)  Debian bookworm python3.11-minimal
#                  + libpython3.11-stdlib (precompiled), busybox as /bin/sh, libstdc++6;
#                  no pip (pyfrontend's build stage runs pip from a wheel).  Like
#                  busybox, built only when the engine has no python:3.11-slim or
#                  the one there is a stand-in itself.
#   standin-registry:2  (no public tag)  Debian bookworm docker-registry (the
#                  distribution registry 2.8, /usr/bin/docker-registry) and libc6 only,
#                  serving plain HTTP on :5000 from /var/lib/registry, no auth, delete
#                  enabled: the e2e tests' local registry (tests/e2e/registry/compose.yml).
#   busybox:latest is normally NOT built here (the engine already has it); only
#                  when it is missing, standin-busybox:latest (Debian busybox-static,
#                  applets in /bin, CMD ["sh"]) is built and tagged busybox:latest.
#
# These are stand-ins, not Alpine and not the official golang image.
#
# Usage: make-images.sh [--force] [--cold] [--offline] [NAME...]
#   NAME      only these images (alpine alpine315 golang busybox python registry);
#             default all of them.
#   (default) idempotent: resolves the package set, and re-imports an image only
#             when its recipe hash (script + stub + exact .deb/.whl list) changed;
#             otherwise it only makes sure the tags point at the standin images.
#   --force   rebuild and re-import every image even if the recipe is unchanged.
#   --cold    wipe the download cache (apt lists, .debs, wheels) first; implies --force.
#   --offline don't refresh apt lists or wheels; use only what is in the cache.
# Needs (host): bash, apt-get, dpkg-deb, GNU tar (--keep-directory-symlink, --sort),
#   ldconfig, flock, python3 -m pip, docker CLI; network access to the Debian archive
#   and PyPI unless --offline with a warm cache.
# Env: STANDIN (work area, default ~/.cache/standins), STANDIN_CACHE, DOCKER_HOST
#      (default: the docker CLI default), PIP (default "python3 -m pip").
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STANDIN=${STANDIN:-${XDG_CACHE_HOME:-$HOME/.cache}/standins}   # writable work area
CACHE=${STANDIN_CACHE:-$STANDIN/cache}
WORK=$STANDIN/build
[ -n "${DOCKER_HOST:-}" ] && export DOCKER_HOST
PIP=${PIP:-python3 -m pip}

FORCE=0 COLD=0 OFFLINE=0
ALL_NAMES="alpine alpine315 golang busybox python registry"
NAMES=()
for a in "$@"; do
  case $a in
    --force) FORCE=1 ;;
    --cold) COLD=1 FORCE=1 ;;
    --offline) OFFLINE=1 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;$d'; exit 0 ;;
    -*) echo "unknown option: $a" >&2; exit 2 ;;
    *) case " $ALL_NAMES " in *" $a "*) NAMES+=("$a") ;;
         *) echo "unknown image: $a (one of: $ALL_NAMES)" >&2; exit 2 ;; esac ;;
  esac
done
[ ${#NAMES[@]} -gt 0 ] || read -r -a NAMES <<< "$ALL_NAMES"
wanted() { case " ${NAMES[*]} " in *" $1 "*) return 0 ;; esac; return 1; }

# ---- pinned inputs -----------------------------------------------------------
ALPINE_RELEASE_LATEST=3.22.2    # value written to /etc/alpine-release (stand-in)
ALPINE_RELEASE_315=3.15.11
ALPINE_DEBS="busybox-static figlet g++ binutils python3 python3-pip libpython3.11 libc-bin bash"
A315_DEBS="busybox-static"
GOLANG_DEBS="busybox-static golang-go"
PYTHON_DEBS="python3.11-minimal libpython3.11-stdlib busybox-static libstdc++6"
# resolved with its dependencies, but only these two are unpacked (the binary needs libc only)
REGISTRY_DEBS="docker-registry libc6"
WHEELS="pyinstaller==6.22.3 pyinstaller-hooks-contrib==2026.9 altgraph==0.17.5 packaging==26.4 setuptools==84.2.1"
# the Debian archive and security URIs this machine's apt already uses (override with env)
apt_uris() {
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}'; } | sort -u || true
}
DEB_MIRROR=${DEB_MIRROR:-$(apt_uris | grep -v security | grep -m1 debian || true)}
DEB_SECURITY=${DEB_SECURITY:-$(apt_uris | grep -m1 security || true)}
[ -n "$DEB_MIRROR" ] || { echo "make-images: no Debian archive URI found in apt's sources; set DEB_MIRROR" >&2; exit 2; }
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

T0=$(date +%s.%N)
log() { printf '[make-images %6.1fs] %s\n' "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" "$*" >&2; }

# ---- private apt state (never touches the host's apt state) -------------------
apt_dir() { echo "$CACHE/apt-$1"; }
apt_init() {  # suite
  local d; d=$(apt_dir "$1"); mkdir -p "$d"/lists/partial "$d"/archives/partial "$d"/parts.d "$d"/prefs.d
  : > "$d/status"
  case $1 in
    bookworm) printf 'deb [signed-by=%s] %s %s main\n' \
                "$KEYRING" "$DEB_MIRROR" bookworm "$KEYRING" "$DEB_MIRROR" bookworm-updates \
                "$KEYRING" "$DEB_SECURITY" bookworm-security > "$d/sources.list" ;;
    trixie)   printf 'deb [signed-by=%s] %s %s main\n' "$KEYRING" "$DEB_MIRROR" trixie > "$d/sources.list" ;;
  esac
}
aptc() {  # suite apt-get-args...
  local d; d=$(apt_dir "$1"); shift
  apt-get -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts="$d/parts.d" \
    -o Dir::Etc::preferencesparts="$d/prefs.d" -o Dir::State::Lists="$d/lists" \
    -o Dir::State::status="$d/status" -o Dir::Cache="$d" -o Dir::Cache::archives="$d/archives" \
    -o Dir::Cache::pkgcache="$d/pkgcache.bin" -o Dir::Cache::srcpkgcache="$d/srcpkgcache.bin" \
    -o Debug::NoLocking=1 -o APT::Install-Recommends=0 -o APT::Install-Suggests=0 \
    -o Acquire::Languages=none "$@"
}
apt_update() {  # suite
  local d; d=$(apt_dir "$1")
  if [ "$OFFLINE" = 1 ]; then return 0; fi
  if [ -n "$(find "$d/lists" -maxdepth 1 -name '*_InRelease' -mmin -720 2>/dev/null)" ]; then return 0; fi
  aptc "$1" -qq update
}
# resolve the full dependency closure (empty dpkg status => nothing counts as
# installed) and print one .deb path per package; downloads what is missing.
apt_closure() {  # suite out-file pkgs...
  local suite=$1 out=$2 d key; shift 2; d=$(apt_dir "$suite")
  # warm path: same package lists, same request, every .deb still there -> no apt run
  key=$({ echo "$*"; find "$d/lists" -maxdepth 1 -type f -printf '%f %s %T@\n' | sort; } |
        sha256sum | cut -c1-16)
  if [ -s "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ] &&
     xargs -a "$out" ls >/dev/null 2>&1; then
    return 0
  fi
  rm -f "$out.key"
  aptc "$suite" -qq -y install -s "$@" \
    | awk '$1=="Inst" { v=$3; gsub(/[()]/,"",v); gsub(/:/,"%3a",v);
                        match($0, /\[[a-z0-9]+\]\)/); a=substr($0, RSTART+1, RLENGTH-3);
                        print $2 "_" v "_" a ".deb" }' | sort > "$out.names"
  [ -s "$out.names" ] || { echo "apt resolution failed for $suite: $*" >&2; return 1; }
  aptc "$suite" -qq -y install --download-only "$@" >/dev/null
  sed "s|^|$d/archives/|" "$out.names" > "$out"
  local f; while read -r f; do [ -s "$f" ] || { echo "missing $f" >&2; return 1; }; done < "$out"
  echo "$key" > "$out.key"
}

# ---- rootfs helpers -------------------------------------------------------------
new_root() {
  rm -rf "$1"; mkdir -p "$1"/usr/bin "$1"/usr/sbin "$1"/usr/lib "$1"/usr/lib64
  local x; for x in bin sbin lib lib64; do ln -s usr/$x "$1/$x"; done   # merged /usr
}
extract_debs() {  # root deblist -- unpack only (no maintainer scripts), 2 at a time
  xargs -a "$2" -P 2 -I{} sh -c 'dpkg-deb --fsys-tarfile "$1" | tar -x --keep-directory-symlink -C "$2"' _ {} "$1"
}
trim_docs() {
  rm -rf "$1"/usr/share/man "$1"/usr/share/info "$1"/usr/share/locale "$1"/usr/share/lintian
  [ -d "$1/usr/share/doc" ] && find "$1/usr/share/doc" -mindepth 2 ! -type d ! -name copyright -delete
  [ -d "$1/usr/share/doc" ] && find "$1/usr/share/doc" -mindepth 1 -type d -empty -delete
  return 0
}
busybox_base() {  # root: busybox is /bin/sh; applets fill every command Debian doesn't provide
  local r=$1 p
  ln -sfn /bin/busybox "$r/usr/bin/sh"
  for p in $("$r/usr/bin/busybox" --list-full); do
    case $p in linuxrc) continue ;; esac
    [ -e "$r/$p" ] || [ -L "$r/$p" ] || ln -s /bin/busybox "$r/$p"
  done
  mkdir -p "$r/etc" "$r/root" "$r/home" "$r/var/tmp" "$r/tmp"
  chmod 1777 "$r/tmp" "$r/var/tmp"; chmod 700 "$r/root"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
}
alpine_bits() {  # root release "apk-name debian-pkgs" lines on stdin
  local r=$1
  echo "$2" > "$r/etc/alpine-release"
  mkdir -p "$r/etc/apk"
  { echo "# standin offline stand-in: Alpine package name -> Debian package(s) actually installed"; cat; } > "$r/etc/apk/preinstalled"
  sed -n 's/^\([^#[:space:]][^[:space:]]*\).*/\1/p' "$r/etc/apk/preinstalled" > "$r/etc/apk/world"
  install -m 0755 "$HERE/apk" "$r/usr/sbin/apk"
}
manifest() {  # root deblist title
  mkdir -p "$1/usr/share/standin"
  sed 's|.*/||; s|%3a|:|' "$2" > "$1/usr/share/standin/debian-packages.txt"
  cat > "$1/usr/share/standin/README" <<EOF
$3
This image is an OFFLINE STAND-IN made by make-images.sh for a
Docker multi-stage-build lesson test bed.  It was assembled by unpacking the
Debian packages listed in debian-packages.txt (dpkg-deb, no maintainer scripts;
the few effects that matter are recreated by the script).  It is not the image
whose name it carries.
EOF
}
import_image() {  # root tag recipe-hash standin-for [--change ...]
  local r=$1 tag=$2 hash=$3 what=$4; shift 4
  tar -C "$r" --sort=name --numeric-owner -cf - . |
    docker import --change "LABEL standin.recipe=$hash standin.standin-for=$what" \
      --change "LABEL org.opencontainers.image.description=\"offline stand-in for $what built from Debian packages; not the real $what\"" \
      "$@" - "$tag" >/dev/null
}

# ---- image recipes ----------------------------------------------------------------
build_alpine_latest() {
  local r=$WORK/rootfs-alpine
  new_root "$r"; extract_debs "$r" "$WORK/alpine.debs"; trim_docs "$r"
  # effects of the maintainer scripts / alternatives that matter here
  ln -s figlet-figlet "$r/usr/bin/figlet"
  ln -s gcc "$r/usr/bin/cc"; ln -s g++ "$r/usr/bin/c++"; ln -s /usr/bin/cpp "$r/usr/lib/cpp"
  cp "$r/usr/share/libc-bin/nsswitch.conf" "$r/etc/nsswitch.conf"
  busybox_base "$r"
  ldconfig -r "$r"
  alpine_bits "$r" "$ALPINE_RELEASE_LATEST" <<'EOF'
alpine-release  (/etc/alpine-release only)
apk-tools       (offline stub /sbin/apk)
busybox         busybox-static
busybox-binsh   busybox-static (/bin/sh -> /bin/busybox)
bash            bash
figlet          figlet
gcc             gcc gcc-12 cpp-12 libgcc-12-dev
g++             g++ g++-12 libstdc++-12-dev
libstdc++       libstdc++6
libstdc++-dev   libstdc++-12-dev
libgcc          libgcc-s1
libc-dev        libc6-dev (glibc, not musl)
binutils        binutils
python3         python3 python3.11 libpython3.11
py3-pip         python3-pip (offline: /etc/pip.conf -> /usr/share/standin/wheels)
py3-setuptools  python3-setuptools
py3-wheel       python3-wheel
ca-certificates ca-certificates
EOF
  mkdir -p "$r/usr/share/standin/wheels"
  cp "$CACHE"/wheels/*.whl "$r/usr/share/standin/wheels/"
  cat > "$r/etc/pip.conf" <<'EOF'
# standin offline stand-in: there is no PyPI here.  pip installs only from the
# local wheelhouse (pyinstaller + deps, downloaded by make-images.sh).
[global]
no-index = true
find-links = /usr/share/standin/wheels
disable-pip-version-check = true
EOF
  manifest "$r" "$WORK/alpine.debs" "alpine:latest stand-in (Debian bookworm packages; /etc/alpine-release says $ALPINE_RELEASE_LATEST)"
  import_image "$r" standin-alpine:latest "$1" alpine:latest \
    --change "ENV PATH=$STD_PATH" --change 'CMD ["/bin/sh"]'
  rm -rf "$r"
}
build_alpine_315() {
  local r=$WORK/rootfs-alpine315
  new_root "$r"; extract_debs "$r" "$WORK/a315.debs"; trim_docs "$r"
  busybox_base "$r"
  alpine_bits "$r" "$ALPINE_RELEASE_315" <<'EOF'
alpine-release  (/etc/alpine-release only)
apk-tools       (offline stub /sbin/apk)
busybox         busybox-static
busybox-binsh   busybox-static (/bin/sh -> /bin/busybox)
EOF
  manifest "$r" "$WORK/a315.debs" "alpine:3.15 stand-in (busybox-static; /etc/alpine-release says $ALPINE_RELEASE_315)"
  import_image "$r" standin-alpine:3.15 "$1" alpine:3.15 \
    --change "ENV PATH=$STD_PATH" --change 'CMD ["/bin/sh"]'
  rm -rf "$r"
}
build_busybox() {  # only used when the engine has no busybox:latest (or ours is outdated)
  local r=$WORK/rootfs-busybox a
  rm -rf "$r"; mkdir -p "$r"
  extract_debs "$r" "$WORK/a315.debs"; rm -rf "$r/usr"          # keeps /bin/busybox only
  for a in $("$r/bin/busybox" --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
  mkdir -p "$r/etc" "$r/root" "$r/home" "$r/tmp"; chmod 1777 "$r/tmp"; chmod 700 "$r/root"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
  import_image "$r" standin-busybox:latest "$1" busybox:latest --change 'CMD ["sh"]'
  rm -rf "$r"
}
build_golang() {
  local r=$WORK/rootfs-golang goroot gover
  new_root "$r"; extract_debs "$r" "$WORK/golang.debs"; trim_docs "$r"
  goroot=$(readlink "$r/usr/bin/go"); goroot=${goroot#../lib/}; goroot=/usr/lib/${goroot%/bin/go}
  gover=$(sed -n '1s/^go//p' "$r$goroot/VERSION")
  # size trim: Go's own test suite, API lists, std testdata and *_test.go files
  # are not used by `go build`/`go test` of user code
  local share; share=$(readlink -f "$r$goroot/src"); share=${share%/src}
  rm -rf "$share/test" "$share/api" "$r$goroot/test" "$r$goroot/api"
  find "$share/src" -type d -name testdata -prune -exec rm -rf {} +
  find "$share/src" -name '*_test.go' -delete
  busybox_base "$r"
  mkdir -p "$r/usr/local" "$r/go/src" "$r/go/bin"; chmod -R 1777 "$r/go"
  ln -s "$goroot" "$r/usr/local/go"           # where the official image keeps Go
  manifest "$r" "$WORK/golang.debs" "golang:latest stand-in (Debian trixie golang-go, Go $gover, CGO_ENABLED=0)"
  import_image "$r" standin-golang:latest "$1" golang:latest \
    --change "ENV PATH=/go/bin:/usr/local/go/bin:$STD_PATH" --change "ENV GOLANG_VERSION=$gover" \
    --change 'ENV GOPATH=/go' --change 'ENV GOTOOLCHAIN=local' --change 'ENV CGO_ENABLED=0' \
    --change 'WORKDIR /go' --change 'CMD ["/bin/sh"]'
  rm -rf "$r"
}

build_python() {  # the base of pyfrontend's own image (Dockerfile: ARG PYTHON_IMAGE)
  local r=$WORK/rootfs-python pyver
  new_root "$r"; extract_debs "$r" "$WORK/python.debs"; trim_docs "$r"
  busybox_base "$r"
  ln -sfn python3.11 "$r/usr/bin/python3"; ln -sfn python3.11 "$r/usr/bin/python"
  # the official image has no PEP 668 marker and ships the stdlib precompiled
  # (Debian's postinst would compile it; maintainer scripts are not run here)
  rm -f "$r/usr/lib/python3.11/EXTERNALLY-MANAGED"
  printf 'hosts: files dns\n' > "$r/etc/nsswitch.conf"
  ldconfig -r "$r"
  chroot "$r" /usr/bin/python3.11 -I -m compileall -q /usr/lib/python3.11 >/dev/null
  pyver=$(chroot "$r" /usr/bin/python3.11 -I -c 'import platform; print(platform.python_version())')
  manifest "$r" "$WORK/python.debs" "python:3.11-slim stand-in (Debian bookworm python3.11-minimal + stdlib, Python $pyver, no pip)"
  import_image "$r" standin-python:3.11-slim "$1" python:3.11-slim \
    --change "ENV PATH=$STD_PATH" --change 'ENV LANG=C.UTF-8' --change "ENV PYTHON_VERSION=$pyver" \
    --change 'CMD ["python3"]'
  rm -rf "$r"
}

build_registry() {  # the e2e tests' local registry (docker compose, tests/e2e/registry)
  local r=$WORK/rootfs-registry
  new_root "$r"; extract_debs "$r" "$WORK/registry.debs"; trim_docs "$r"
  rm -rf "$r/etc/init.d" "$r/lib/systemd" "$r/usr/lib/systemd"
  mkdir -p "$r/etc" "$r/tmp" "$r/var/lib/registry"; chmod 1777 "$r/tmp"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\n' > "$r/etc/passwd"
  printf 'root:x:0:\n' > "$r/etc/group"
  # Debian's config asks for htpasswd auth and its own data dir: ours serves plain
  # HTTP without auth, as a test registry on the loopback does
  cat > "$r/etc/docker/registry/config.yml" <<'EOF'
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
EOF
  ldconfig -r "$r"
  manifest "$r" "$WORK/registry.debs" "registry:2 stand-in (Debian bookworm docker-registry, the distribution registry)"
  import_image "$r" standin-registry:2 "$1" registry:2 \
    --change "ENV PATH=$STD_PATH" --change 'EXPOSE 5000' --change 'VOLUME /var/lib/registry' \
    --change 'ENTRYPOINT ["/usr/bin/docker-registry", "serve", "/etc/docker/registry/config.yml"]'
  rm -rf "$r"
}

# ---- main ---------------------------------------------------------------------------
docker version -f '{{.Server.Version}}' >/dev/null
mkdir -p "$STANDIN"
exec 9>"$STANDIN/.make-images.lock"; flock 9        # one run at a time
if [ "$COLD" = 1 ]; then log "cold: wiping $CACHE"; rm -rf "$CACHE"; fi
mkdir -p "$CACHE/wheels" "$WORK"

log "refreshing package lists (bookworm, trixie) and wheels for: ${NAMES[*]}"
apt_init bookworm; apt_init trixie
apt_update bookworm & p1=$!
p2=
if wanted golang; then apt_update trixie & p2=$!; fi
if wanted alpine && [ "$(cat "$CACHE/wheels/.pins" 2>/dev/null)" != "$WHEELS" ]; then
  [ "$OFFLINE" = 1 ] && { echo "--offline but no cached wheels for: $WHEELS" >&2; exit 1; }
  rm -f "$CACHE"/wheels/*.whl
  # host pip config (extra indexes, find-links, constraints) is ignored on purpose
  env -u PIP_FIND_LINKS -u PIP_CONSTRAINT -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
  $PIP download -q --disable-pip-version-check --only-binary=:all: -d "$CACHE/wheels" \
    --python-version 3.11 --implementation cp --abi cp311 \
    --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 \
    $WHEELS
  echo "$WHEELS" > "$CACHE/wheels/.pins"
fi
wait $p1; [ -z "$p2" ] || wait $p2

log "resolving + downloading .deb closures"
p1= p2=
if wanted alpine; then apt_closure bookworm "$WORK/alpine.debs" $ALPINE_DEBS & p1=$!; fi
if wanted golang; then apt_closure trixie "$WORK/golang.debs" $GOLANG_DEBS & p2=$!; fi
[ -z "$p1" ] || wait $p1; [ -z "$p2" ] || wait $p2
# (one apt run at a time per suite: they share the archives directory)
if wanted alpine315 || wanted busybox; then apt_closure bookworm "$WORK/a315.debs" $A315_DEBS; fi
if wanted python; then apt_closure bookworm "$WORK/python.debs" $PYTHON_DEBS; fi
if wanted registry; then
  apt_closure bookworm "$WORK/registry-closure.debs" $REGISTRY_DEBS
  grep -E '/(docker-registry|libc6)_[^/]*\.deb$' "$WORK/registry-closure.debs" > "$WORK/registry.debs"
fi

declare -A SEED=( [alpine]=standin-alpine:latest [alpine315]=standin-alpine:3.15
                  [golang]=standin-golang:latest [busybox]=standin-busybox:latest
                  [python]=standin-python:3.11-slim [registry]=standin-registry:2 )
# the public name each is tagged with (the registry has none: registry:2 is left alone)
declare -A PUB=( [alpine]=alpine:latest [alpine315]=alpine:3.15 [golang]=golang:latest
                 [busybox]=busybox:latest [python]=python:3.11-slim [registry]= )
declare -A FN=( [alpine]=build_alpine_latest [alpine315]=build_alpine_315
                [golang]=build_golang [busybox]=build_busybox [python]=build_python
                [registry]=build_registry )
declare -A DEBS=( [alpine]=$WORK/alpine.debs [alpine315]=$WORK/a315.debs
                  [golang]=$WORK/golang.debs [busybox]=$WORK/a315.debs [python]=$WORK/python.debs
                  [registry]=$WORK/registry.debs )
# an image's recipe hash covers the shared helpers, its own build function, the
# apk stub and its exact package list: editing one recipe rebuilds only that image
recipe() {  # name -> hash of everything that defines the image content/config
  { echo "$1"; sed -n '/^# ---- rootfs helpers/,/^# ---- image recipes/p' "$0"
    declare -f "${FN[$1]}"; cat "$HERE/apk" "${DEBS[$1]}"
    [ "$1" = alpine ] && { echo "$ALPINE_RELEASE_LATEST"; (cd "$CACHE/wheels" && sha256sum ./*.whl); }
    [ "$1" = alpine315 ] && echo "$ALPINE_RELEASE_315"; true; } | sha256sum | cut -c1-16
}
declare -A HASH=()
for k in "${NAMES[@]}"; do HASH[$k]=$(recipe "$k"); done
declare -A OLD=()

MANAGED=()
for k in golang alpine alpine315 registry; do if wanted "$k"; then MANAGED+=("$k"); fi; done
# busybox:latest and python:3.11-slim belong to the engine (or to a registry);
# we only provide them when missing (or when the one there is a stand-in itself)
for k in busybox python; do
  wanted "$k" || continue
  if ! docker image inspect "${PUB[$k]}" >/dev/null 2>&1 ||
     [ -n "$(docker image inspect -f '{{index .Config.Labels "standin.recipe"}}' "${PUB[$k]}")" ]; then
    MANAGED+=("$k")
  else
    log "${PUB[$k]} exists and is not ours: left alone"
  fi
done

todo=()
for k in "${MANAGED[@]}"; do
  cur=$(docker image inspect -f '{{index .Config.Labels "standin.recipe"}}' "${SEED[$k]}" 2>/dev/null || true)
  if [ "$FORCE" = 0 ] && [ "$cur" = "${HASH[$k]}" ]; then
    log "${SEED[$k]} is up to date (recipe ${HASH[$k]})"
  else
    OLD[$k]=$(docker image inspect -f '{{.Id}}' "${SEED[$k]}" 2>/dev/null || true)
    todo+=("$k")
  fi
done

pids=()
for k in "${todo[@]}"; do
  log "building ${SEED[$k]} (recipe ${HASH[$k]})"
  ( "${FN[$k]}" "${HASH[$k]}"; log "imported ${SEED[$k]}" ) & pids+=($!)
done
rc=0; for p in "${pids[@]}"; do wait "$p" || rc=1; done
[ "$rc" = 0 ] || { echo "image build failed" >&2; exit 1; }

for k in "${MANAGED[@]}"; do
  [ -z "${PUB[$k]}" ] || docker tag "${SEED[$k]}" "${PUB[$k]}"
  old=${OLD[$k]:-}; new=$(docker image inspect -f '{{.Id}}' "${SEED[$k]}")
  if [ -n "$old" ] && [ "$old" != "$new" ] && \
     [ -n "$(docker image inspect -f '{{index .Config.Labels "standin.recipe"}}' "$old" 2>/dev/null)" ] && \
     [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$old")" ]; then
    docker rmi "$old" >/dev/null 2>&1 || log "note: could not remove old $old (in use?)"
  fi
done
rmdir "$WORK" 2>/dev/null || true
log "done"
for k in "${MANAGED[@]}"; do
  docker image inspect -f "{{.Size}} {{.Id}}" "${PUB[$k]:-${SEED[$k]}}" |
    awk -v t="${PUB[$k]:-${SEED[$k]}} (${SEED[$k]})" '{printf "  %-40s %7.1f MB  %s\n", t, $1/1e6, substr($2,8,12)}'
done
