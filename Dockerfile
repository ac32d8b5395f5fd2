# The one image every process runs: web (gunicorn), scoring and training workers, beat.
# Slim base, dependencies in their own layer, static files collected at build time and
# served by whitenoise, and a non-root user at run time.
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=newsroom.settings.production \
    NEWSROOM_VAR_DIR=/app/var

WORKDIR /app

# Dependencies first, so a code change does not reinstall them: exactly the versions in
# requirements-prod.lock (production only; psycopg and numpy ship wheels, so no compiler
# or libpq is needed). The code runs from /app, not installed as a package.
COPY requirements-prod.lock ./
RUN pip install --no-deps -r requirements-prod.lock

COPY manage.py ./
COPY newsroom ./newsroom
COPY articles ./articles
COPY moderation ./moderation
COPY scripts ./scripts

# Settings refuse to load without these; the values only need to parse for collectstatic.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build/build CACHE_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput -v 0

# The translation catalogues (.po in each app's locale/) compiled to the .mo files Django
# reads; gettext is needed for that alone and leaves the image afterwards.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends gettext >/dev/null \
    && SECRET_KEY=compilemessages-only ALLOWED_HOSTS=localhost \
       DATABASE_URL=postgres://build/build CACHE_URL=redis://build:6379/0 \
       python manage.py compilemessages -v 0 \
    && apt-get purge -y -qq gettext >/dev/null \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --no-create-home --home-dir /app newsroom \
    && mkdir -p /app/var \
    && chown newsroom /app/var
USER newsroom

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
# WEB_CONCURRENCY sets gunicorn's worker count (2 per core is a good start).
# Each request is logged once, as JSON, by the app itself (newsroom.middleware).
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--timeout", "30"]
