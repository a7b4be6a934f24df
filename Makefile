# The two commands: `make run` (serve the chat) and `make test` (everything CI checks).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.installed-llm
export QA_CHROMA_PATH ?= $(CURDIR)/.cache/chroma
export QA_APP_DATA ?= $(CURDIR)/.cache/app
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install install-llm browser run index test check lint unit eval bench calibrate clean

install: $(STAMP)

# The opt-in llm engine: llama-cpp-python compiles from source (several minutes on 2 cores).
install-llm: $(LLM_STAMP)

$(LLM_STAMP): $(STAMP)
	@start=$$(date +%s); CMAKE_BUILD_PARALLEL_LEVEL=2 CMAKE_ARGS="-DLLAVA_BUILD=OFF" $(BIN)/pip install --quiet -e '.[dev,llm]' && \
	  echo "[llm] extra (llama-cpp-python build) installed in $$(( $$(date +%s) - start )) s"
	touch $(LLM_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

index: install
	$(BIN)/qa index data/*.txt

run: index
	$(BIN)/qa serve

lint: install
	$(BIN)/ruff check .

browser:
	bash scripts/install-browser.sh

unit: install-llm browser
	$(BIN)/python -m pytest -q --durations=12

eval: install
	$(BIN)/qa eval --quiet

bench: install
	$(BIN)/qa bench --quick

test: lint unit eval

# The fast inner loop: ruff and the tests not marked slow (no llama.cpp build, no browser).
check: lint
	$(BIN)/python -m pytest -q -m "not slow"

# Refit the answer/refuse decision on SQuAD 2.0 and print its leave-one-article-out report.
calibrate: install
	$(BIN)/qa calibrate

clean:
	rm -rf $(VENV) .cache .pytest_cache .ruff_cache
