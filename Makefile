# Two entry points for a fresh Debian machine (run as root, or with sudo rights):
#   make run    install everything, then watch ./inbox with the embedded defaults
#   make test   install everything, then run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
DEBIAN_PACKAGES := tesseract-ocr tesseract-ocr-tha fonts-thai-tlwg
# Only the tests need a browser: the web app is driven by Playwright in Debian's chromium.
TEST_DEBIAN_PACKAGES := chromium
export PYTHAINLP_OFFLINE := 1

.PHONY: run test setup system-packages

run: setup
	$(VENV)/bin/oit watch

test: PACKAGES = $(DEBIAN_PACKAGES) $(TEST_DEBIAN_PACKAGES)
test: setup
	$(PY) -m pytest

setup: system-packages $(VENV)/.installed

PACKAGES ?= $(DEBIAN_PACKAGES)

system-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@
