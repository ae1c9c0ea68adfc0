# Knowhow: `make run` to try it, `make test` to test it. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-e2e lint migrations-check format audit migrate clean bench bench-peer bench-faults bench-load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make a second `make run` skip the install when nothing changed.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable

run: migrate
	$(BIN)/python manage.py load_catalogue
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Knowhow is starting on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@echo "A background worker runs beside the site: it prints emails (sign-up"
	@echo "verification, password reset) here in the console."
	@echo
	$(BIN)/python manage.py devserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the browser journeys (tests/e2e); set DATABASE_URL to run them on PostgreSQL as CI does.
test-e2e: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# lint-imports checks the layers declared in pyproject.toml ([tool.importlinter]).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=site $(BIN)/lint-imports

# Fails when a model change has no migration (CI runs it).
migrations-check: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit -r requirements.txt --progress-spinner off

clean:
	rm -rf $(VENV) .venv-peer .pytest_cache .ruff_cache static_collected

# Benchmarks: BENCHMARKS.md says what they measure. BENCH_ARGS=--write records the results
# there; BENCH_ARGS="--dataset scale" measures the database `python -m bench seed-scale`
# filled (PostgreSQL).
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

# Side by side with the wagtail-lms package (issue #18): installs it from PyPI into .venv-peer,
# seeds the same course on both sides and loads both under gunicorn + wrk (about 5 minutes,
# so not part of `make bench`). PostgreSQL by default (DATABASE_URL names it, else
# .../knowhow); BENCH_PEER_ARGS="--database sqlite", "--write" records it in BENCHMARKS.md.
bench-peer: $(VENV)/.installed-dev
	$(BIN)/python -m bench.peer $(BENCH_PEER_ARGS)

# The fault suite (issue #15): two nodes and two workers on a throwaway PostgreSQL, Redis and
# SMTP server of its own, under a bounded load of reps, while PostgreSQL restarts, Redis restarts,
# a worker is killed mid-send and SMTP is blocked (about 2 minutes). BENCH_FAULTS_ARGS=--write
# records the figures in BENCHMARKS.md.
bench-faults: $(VENV)/.installed-dev
	$(BIN)/python -m bench.faults $(BENCH_FAULTS_ARGS)

# The learner journey under load (issue #18 item 6): locust (installed into .venv-load) runs 50
# reps against one gunicorn node on a throwaway PostgreSQL and Redis for a minute: per-step
# p50/p95/p99, throughput and reps per core. BENCH_LOAD_ARGS=--write records it in BENCHMARKS.md.
bench-load: $(VENV)/.installed-dev
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)
