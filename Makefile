# Every target sets itself up on a fresh Debian machine: system packages Qt needs, then .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Debian packages the Qt offscreen platform and Xvfb screenshots need (see the platform notes).
QT_DEBS := libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3 fonts-dejavu-core \
           xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 \
           libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
# Debian packages the tests use: libfaketime sets a process's clock back for the clock tests.
TEST_DEBS := faketime
# The tests start throwaway PostgreSQL clusters of their own (as the postgres user when run as root).
SERVER_DEBS := postgresql

.PHONY: all venv system-deps run test lint bench dist screenshots forms server clean

all: test

system-deps:
	@missing=""; for p in $(QT_DEBS) $(TEST_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) system-deps
	$(MAKE) system-deps QT_DEBS="$(SERVER_DEBS)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/cse-screen $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(STAMP)
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# A development team server: a PostgreSQL cluster under .dev/, a self-signed CA and certificate,
# an administrator; prints the URL and the CA file and serves until Ctrl-C.
server: $(STAMP)
	$(PY) -m cse_screen.server.devserver .dev

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench $(BENCH)

# Recompile ui/*.ui into cse_screen/gui/forms/ (the compiled forms are committed).
forms: $(STAMP)
	$(PY) -m cse_screen.gui.forms_build

# PNGs of the main screens on a demo database, rendered offscreen, into docs/screenshots/.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py docs/screenshots

# The PyInstaller bundle for IT, in dist/cse-screen/. Built from a fresh venv holding the project
# as a wheel (never the editable dev install) and the pinned versions in scripts/dist-constraints.txt,
# with a fixed hash seed; then the bundle's own selftest with an empty environment, then
# scripts/check_bundle.py (contents, linkage, size, start-up against a source run). Any failure
# fails.
DIST_VENV := .venv-dist
DIST_PY := $(DIST_VENV)/bin/python
# Debian's own Python, whatever python3 is first on PATH: a pyenv or home-built Python's
# libpython carries a RUNPATH into the build machine's home folder, which the bundle would copy.
DIST_PYTHON ?= /usr/bin/python3.11
# PyInstaller runs objdump and strip (binutils); Debian's Python needs python3-venv for the venv
# and libpython3.11 for the shared library PyInstaller puts in the bundle.
DIST_DEBS := binutils python3-venv libpython3.11

dist: $(STAMP)
	$(MAKE) system-deps QT_DEBS="$(DIST_DEBS)"
	rm -rf $(DIST_VENV) build/pyinstaller dist/cse-screen
	$(DIST_PYTHON) -m venv $(DIST_VENV)
	$(DIST_PY) -m pip install -q -c scripts/dist-constraints.txt '.[dist]'
	PYTHONHASHSEED=0 $(DIST_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
	  --workpath build/pyinstaller --distpath dist build.spec
	env -i dist/cse-screen/cse-screen selftest
	$(DIST_PY) scripts/check_bundle.py dist/cse-screen --source-python $(abspath $(PY))

clean:
	rm -rf build dist .venv-dist .pytest_cache .ruff_cache .mypy_cache
