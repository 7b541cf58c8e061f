# The pyfrontend image: BuildKit starts it for `# syntax=pyfrontend`.
#
#   docker build -t pyfrontend .                       (online: the real python:3.11-slim)
#   tests/testbed/build-image.sh                       (offline: stand-in base + wheelhouse)
#
# Built with the engine's own Dockerfile frontend (no syntax line on purpose).
# PYTHON_IMAGE names the base of both stages; they must match (bytecode, interpreter path).
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY frontend ./frontend
# build/wheelhouse (made by tests/testbed/build-image.sh, git-ignored) holds pip,
# setuptools and the pinned runtime wheels for offline builds; without it pip uses
# the index.  Packages go to one --target dir with no bytecode, then everything is
# compiled once with unchecked hashes (the image is immutable: no stat at import).
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
    mv /opt/pyfrontend/site/bin /opt/pyfrontend/bin; \
    python3 -m compileall -q --invalidation-mode unchecked-hash /opt/pyfrontend/site

FROM ${PYTHON_IMAGE}
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
COPY --from=build /opt/pyfrontend /opt/pyfrontend
ENV PATH=/opt/pyfrontend/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONPATH=/opt/pyfrontend/site \
    PYTHONDONTWRITEBYTECODE=1
ENTRYPOINT ["pyfrontend"]
