# The front panel: `make run` starts the embedded service, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run` and the other commands use the development settings; the test targets set
# the test settings themselves (pytest-django prefers this variable to pyproject.toml).
export DJANGO_SETTINGS_MODULE ?= newsroom.settings.dev

# `make test-services`: the suite on real PostgreSQL and Redis, which must be running
# (nothing is started). pytest-django creates and drops test_<database>. PYTEST_ARGS
# narrows the run, e.g. PYTEST_ARGS=tests/security.
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_services
SERVICES_BROKER_URL ?= redis://127.0.0.1:6379/15
SERVICES_CACHE_URL ?= redis://127.0.0.1:6379/14

# `make bench`: the public datasets, read in place.
DATASETS ?= ../shared/datasets
# `make lock`: uv compiles the locks (pipx install uv, or UV=/path/to/uv).
UV ?= uv
LOCK_TARGET := --python-version 3.11 --python-platform linux

.PHONY: run superuser test test-services lint lock lock-check format migrations-check bench ci clean messages compilemessages

# Every dependency at the version the lock pins, then the project itself.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## run: the whole service on SQLite with a real Celery worker and beat, no server to install
run: $(STAMP)
	@bash scripts/run.sh

## superuser: a superuser account, on request (`make run`'s own account is an editor)
superuser: $(STAMP)
	$(BIN)/python manage.py createsuperuser

## test: the whole suite on SQLite, no server needed
test: compilemessages
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/pytest -q

## test-services: the whole suite on PostgreSQL and Redis, with real worker processes
test-services: compilemessages
	DJANGO_SETTINGS_MODULE=newsroom.settings.test \
	DATABASE_URL=$(SERVICES_DATABASE_URL) CELERY_BROKER_URL=$(SERVICES_BROKER_URL) \
	CACHE_URL=$(SERVICES_CACHE_URL) NEWSROOM_SERVICES=1 $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

## lock: re-pin every dependency after changing pyproject.toml (add UV_FLAGS=--upgrade to move pins)
lock:
	$(UV) pip compile pyproject.toml --extra dev $(LOCK_TARGET) $(UV_FLAGS) -o requirements.lock
	$(UV) pip compile pyproject.toml -c requirements.lock $(LOCK_TARGET) -o requirements-prod.lock
	$(PYTHON) scripts/lockfile.py stamp

## lock-check: fail if pyproject.toml changed since the locks were compiled
lock-check: $(STAMP)
	$(BIN)/python scripts/lockfile.py check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

## bench: every benchmark but the load comparison, at small sizes (a smoke run: figures for
## docs/benchmarks.md come from the full sizes). Needs PostgreSQL and Redis, like test-services.
bench: $(STAMP)
	$(BIN)/python bench/classifier_quality.py --task spam --format youtube \
		--train $(DATASETS)/youtube_spam/Youtube01-Psy.csv $(DATASETS)/youtube_spam/Youtube02-KatyPerry.csv \
		--test $(DATASETS)/youtube_spam/Youtube03-LMFAO.csv
	$(BIN)/python bench/broker_transport.py --tasks 50 --single 5
	$(BIN)/python bench/pipeline_latency.py --rate 10 --seconds 5 --backlog 500 --baseline 100
	$(BIN)/python bench/api_queue.py --comments 1000 --requests 50
	$(BIN)/python bench/article_page.py --comments 200 --requests 30

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/*.sqlite3* var/broker var/*.password

## messages: refresh the Ukrainian catalogues (one per app) after adding reader-facing strings
messages: $(STAMP)
	for app in articles moderation newsroom; do \
		(cd $$app && PYTHONPATH=$(CURDIR) $(abspath $(BIN))/python $(CURDIR)/manage.py makemessages \
			-l uk --no-obsolete --no-location --ignore 'migrations/*') || exit 1; \
	done

## compilemessages: the .mo files Django reads (make run, make test and the image run it)
compilemessages: $(STAMP)
	$(BIN)/python manage.py compilemessages -v 0 --ignore '.venv'
