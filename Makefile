# The README's two commands: `make run` and `make test`. Each sets up what it needs by itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= frombelow.config.settings

.PHONY: run test check lint typecheck layers pytest screenshots bench migrate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/frombelow manage migrate --noinput

## run: the demo on http://127.0.0.1:8000: migrate, seed the demo federation once (it prints the
## demo logins), and serve it with gunicorn and its static files.
run: migrate
	$(BIN)/frombelow seed-demo
	$(BIN)/frombelow serve

## test: everything CI runs: lint, format check, types, layers, the whole test suite.
test: check

check: lint typecheck layers pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# Every test runs on SQLite; every test that touches the database runs again on PostgreSQL:
# tests/conftest.py marks `uses_db` each test that has the django_db mark or a database fixture.
PG_URL ?= postgres://postgres@127.0.0.1:5432/frombelow
# Python keeps its bytecode, and pytest its rewritten test modules, in __pycache__ (ignored by
# git) even where the environment says not to: each collection (each xdist worker, both runs)
# would otherwise compile every module again, about half of the time a collection takes.
pytest screenshots: export PYTHONDONTWRITEBYTECODE :=
pytest: $(STAMP)
	$(BIN)/pytest -n 2
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -m uses_db -q || [ $$? -eq 5 ]

## screenshots: the browser tests, saving each page they visit into docs/screenshots/ (the README's
## pictures); `make test` takes the same screenshots into a temporary folder.
screenshots: $(STAMP)
	FROMBELOW_SCREENSHOTS=docs/screenshots $(BIN)/pytest -n 2 -q tests/browser

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/counting.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis var
