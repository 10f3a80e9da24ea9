# The commands of the README, for people and CI alike.
#   make run    install, build the synthetic sample store, open the dashboard
#   make test   install what tests need (Python packages, Chromium), lint, run every test

VENV   ?= .venv
PY     := $(VENV)/bin/python
STORE  ?= sample_store
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install sample test install-dev lint bench

run: install sample
	SOROTAN_STORE=$(STORE) HF_HUB_OFFLINE=1 $(PY) -m streamlit run app.py

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt analysis/topics/compiled.py
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps bertopic==0.17.4
	$(PY) -m analysis.topics.compiled
	touch $@

sample: install $(STORE)/builds/CURRENT

$(STORE)/builds/CURRENT:
	$(PY) -m data sample --store $(STORE)
	$(PY) -m analysis build --store $(STORE) --fast

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)
	touch $@

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint
	HF_HUB_OFFLINE=1 $(PY) -m pytest

bench: install
	$(PY) -m bench --quick
