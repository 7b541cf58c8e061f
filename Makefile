# pyfrontend -- developer commands.  See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# the private test-bed engine (tests/testbed/engine.sh); an engine already at
# $DOCKER_HOST that answers is used instead
export DOCKER_HOST ?= unix:///var/lib/pyfrontend-engine/docker.sock

.PHONY: setup venv engine standins image demo test unit e2e lint fuzz protos bench clean

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

unit: venv                    ## unit tests only (no daemon)
	$(PY) -m pytest -q -m 'not e2e'

test: venv                    ## all tests: unit and end-to-end (starts what it needs)
	$(PY) -m pytest -q

e2e: venv
	$(PY) -m pytest -q -m e2e

lint: venv
	$(VENV)/bin/ruff check frontend tests
	$(VENV)/bin/ruff format --check frontend tests
	$(VENV)/bin/mypy

SECONDS ?= 60
SEED ?= 0
fuzz: venv                    ## fuzz the in-process pipeline (SECONDS=N SEED=S); saves crashes
	$(PY) -m tests.fuzz --seconds $(SECONDS) --seed $(SEED)

protos: venv                  ## regenerate frontend/pb from protos/
	$(PY) protos/generate.py

bench: venv                   ## benchmarks (parser, compiler, gateway vs built-in)
	$(PY) -m bench

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
