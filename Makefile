# newswire — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit install lock run test test-unit test-integration test-ops test-faults lint typecheck schemas check-schemas promtool chromium kafka-up kafka-down kafka-status bench bench-enrich eval clean

# Installs are reproducible: every dependency (runtime, dev, and the build backend) at the exact version and
# hashes in requirements.lock; the project itself on top, without resolving anything.
LOCK := requirements.lock
UV_VERSION := 0.13.10

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## make lock: re-resolve requirements.lock from pyproject.toml (keeps current pins, adds new dependencies);
## make lock UPGRADE=1: move every dependency to the newest version pyproject.toml allows (the upgrade command)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m uv --version 2>/dev/null | grep -q " $(UV_VERSION)" || $(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))' > $(VENV)/build-requires.in
	$(BIN)/python -m uv pip compile pyproject.toml $(VENV)/build-requires.in --extra dev --generate-hashes \
	  --universal --python-version 3.11 --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o $(LOCK)

## make run: local Kafka + topics + the service + bundled sample wires, printed as they come out
run: install
	deploy/local/kafka up
	$(BIN)/newswire topics ensure
	$(BIN)/python -m newswire.demo

## make test: lint, types, unit tests, then integration tests against the real local broker
test: install lint typecheck promtool chromium
	$(BIN)/pytest -q tests

test-unit: install
	$(BIN)/pytest -q tests/unit

test-integration: install
	$(BIN)/pytest -q tests/integration

lint: install
	$(BIN)/ruff check services tests examples
	$(BIN)/ruff format --check services tests examples

typecheck: install
	$(BIN)/mypy

schemas: install
	$(BIN)/python -m newswire.schemas write
	$(BIN)/python -m newswire.asyncapi write

check-schemas: install
	$(BIN)/python -m newswire.schemas check
	$(BIN)/python -m newswire.asyncapi check

## promtool (Debian's prometheus package) for the alert-rule tests
promtool:
	-deploy/prometheus/install-promtool.sh

## chromium (Debian's package), headless, for the status-page test; a failed install leaves that test skipped
chromium:
	-deploy/ci/install-chromium.sh

test-ops: install promtool
	$(BIN)/pytest -q tests/ops

## make test-faults: fault injection against real brokers (kill -9, rebalance, broker outage, produce failures, backpressure)
test-faults: install
	$(BIN)/pytest -q -m faults tests/faults

## make audit: known vulnerabilities in the installed dependencies (pip-audit; PyPI project pages where its service is unreachable)
audit: install
	$(BIN)/pip-audit --skip-editable || $(BIN)/python deploy/audit/pypi_latest.py

## make bench: the full benchmark (20,000 stories; not part of CI); figures in .bench/latest.json
bench: install
	deploy/local/kafka up
	$(BIN)/newswire bench --out .bench/latest.json

## make bench-enrich: p50/p99 per enrichment stage on the seed story, pinned to one core (budget: 10 ms median)
bench-enrich: install
	PYTHONPATH=services $(BIN)/python tests/eval/bench_enrich.py

## make eval: parsing (real agency wires), enrichment and identity quality on the development data in ../shared/eval (not part of CI)
eval: install
	-$(PYTHON) ../shared/eval/wire/score.py --newswire $(BIN)/newswire
	PYTHONPATH=services $(BIN)/python tests/eval/eval_ner.py
	PYTHONPATH=services $(BIN)/python tests/eval/eval_langid.py
	PYTHONPATH=services $(BIN)/python tests/eval/eval_quotes.py
	PYTHONPATH=services $(BIN)/python tests/eval/eval_identity.py

kafka-up:
	deploy/local/kafka up

kafka-down:
	deploy/local/kafka down

kafka-status:
	deploy/local/kafka status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
