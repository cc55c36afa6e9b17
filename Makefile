# Skillgap: `make run` to serve the app, `make test` to run the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run serve test setup install install-dev migrate catalog reports clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# install: what the app needs to run (requirements.txt); install-dev adds the test tools.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

catalog: migrate
	$(BIN)/python manage.py load_catalog

# Stored report bodies are drawn from the templates of the release that drew them: draw them again.
reports: catalog
	$(BIN)/python manage.py render_reports

setup: reports

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production serving: gunicorn (config/gunicorn.py) on PostgreSQL, static files by whitenoise.
# Needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment (see .env.example).
SERVE_ENV := DJANGO_ENV=production
serve: install
	@test -n "$$DATABASE_URL" || { echo "make serve needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillgap (see .env.example)." >&2; exit 1; }
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py render_reports
	$(SERVE_ENV) $(BIN)/gunicorn -c config/gunicorn.py

# axe-core for the browser tests' accessibility checks; --ignore-scripts, so nothing downloads a browser.
NPM ?= npm
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	touch $@

test: install-dev node_modules/.installed
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_catalog
	$(BIN)/python manage.py render_reports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Load benchmark, not part of make test: seeds PostgreSQL (BENCH_DATABASE_URL, default the
# skillgap_bench database), serves it with gunicorn and drives each page with wrk, then counts the
# questionnaire's items per O*NET career and times the career and admin searches; see bench/run.py.
bench: install
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "make bench needs PostgreSQL on 127.0.0.1:5432." >&2; exit 1; }
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
