# pyfrontend -- developer commands.  See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# the private test-bed engine (tests/testbed/engine.sh); an engine already at
# $DOCKER_HOST that answers is used instead
export DOCKER_HOST ?= unix:///var/lib/pyfrontend-engine/docker.sock

.PHONY: setup venv engine standins image demo test test-fast unit e2e lint fuzz protos bench stop clean

setup: venv engine            ## install everything: Python deps and the Docker engine

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $@

engine:                       ## install (if missing) and start the private engine
	bash tests/testbed/engine.sh start

standins: engine              ## offline stand-in base images (alpine, golang, busybox, python)
	bash tests/testbed/standins/make-images.sh

image: standins               ## build the pyfrontend image with the engine
	bash tests/testbed/build-image.sh

demo: venv image              ## build and run a lesson example through pyfrontend
	bash tests/testbed/demo.sh

# one line per test file with its progress, then a summary of skips, failures and
# errors (-ra) and the slowest tests; PYTEST_ARGS=-v for one line per test
PYTEST_OPTS ?= -ra --durations=10 $(PYTEST_ARGS)

unit: venv                    ## unit tests only (no daemon)
	$(PY) -m pytest $(PYTEST_OPTS) -m 'not e2e'

test: venv                    ## all tests: unit and end-to-end (starts what it needs)
	$(PY) -m pytest $(PYTEST_OPTS)

test-fast: venv               ## unit tests and one end-to-end smoke test (<= 3 minutes warm)
	$(PY) -m pytest $(PYTEST_OPTS) -m 'not e2e or smoke'

e2e: venv
	$(PY) -m pytest $(PYTEST_OPTS) -m e2e

lint: venv
	$(VENV)/bin/ruff check frontend tests image
	$(VENV)/bin/ruff format --check frontend tests image
	$(VENV)/bin/mypy

SECONDS ?= 60
SEED ?= 0
fuzz: venv                    ## fuzz the in-process pipeline (SECONDS=N SEED=S); saves crashes
	$(PY) -m tests.fuzz --seconds $(SECONDS) --seed $(SEED)

protos: venv                  ## regenerate frontend/pb from protos/
	$(PY) protos/generate.py

bench: venv                   ## benchmarks (parser, compiler, gateway vs built-in)
	$(PY) -m bench

stop:                         ## stop the test bed's three engines and remove their bridges (pfctrd0, pfdeb0)
	bash tests/testbed/engine.sh stop
	PYFRONTEND_ENGINE_STORE=containerd bash tests/testbed/engine.sh stop
	PYFRONTEND_ENGINE_STORE=debian12 bash tests/testbed/engine.sh stop

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
