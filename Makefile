# Every target bootstraps .venv itself: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# checkov pins its own HCL parser, which clashes with python-hcl2 in .venv; it
# gets a virtual environment of its own.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov

# Tests and benchmarks draw Qt windows offscreen; `make demo` opens a real one.
HEADLESS := QT_QPA_PLATFORM=offscreen

.PHONY: demo api-demo test lint format bench bench-large profile bench-smoke wrk image bundle lock clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,infra]"
	touch $(STAMP)

$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet "checkov>=3.3.30,<4"

demo: $(STAMP)  ## the desktop app, signed in to a demo account on the embedded database
	$(BIN)/expense-tracker demo

api-demo: $(STAMP)  ## only the API on the embedded database; docs at http://127.0.0.1:8000/api/schema
	$(BIN)/expense-api serve --port 8000

test: $(STAMP) $(CHECKOV)  ## lint, the whole suite, and the benchmark smoke run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(HEADLESS) $(BIN)/pytest -q
	$(MAKE) bench-smoke

bench: $(STAMP) wrk  ## the API under load beside its baselines; writes tests/benchmarks/RESULTS.md
	$(HEADLESS) $(BIN)/python -m tests.benchmarks.bench

bench-large: $(STAMP) wrk  ## 1M vs 10M expenses: cost per request must not grow with history (~40 min)
	$(HEADLESS) $(BIN)/python -m tests.benchmarks.large

profile: $(STAMP) wrk  ## py-spy samples of the list and create handlers under load (not in `make test`)
	$(HEADLESS) $(BIN)/python -m tests.benchmarks.profile_handlers

bench-smoke: $(STAMP) wrk  ## the same benchmark code on a tiny dataset (part of `make test`)
	$(HEADLESS) $(BIN)/python -m tests.benchmarks.bench --smoke
	$(HEADLESS) $(BIN)/python -m tests.benchmarks.large --smoke

wrk:
	@command -v wrk >/dev/null || { \
	  echo "wrk (HTTP load generator) is missing; installing it from Debian packages"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else echo "run: sudo apt-get install -y wrk" >&2; exit 1; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the import rules of docs/architecture.md (also a test)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Release artefacts. The version is pyproject.toml's, evaluated only when used.
VERSION = $(shell $(BIN)/python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")
IMAGE ?= expense-api
CONTAINER ?= docker

bundle: $(STAMP)  ## the desktop app as a one-folder bundle for this OS, in dist/ (packaging/desktop/README.md)
	$(BIN)/python -m pip install --quiet -e ".[bundle]"
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/desktop/expense-tracker.spec
	@du -sh dist/* 2>/dev/null || true

# The image's dependencies, resolved with hashes (Linux, the image's Python):
# the Dockerfile installs them with --require-hashes; CI checks this is current.
# uv comes with the infra extra. Add --upgrade to move every pin forward.
LOCK_FLAGS ?=
lock: $(STAMP)  ## recompile packaging/api/requirements.lock from pyproject.toml's `api` extra
	$(BIN)/uv pip compile pyproject.toml packaging/api/requirements.in --extra api \
	  --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --no-header --annotation-style line --quiet $(LOCK_FLAGS) -o packaging/api/requirements.lock

image: $(STAMP)  ## the API container image, tagged with the project version (needs a Docker engine)
	$(CONTAINER) build -f packaging/api/Dockerfile -t $(IMAGE):$(VERSION) .

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .pytest_cache .ruff_cache build dist
