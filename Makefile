# Two commands a new user needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

LOCK   := requirements.lock

.PHONY: run test install lint lock bench clean

# Exactly the locked versions, each checked against its hash; then the project itself.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
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

# After changing a dependency in pyproject.toml: resolve again from PyPI, for every platform and
# Python 3.11+, with hashes (the build requirements too), then reinstall. Pins that still fit
# are kept; LOCK_ARGS=--upgrade (or --upgrade-package NAME) moves them to the newest allowed.
lock: $(STAMP)
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  | $(BIN)/uv pip compile pyproject.toml - --extra dev --universal --python-version 3.11 \
	    --generate-hashes --no-config --index-url https://pypi.org/simple \
	    --custom-compile-command "make lock" --output-file $(LOCK) --quiet $(LOCK_ARGS)
	$(MAKE) install

# Every benchmark; rewrites docs/benchmarks.md (BENCH_RUNS=1 BENCH_MIXED_SECONDS=20: quick mode).
bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) instance .pytest_cache
