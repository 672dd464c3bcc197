# Two commands a new user needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Local mode: the simulator instead of LINE, served on 127.0.0.1 only.
run: export BOT_LOCAL_MODE = 1
run: $(STAMP)
	$(BIN)/python -m bot db upgrade
	$(BIN)/python -m bot kb import --sample
	$(BIN)/python -m bot invite seed-simulator
	$(BIN)/python -m bot serve --port $${PORT:-8000}

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench

bench: $(STAMP)
	$(BIN)/python bench/webhook.py

clean:
	rm -rf $(VENV) instance .pytest_cache
