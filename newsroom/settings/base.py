"""Settings shared by every environment. Values come from the environment (see README)."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from moderation.policy import ModerationPolicy, PolicyError, TrustPolicy
from newsroom.lib.ratelimit import parse_rate
from newsroom.logging import logging_config
from newsroom.settings.database import prepared_statement_options
from newsroom.settings.email_url import email_settings
from newsroom.settings.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("NEWSROOM_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "articles",
    "moderation",
]

MIDDLEWARE = [
    "newsroom.health.HealthCheckMiddleware",
    "newsroom.middleware.RequestIdMiddleware",
    "newsroom.middleware.RequestBodyLimitMiddleware",
    # Before the rest: a cached page of the public comment list is sent from here.
    "moderation.comment_list_cache.CachedCommentListMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads request.POST: keeps a multipart form's bytes to check them.
    "newsroom.lib.formdata.KeepFormBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes; the timeout waits out
    # a writer instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The covering indexes' INCLUDE columns are a PostgreSQL speed-up; SQLite builds the
    # same indexes without them, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# A read replica for the public read paths (newsroom.db_router), when there is one.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["newsroom.db_router.PublicReadRouter"]
# Prepared statements on PostgreSQL (newsroom.settings.database says when a pooler allows them).
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).update(
            prepared_statement_options(env_str("DATABASE_PREPARE_THRESHOLD", ""))
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The reader pages speak these; an article page follows the article's language unless
# the reader chose one (the switch), other pages the browser's Accept-Language.
LANGUAGES = [("en", "English"), ("uk", "Українська")]
# One catalogue per app (articles/locale, moderation/locale); the shared templates' here.
LOCALE_PATHS = [BASE_DIR / "newsroom" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "corrections@newsroom.example")
# The SMTP server when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that stops answering fails the send (and the task retries it) rather
# than holding a worker until the task's time limit.
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 20)
# EMAIL_URL, when set, stands for the backend and the server settings above
# (newsroom/settings/email_url.py).
if env_str("EMAIL_URL", ""):
    globals().update(email_settings(env_str("EMAIL_URL")))

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not env_str("CACHE_URL", "")
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_URL"),
    }
}

# --- REST framework -------------------------------------------------------
_THROTTLE_RATES = {
    "comment_submit": env_str("THROTTLE_COMMENT_SUBMIT", "10/minute"),
    "public_write": env_str("THROTTLE_PUBLIC_WRITE", "20/minute"),
    "public_read": env_str("THROTTLE_PUBLIC_READ", "300/minute"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's token authentication with the caller cached per token; one class for
        # every token, so the OpenAPI schema has one token scheme.
        "newsroom.api.callers.CachedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": _THROTTLE_RATES,
    # The throttles know the client by newsroom.lib.client_address (TRUSTED_PROXY_COUNT
    # below), not by DRF's NUM_PROXIES.
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom comments and corrections API",
    "DESCRIPTION": "Reader comments, the moderation queue and correction requests.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so read-only fields are never "required" input.
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page works offline: Swagger UI is served from the sidecar package, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CommentStatusEnum": "moderation.models.Comment.Status",
        "CorrectionRequestStatusEnum": "articles.models.CorrectionRequest.Status",
        "ClassifierTaskEnum": "moderation.models.ClassifierModel.Task",
        "ClassifierStateEnum": "moderation.models.ClassifierModel.State",
        "CommenterSanctionKindEnum": "moderation.models.CommenterSanction.Kind",
        "CommenterSanctionStateEnum": "moderation.selectors.SANCTION_STATE_NAMES",
        "CommenterStandingKindEnum": "moderation.trust.STANDING_KINDS",
    },
}

# --- Client addresses ---------------------------------------------------------
# Proxies in front of the service that each append to X-Forwarded-For (nginx: 1, a load
# balancer and nginx: 2). 0 trusts only REMOTE_ADDR, so a client cannot dodge the per-IP
# limits by sending that header. Read by newsroom.lib.client_address alone.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} is below 0.")
if "NUM_PROXIES" in os.environ:
    raise ImproperlyConfigured("NUM_PROXIES is now called TRUSTED_PROXY_COUNT.")

# --- Comments and moderation policy ---------------------------------------
# (The length limits of names and comments belong to the schema: moderation/models.py.)
SPAM_REJECT = env_float("SPAM_REJECT", 0.9)
SPAM_HOLD = env_float("SPAM_HOLD", 0.5)
SPOILER_FLAG = env_float("SPOILER_FLAG", 0.5)
# Abuse score from which a comment is rejected at once, and from which it is held.
ABUSE_REJECT = env_float("ABUSE_REJECT", 0.99)
ABUSE_HOLD = env_float("ABUSE_HOLD", 0.5)
# A commenter whose email has this many comments approved by people, and no rejection
# or spam among their last TRUST_LOOKBACK decided, skips the hold band; one whose last
# DISTRUST_LAST_REJECTED decided comments were all rejected or spam is premoderated.
TRUST_MIN_APPROVED = env_int("TRUST_MIN_APPROVED", 10)
TRUST_LOOKBACK = env_int("TRUST_LOOKBACK", 20)
DISTRUST_LAST_REJECTED = env_int("DISTRUST_LAST_REJECTED", 3)
# A comment still unscored after this long is picked up by the sweep.
SCORING_GRACE_SECONDS = env_int("SCORING_GRACE_SECONDS", 60)
SCORING_SWEEP_SECONDS = env_float("SCORING_SWEEP_SECONDS", 30)
# When comments arrive faster than they are scored, one scoring task takes its comment
# and up to this many in all that wait behind it, in one batch.
SCORING_BATCH_SIZE = env_int("SCORING_BATCH_SIZE", 100)
SWEEP_BATCH_SIZE = env_int("SWEEP_BATCH_SIZE", 500)
# A sweep stops after this long and leaves the rest to the next one, so a backlog never
# keeps the scoring worker from live comments for long.
SWEEP_TIME_BUDGET_SECONDS = env_float("SWEEP_TIME_BUDGET_SECONDS", 10)
# Coalesced scoring (moderation.scoring_wanted): a comment raises a "scoring wanted" flag
# in the cache and publishes a task only when the flag was down. Needs a cache that web
# and workers share with an atomic add (Redis, CACHE_URL); off, every comment publishes
# its own task (the embedded default). The flag expires after SCORING_WANTED_SECONDS, so
# a lost task holds back publishing that long at most (the sweep scores what it left).
SCORING_COALESCE = env_bool("SCORING_COALESCE", bool(env_str("CACHE_URL", "")))
SCORING_WANTED_SECONDS = env_int("SCORING_WANTED_SECONDS", 10)
# Retrain a task once this many people's decisions came in since its last model.
RETRAIN_AFTER_DECISIONS = env_int("RETRAIN_AFTER_DECISIONS", 200)
# The registry keeps the artifacts of the active model, the one it replaced and this
# many other recent models per task; older ones are pruned nightly, their figures kept.
MODEL_RETENTION_CHALLENGERS = env_int("MODEL_RETENTION_CHALLENGERS", 10)
# Request signals (IP address) are erased after this many days.
IP_RETENTION_DAYS = env_int("IP_RETENTION_DAYS", 30)
# Campaigns: near-identical comments within this many minutes form a cluster; a
# cluster of at least CAMPAIGN_MIN_SIZE comments from CAMPAIGN_MIN_AUTHORS authors
# holds its new members for the desk.
CAMPAIGN_WINDOW_MINUTES = env_int("CAMPAIGN_WINDOW_MINUTES", 60)
CAMPAIGN_MIN_SIZE = env_int("CAMPAIGN_MIN_SIZE", 5)
CAMPAIGN_MIN_AUTHORS = env_int("CAMPAIGN_MIN_AUTHORS", 3)
# A published comment with this many open reports from readers is held for a person.
REPORTS_HOLD_AT = env_int("REPORTS_HOLD_AT", 3)
if REPORTS_HOLD_AT < 1:
    raise ImproperlyConfigured(f"REPORTS_HOLD_AT={REPORTS_HOLD_AT} must be 1 or more.")

# --- Reader pages -----------------------------------------------------------
# Top-level threads per page of an article's comments (their replies come with them).
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
# A page of comments is shared by readers and cached this long (0 turns it off); any
# change to the article's comments shows at once, relative times may lag this much.
COMMENT_PAGE_CACHE_SECONDS = env_int("COMMENT_PAGE_CACHE_SECONDS", 60)
# How long a CDN may serve the API's list of comments without asking (s-maxage); 0 has
# it revalidate every request by ETag, so a decision shows at once behind a CDN too.
COMMENT_LIST_SHARED_MAX_AGE = env_int("COMMENT_LIST_SHARED_MAX_AGE", 0)
# A web process remembers an article for the comment POST this long, instead of reading it
# on every comment; closing or archiving it reaches the POSTs that much later (0: never).
ARTICLE_LOOKUP_CACHE_SECONDS = env_int("ARTICLE_LOOKUP_CACHE_SECONDS", 5)
# Per client IP, for the reader forms ("N/second", "N/minute", "N/hour" or "N/day").
COMMENT_RATE_LIMIT = env_str("COMMENT_RATE_LIMIT", "5/minute")
CORRECTION_RATE_LIMIT = env_str("CORRECTION_RATE_LIMIT", "5/minute")
REPORT_RATE_LIMIT = env_str("REPORT_RATE_LIMIT", "10/minute")
# The author may edit their comment this long after posting it (and until a reply).
COMMENT_EDIT_WINDOW_MINUTES = env_int("COMMENT_EDIT_WINDOW_MINUTES", 10)
# "Recommend" clicks per client IP, on the reader pages.
REACTION_RATE_LIMIT = env_str("REACTION_RATE_LIMIT", "30/minute")

# --- Celery ---------------------------------------------------------------
# The embedded default needs no broker server: kombu's filesystem transport under
# var/broker/ (measured against sqla+sqlite, see docs/benchmarks.md: 4x the throughput,
# a 100 ms pickup instead of 750, 3 ms to publish instead of 44). One machine only, and
# a message is gone once taken: the sweep scores what a killed worker held. Production
# sets CELERY_BROKER_URL to Redis or RabbitMQ.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time from Redis or RabbitMQ: a task waiting in a busy worker's buffer
# could wait behind a long one. The polling transports fetch only between polls, so
# they take a few at a time (see the embedded broker below).
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_WORKER_PREFETCH_MULTIPLIER", 1)
# A lost broker connection cancels running acks_late tasks, which are delivered again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_DEFAULT_QUEUE = "scoring"
CELERY_TASK_ROUTES = {
    "moderation.tasks.retrain_models": {"queue": "training"},
    "moderation.tasks.retrain_if_due": {"queue": "training"},
    # Slow background work after a sweep; never in front of a reader's comment.
    "moderation.tasks.explain_comments": {"queue": "training"},
    "moderation.tasks.purge_old_ips": {"queue": "training"},
    "moderation.tasks.prune_models": {"queue": "training"},
    "moderation.tasks.prune_campaign_signatures": {"queue": "training"},
    # Outbound mail waits on a third party's server: never in front of scoring either.
    "articles.tasks.send_correction_thanks": {"queue": "training"},
    "articles.tasks.auto_close_articles": {"queue": "training"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a reader's request when the broker is down: one quick
# reconnect (a stale pooled connection after a broker restart), then give up; the
# sweep scores the comment later.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("CELERY_BROKER_CONNECTION_TIMEOUT", 1.0)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # The SQLAlchemy transport hands unknown options to create_engine: Redis only.
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"socket_connect_timeout": 1, "socket_timeout": 5}
elif CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_WORKER_PREFETCH_MULTIPLIER", 8)
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # Checked this often for new messages when idle (kombu's default is 1 s).
        "polling_interval": env_float("BROKER_POLLING_INTERVAL", 0.1),
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-unscored": {
        "task": "moderation.tasks.sweep_unscored",
        "schedule": SCORING_SWEEP_SECONDS,
        # A sweep not run by the next one's turn is superseded by it.
        "options": {"expires": SCORING_SWEEP_SECONDS},
    },
    "retrain-nightly": {
        "task": "moderation.tasks.retrain_models",
        "schedule": crontab(hour=3, minute=30),
    },
    "retrain-if-due": {
        "task": "moderation.tasks.retrain_if_due",
        "schedule": 600.0,
        "options": {"expires": 600},
    },
    "purge-old-ips": {
        "task": "moderation.tasks.purge_old_ips",
        "schedule": crontab(hour=4, minute=10),
    },
    "prune-models": {
        "task": "moderation.tasks.prune_models",
        "schedule": crontab(hour=4, minute=40),
    },
    "prune-campaign-signatures": {
        "task": "moderation.tasks.prune_campaign_signatures",
        "schedule": crontab(minute=20),
    },
    # Sections' auto-close limits are in days: hourly is close enough, and cheap.
    "auto-close-articles": {
        "task": "articles.tasks.auto_close_articles",
        "schedule": crontab(minute=20),
        "options": {"expires": 3600},
    },
    # Mail to readers whose task never ran (the broker was down when it was queued).
    "sweep-mail": {
        "task": "moderation.tasks.sweep_mail",
        "schedule": 300,
        "options": {"expires": 300},
    },
}

LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"), json_lines=env_bool("LOG_JSON", False))

# --- Hardening --------------------------------------------------------------
# A declared body above this is refused with 413 before it is read; the largest honest
# request (a 5,000-character comment in Cyrillic, form-encoded) is well under 64 KB.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 256 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
# Pages load scripts and styles from this site only; nothing inline runs, nothing frames us.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# --- Checked at start -------------------------------------------------------
# A value that cannot work stops the process here, at start, rather than failing the
# first comment scored or the first request throttled.
try:
    ModerationPolicy(spam_reject=SPAM_REJECT, spam_hold=SPAM_HOLD, spoiler_flag=SPOILER_FLAG)
except PolicyError as error:
    raise ImproperlyConfigured(
        f"SPAM_REJECT={SPAM_REJECT:g}, SPAM_HOLD={SPAM_HOLD:g}, SPOILER_FLAG={SPOILER_FLAG:g}: "
        f"{error}"
    ) from None
try:
    ModerationPolicy(
        spam_reject=SPAM_REJECT,
        spam_hold=SPAM_HOLD,
        spoiler_flag=SPOILER_FLAG,
        abuse_reject=ABUSE_REJECT,
        abuse_hold=ABUSE_HOLD,
    )
except PolicyError as error:
    raise ImproperlyConfigured(
        f"ABUSE_REJECT={ABUSE_REJECT:g}, ABUSE_HOLD={ABUSE_HOLD:g}: {error}"
    ) from None
try:
    TrustPolicy(
        min_approved=TRUST_MIN_APPROVED,
        lookback=TRUST_LOOKBACK,
        distrust_last=DISTRUST_LAST_REJECTED,
    )
except PolicyError as error:
    raise ImproperlyConfigured(
        f"TRUST_MIN_APPROVED={TRUST_MIN_APPROVED}, TRUST_LOOKBACK={TRUST_LOOKBACK}, "
        f"DISTRUST_LAST_REJECTED={DISTRUST_LAST_REJECTED}: {error}"
    ) from None
if not (
    CAMPAIGN_WINDOW_MINUTES >= 1 and 2 <= CAMPAIGN_MIN_AUTHORS <= CAMPAIGN_MIN_SIZE
):  # fmt: skip
    raise ImproperlyConfigured(
        f"CAMPAIGN_WINDOW_MINUTES={CAMPAIGN_WINDOW_MINUTES}, CAMPAIGN_MIN_SIZE="
        f"{CAMPAIGN_MIN_SIZE}, CAMPAIGN_MIN_AUTHORS={CAMPAIGN_MIN_AUTHORS}: the window must be "
        "at least a minute, and a campaign needs at least 2 authors and no fewer comments."
    )
for _name, _rate in {
    "THROTTLE_COMMENT_SUBMIT": _THROTTLE_RATES["comment_submit"],
    "THROTTLE_PUBLIC_WRITE": _THROTTLE_RATES["public_write"],
    "THROTTLE_PUBLIC_READ": _THROTTLE_RATES["public_read"],
    "COMMENT_RATE_LIMIT": COMMENT_RATE_LIMIT,
    "CORRECTION_RATE_LIMIT": CORRECTION_RATE_LIMIT,
    "REPORT_RATE_LIMIT": REPORT_RATE_LIMIT,
    "REACTION_RATE_LIMIT": REACTION_RATE_LIMIT,
}.items():
    try:
        parse_rate(_rate)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"{_name}: {error}") from None

# --- Mail to readers ----------------------------------------------------------------
# Links in mails are absolute: the address readers reach the reader pages at.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Replies to one reader within this many minutes go out as one digest.
MAIL_REPLY_DIGEST_MINUTES = env_int("MAIL_REPLY_DIGEST_MINUTES", 15)
# A confirmation link works this long; one confirmation request per address this often.
MAIL_CONFIRM_LINK_DAYS = env_int("MAIL_CONFIRM_LINK_DAYS", 7)
MAIL_CONFIRM_RESEND_HOURS = env_int("MAIL_CONFIRM_RESEND_HOURS", 24)
# An author may appeal a decision on their comment this long after it.
APPEAL_WINDOW_DAYS = env_int("APPEAL_WINDOW_DAYS", 183)

# --- Article sync, feeds and webhooks ---------------------------------------
# Webhooks go to https URLs of public hosts only; development may send to http and to
# local addresses (a receiver on the same machine). Never set this in production.
WEBHOOKS_ALLOW_LOCAL = env_bool("WEBHOOKS_ALLOW_LOCAL", DEBUG)
# How often beat pulls the feeds of sites that have one.
FEED_PULL_MINUTES = env_int("FEED_PULL_MINUTES", 15)
CELERY_BEAT_SCHEDULE["pull-feeds"] = {
    "task": "articles.tasks.pull_feeds",
    "schedule": FEED_PULL_MINUTES * 60.0,
    "options": {"expires": FEED_PULL_MINUTES * 60},
}
# Feeds wait on another server: the training queue, never in front of scoring.
CELERY_TASK_ROUTES["articles.tasks.pull_feeds"] = {"queue": "training"}
# A CMS syncing articles, per client address (a bulk re-sync of a large archive fits).
_THROTTLE_RATES["article_sync"] = env_str("THROTTLE_ARTICLE_SYNC", "600/minute")
try:
    parse_rate(_THROTTLE_RATES["article_sync"])
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(f"THROTTLE_ARTICLE_SYNC: {error}") from None
if FEED_PULL_MINUTES < 1:
    raise ImproperlyConfigured(f"FEED_PULL_MINUTES={FEED_PULL_MINUTES}: at least 1.")

# --- Comments on the publisher's own pages (embed.js) ----------------------------
# django-cors-headers answers preflights and sets the headers; which origins it answers
# is each site's list, asked per request by articles.site_origins.cors_allowed. Only the
# readers' endpoints answer other origins, never with credentials: the embed sends no
# cookies and sets none on the host's domain.
INSTALLED_APPS += ["corsheaders"]
# Before the body limit, so a 413 reaches the host page's script readable.
MIDDLEWARE.insert(
    MIDDLEWARE.index("newsroom.middleware.RequestBodyLimitMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
CORS_URLS_REGEX = (
    r"^/api/v1/(embed/articles/([^/]+/)?"
    r"|articles/[^/]+/(comments|correction-requests)/"
    r"|comments/[0-9]+/reports/)$"
)
CORS_ALLOWED_ORIGINS: list[str] = []
CORS_ALLOW_CREDENTIALS = False
CORS_PREFLIGHT_MAX_AGE = 3600
