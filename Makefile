# Two entry points for a fresh machine (see README):
#   make run   - set up, build the index from corpus/, serve the web page and watch corpus/
#   make test  - set up (with test tools and Debian's chromium), run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup setup-test chromium fonts ocr java

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

chromium:
	@command -v chromium >/dev/null || scripts/install-chromium

fonts:
	@scripts/install-fonts

ocr:
	@scripts/install-ocr $(if $(filter run,$(MAKECMDGOALS)),--optional)

# The bundled corpus is indexed with meaning vectors (cross-language search; ~10 s for its
# 57 passages, once): `defsearch index --semantic` keeps the choice for every later update.
run: setup ocr
	$(VENV)/bin/defsearch index --semantic
	$(VENV)/bin/defsearch serve --watch --host $(HOST) --port $(PORT)

# The OpenSearch backend's tests run a 3-node cluster from Maven Central jars
# (scripts/opensearch-cluster): a JDK 17 and Maven, from Debian's packages when missing.
java:
	@command -v javac >/dev/null && command -v mvn >/dev/null || \
		{ apt-get update -q && apt-get install -y -q openjdk-17-jdk-headless maven; }

test: setup-test chromium fonts ocr java
	$(PY) -m pytest -q
