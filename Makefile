# Two entry points for a fresh machine with Python 3.11+ and make:
#   make demo   set up .venv and run the main job on the shipped example
#   make test   set up .venv with the test extras and run the whole suite
#   make lint   the linter (ruff) over the source and the tests, the type checker (mypy) over the source
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint fuzz example clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,web]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/mentormatch match examples/applications.xlsx --config examples/mentormatch.toml --output out/applications-pairings.xlsx

# The browser tests of `mentormatch serve` load axe-core (npm) into Debian's chromium.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(AXE)

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

fuzz: $(STAMP)
	MENTORMATCH_FUZZ_EXAMPLES=2000 $(BIN)/python -m pytest tests/test_fuzz.py

example: $(STAMP)
	$(BIN)/python examples/generate_example.py --output examples/applications.xlsx

clean:
	rm -rf $(VENV) out .pytest_cache
