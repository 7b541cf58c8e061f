# The pyfrontend image: BuildKit starts it for `# syntax=pyfrontend`.
#
#   docker build -t pyfrontend .                       (online: the real python:3.11-slim)
#   tests/testbed/build-image.sh                       (offline: stand-in base + wheelhouse)
#
# Built with the engine's own Dockerfile frontend (no syntax line on purpose).
# The build stage, on PYTHON_IMAGE, installs the package; then image/assemble.py gathers
# only what the frontend runs into /rootfs: the interpreter and the shared libraries it
# and the native modules load, the stdlib modules the frontend can import, grpcio's and
# protobuf's native modules, everything else as bytecode in one module pack
# (image/packimport.py) that the launcher installs.  /rootfs is the whole final
# stage: FROM scratch, no shell, no package manager.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY frontend ./frontend
# build/wheelhouse (made by tests/testbed/build-image.sh, git-ignored) holds pip,
# setuptools and the pinned runtime wheels for offline builds; without it pip uses
# the index.  Packages go to one --target dir with no bytecode (assemble.py compiles
# what it ships, once, with unchecked hashes: the image is immutable).
RUN --mount=type=bind,target=/ctx \
    set -e; \
    wh=/ctx/build/wheelhouse; \
    if ls "$wh"/pip-*.whl >/dev/null 2>&1; then \
      pipwhl=$(ls "$wh"/pip-*.whl | head -n 1); \
      pip="python3 $pipwhl/pip"; opts="--no-index --find-links=$wh"; \
    else \
      pip="python3 -m pip"; opts=""; \
    fi; \
    $pip install --disable-pip-version-check --no-cache-dir --no-compile --root-user-action=ignore \
      $opts --target /opt/pyfrontend/site /src; \
    mv /opt/pyfrontend/site/bin /opt/pyfrontend/bin
# --check runs the result in a chroot (every shipped module imports, from the module
# pack, every sub-command runs); the bytes per part are in the build log
RUN --mount=type=bind,source=image,target=/tmp/image \
    python3 /tmp/image/assemble.py --site /opt/pyfrontend/site --bin /opt/pyfrontend/bin \
      --out /rootfs --check

FROM scratch
# the frontend's capabilities, checked by the daemon before it starts us
# (moby.buildkit.frontend.inputs / subrequests / contexts / gitquerystring): only what
# we implement (inputs: the request's frontend inputs as the Dockerfile, the context and
# input: named contexts; subrequests: --print / --call outline, targets, check and
# describe; contexts: --build-context with docker-image://, local:, git, http(s),
# input: and oci-layout:// values; gitquerystring: a git URL's ?ref=..&subdir=.. query)
ARG FRONTEND_CAPS="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts,moby.buildkit.frontend.gitquerystring"
LABEL moby.buildkit.frontend.network.none="true" \
      moby.buildkit.frontend.caps="${FRONTEND_CAPS}" \
      org.opencontainers.image.title="pyfrontend" \
      org.opencontainers.image.description="A BuildKit Dockerfile frontend written in Python"
COPY --from=build /rootfs /
ENV PATH=/opt/pyfrontend/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONPATH=/opt/pyfrontend/site \
    PYTHONDONTWRITEBYTECODE=1
ENTRYPOINT ["pyfrontend"]
