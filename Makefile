# The two commands of the README: `make run` and `make test`.
# Everything else here is a step of those two, or a developer convenience.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test install train lock lint nlu-eval bench shell clean help

help:
	@echo "make run       start the whole assistant (Rasa, actions, web app, local fakes)"
	@echo "make test      run every check (pytest, data validation, test stories)"
	@echo "make nlu-eval  evaluate the NLU on the held-out set against the stock pipeline"
	@echo "make lint      ruff (lint and format) and the type check (make test runs them too)"
	@echo "make lock      regenerate requirements.lock after editing requirements.in"

$(VENV)/.installed: requirements.lock scripts/bootstrap.sh
	@scripts/bootstrap.sh

install: $(VENV)/.installed

train: install
	@$(PY) -m lokseva.devtools.train >/dev/null

run: train
	@$(PY) -m lokseva.devtools.run

test: train
	@scripts/test.sh

lock:
	@scripts/lock.sh

lint: install
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

nlu-eval: install
	@$(PY) -m bench.nlu_eval

shell: train
	@eval "$$($(PY) -m lokseva.settings --export)" && $(VENV)/bin/rasa shell --model "$$($(PY) -m lokseva.devtools.train --print-path)"

clean:
	rm -rf var results test-artifacts models/*.tar.gz
