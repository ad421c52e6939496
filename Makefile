# Nhắc Việc — the two commands of the README's quick start, and their helpers.
#   make demo   try it without Telegram: the whole product in a browser (DEMO_ARGS=--keep …)
#   make run    set up .venv and .env, migrate the database (SQLite by default), run the bot
#   make test   set up .venv, then lint and run the whole test suite

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo demo-screenshots run test lint typecheck format bench-parse bench-reminders bench-summaries clean

demo: $(VENV)/.installed
	$(BIN)/nhacviec demo $(DEMO_ARGS)

# The README's screenshots: the browser test of the demo, saving them to docs/.
demo-screenshots: $(VENV)/.installed
	DEMO_SCREENSHOTS=docs $(BIN)/pytest -q tests/e2e/test_demo_browser.py

run: $(VENV)/.installed .env
	$(BIN)/nhacviec run

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@$(BIN)/pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests" >&2; fi; exit $$rc

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-parse: $(VENV)/.installed
	$(BIN)/python benchmarks/parse.py

bench-reminders: $(VENV)/.installed
	$(BIN)/python benchmarks/reminders.py

bench-summaries: $(VENV)/.installed
	$(BIN)/python benchmarks/summaries.py

# Re-install whenever the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

.env:
	cp .env.example .env
	@echo "Created .env from .env.example: put your bot token in TELEGRAM_BOT_TOKEN."

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
