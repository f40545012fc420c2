# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed browser bench clean check-deploy

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages: Chromium drives the browser tests (Playwright cannot download its own browser here); Noto CJK gives
# the PDF sheets glyphs for names in Chinese, Japanese and Korean (WeasyPrint drew them as empty boxes).
DEBIAN_PACKAGES := chromium fonts-noto-cjk
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	fc-list :lang=ko family | grep -q . || missing="$$missing fonts-noto-cjk"; \
	[ -z "$$missing" ] || { \
		echo "Installing Debian's$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo $(SUDO_FLAGS)"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; }

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_seed

# make run sets up the Debian packages too, so that `make test` works right after it; the server runs without them,
# so a machine that cannot install them (no root, no sudo without a password) still gets its server.
run: seed
	@$(MAKE) --no-print-directory browser SUDO_FLAGS=-n || echo "Could not install $(DEBIAN_PACKAGES): make run goes on; make test needs them."
	@echo "Serving at http://$(HOST):$(PORT)/  (sign in as demo, formulator, curator or viewer; password magnesium-demo-2026)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py

check-deploy: install
	DJANGO_SETTINGS_MODULE=formulator.settings_production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	DJANGO_ALLOWED_HOSTS=example.com $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
