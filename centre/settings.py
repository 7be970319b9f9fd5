"""Samhus settings: one module, driven by environment variables.

With no environment set, Samhus runs embedded: SQLite under var/, Celery tasks
run eagerly in the web process and mail is printed to the console. Setting
DATABASE_URL, REDIS_URL and EMAIL_URL switches to PostgreSQL, a Redis broker
with real workers, and SMTP. Every variable is in .env.example with a comment
(a test checks), the main ones in README.md.

A wrong or missing variable stops the process with one line naming it.
"""

import os
import re
import secrets
import sys
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

# The readers keep short names here: tests/centre/test_operations.py reads the
# variables this module asks for by them.
from .environment import boolean as _bool
from .environment import database_config as _database_config
from .environment import errors as _errors
from .environment import integer as _int
from .environment import items as _list
from .environment import text as _str
from .environment import url_config as _url_config
from .log import config as _logging_config
from .schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAMHUS_VAR_DIR") or BASE_DIR / "var")

# --- Mode ------------------------------------------------------------------

DATABASE_URL = _str("DATABASE_URL")
REDIS_URL = _str("REDIS_URL")
EMBEDDED = not DATABASE_URL
DEBUG = _bool("DEBUG", default=EMBEDDED)


def _secret_key() -> str:
    key = _str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        _errors.append(
            "SECRET_KEY is not set: production (DEBUG off) needs SECRET_KEY, a long random "
            "string, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
        return ""
    # Embedded default: one random key kept in var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    _errors.append(
        "ALLOWED_HOSTS is not set: list the host names Samhus answers to, e.g. samhus.example.dk"
    )
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
SITE_URL = _str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications ----------------------------------------------------------

INSTALLED_APPS = [
    "modeltranslation",  # first: the apps' ready() may build forms of translated fields
    "centre",
    "actors",
    "bookings",
    "signups",
    "collaboration",
    "seasons",
    "homes",
    "bench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "heroicons",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "centre.links.CurrentRequest",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "centre.middleware.CoordinatorTwoFactorMiddleware",
    "centre.middleware.PrivateCacheMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content-Security-Policy (django-csp): our own scripts and styles only, no
# inline script anywhere. The embeddable calendar widens frame-ancestors itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The one inline <style>: the house's own colour (base.html), with a nonce.
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "centre.urls"
WSGI_APPLICATION = "centre.wsgi.application"

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
                "centre.context_processors.house",
            ],
            # {{ day|date_as:"DAY_FORMAT" }} in every template, mails included.
            "builtins": ["centre.templatetags.dates"],
        },
    },
]

# --- Data ------------------------------------------------------------------

if DATABASE_URL:
    _db = _database_config("DATABASE_URL", environ.Env.db_url_config, ("postgres", "postgresql"))
    DATABASES = {"default": _db or {}}
    if _db:
        DATABASES["default"]["CONN_MAX_AGE"] = _int("DATABASE_CONN_MAX_AGE", 60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        if _bool("DATABASE_PREPARED", True):  # plan each kind of query once per connection
            DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "samhus.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # SQLite's page cache is 2 MB by default: a year's feed reads
                # more than that. 64 MB of cache and a memory-mapped file make
                # the calendar and the feeds read from memory.
                "init_command": "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    _errors.append("REDIS_URL must start with redis:// or rediss:// .")
# Pages are fast without a cache. What is cached must be shared by every
# process and outlive a Redis outage: allauth's counts of failed logins and
# the second factor's used codes. So the cache is a table in the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "samhus_cache",
        # Counted on every write: small, and culled by a third when full.
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    }
}

MEDIA_ROOT = Path(_str("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"
STATIC_ROOT = Path(_str("STATIC_ROOT") or VAR_DIR / "static")
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "centre.uploads.Storage"},
    "staticfiles": {
        "BACKEND": "centre.static_manifest.Storage"
        if DEBUG
        else "centre.static_manifest.ManifestStorage"
    },
}

# --- Accounts --------------------------------------------------------------

AUTH_USER_MODEL = "centre.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Each role lands on its home (homes/); residents do not sign in.
LOGIN_REDIRECT_URL = "homes:home"

ACCOUNT_ADAPTER = "actors.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "centre.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's rate limits stay on with their defaults; they live in the cache, a
# database table, so they hold across gunicorn workers and without Redis.
# A resident's sign-up for an activity (signups.views): per client address and
# per e-mail address, counted in the cache (a table every process shares).
ACCOUNT_RATE_LIMITS = {"activity_signup": "20/h/ip,5/h/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samhus"
# Coordinators approve bookings and see personal data: they must use two-factor.
SAMHUS_COORDINATOR_2FA = _bool("COORDINATOR_2FA", True)

# --- Mail ------------------------------------------------------------------

_email = _url_config("EMAIL_URL", environ.Env.email_url_config, ("smtp", "smtp+tls", "smtp+ssl"))
if _email:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = _str("DEFAULT_FROM_EMAIL", "Samhus <samhus@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ----------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer (frozen with its port open) costs a request
# at most a second, one that refuses (down) nothing: the web process hands a
# task over once, without retries, and the task waits in the outbox
# (centre.outbox). Publishing with a retry policy (a worker's retries, beat)
# keeps its own; the web process publishes only without one. A task a killed
# worker held goes back to the queue after the visibility timeout; the outbox
# and the digest hand theirs over again sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "connect_retries_timeout": 1,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_BEAT_SCHEDULE = beat_schedule(
    offer_check_seconds=_int("SAMHUS_OFFER_CHECK_SECONDS", 60),
    outbox_seconds=_int("SAMHUS_OUTBOX_SECONDS", 60),
)
# How long a released date is offered to one on the waiting list before the next.
SAMHUS_OFFER_SECONDS = _int("SAMHUS_OFFER_SECONDS", 24 * 60 * 60)
# How long a waiting task is left to the web process that wrote it before the
# outbox's flush sends it.
SAMHUS_OUTBOX_GRACE_SECONDS = _int("SAMHUS_OUTBOX_GRACE_SECONDS", 30)
# A task handed to the broker that no worker has reported done after this long
# (Redis crashed with it queued, its worker was killed) is handed over again.
SAMHUS_OUTBOX_RESEND_SECONDS = _int("SAMHUS_OUTBOX_RESEND_SECONDS", 15 * 60)
# The digest's first retry after an SMTP failure; each further one waits twice as long.
SAMHUS_DIGEST_RETRY_SECONDS = _int("SAMHUS_DIGEST_RETRY_SECONDS", 60)
# A digest send that has not finished after this long died half-way (its
# worker was killed): it is sent again, with the same Message-ID.
SAMHUS_DIGEST_STALE_SECONDS = _int("SAMHUS_DIGEST_STALE_SECONDS", 10 * 60)
# Beat does not send a digest this many hours after its moment: a coordinator
# sends it with "send now" (beat was down, or runs on a copy of old data).
SAMHUS_DIGEST_LATE_HOURS = _int("SAMHUS_DIGEST_LATE_HOURS", 6)

# --- Language and time -----------------------------------------------------

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts people write, in each language: the reader's, else Danish, else any (modeltranslation).
MODELTRANSLATION_DEFAULT_LANGUAGE = "da"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": MODELTRANSLATION_LANGUAGES}
# One format per kind of date in each language (centre.dates.date_as for Samhus's own kinds).
FORMAT_MODULE_PATH = ["centre.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

# --- Security --------------------------------------------------------------

SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", not DEBUG)
# Samhus never serves TLS itself: in production the TLS proxy (deploy/Caddyfile)
# sets X-Forwarded-Proto and replaces any value a client sent. A client that
# reaches gunicorn directly and forges it only calls its own connection secure.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Health checks from the container runtime or a load balancer speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- The client behind the proxy --------------------------------------------
# allauth's rate limits (30 sign-in attempts and 10 failed ones a minute) count
# per client IP address. Behind a proxy every request comes from the proxy, so
# all visitors share one limit unless the proxy is trusted to name the client;
# but a header no trusted proxy wrote is whatever the client wants, so none is
# believed unless configured. allauth's get_client_ip is the one rule: nothing
# else in Samhus reads a client's address.
# TRUSTED_PROXY_COUNT: how many proxies we run in front, each appending to
# X-Forwarded-For (1 with docker-compose.yml's Caddy): the client is that many
# entries from the end. TRUSTED_CLIENT_IP_HEADER instead names a header that a
# trusted proxy sets to the client's address (X-Real-IP, CF-Connecting-IP).
ALLAUTH_TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = _str("TRUSTED_CLIENT_IP_HEADER") or None
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    _errors.append("TRUSTED_PROXY_COUNT must be 0 (no proxy trusted) or more.")
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
    if not re.fullmatch(r"[A-Za-z0-9-]+", ALLAUTH_TRUSTED_CLIENT_IP_HEADER):
        _errors.append("TRUSTED_CLIENT_IP_HEADER must be a header name, e.g. X-Real-IP.")
    if ALLAUTH_TRUSTED_PROXY_COUNT:
        _errors.append("Set TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, not both.")

LOG_LEVEL = _str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    _errors.append(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}.")
    LOG_LEVEL = "INFO"
LOGGING = _logging_config(LOG_LEVEL)

# --- Operations ------------------------------------------------------------

# Beat keeps its schedule (when each periodic task last ran) in the var dir,
# never in the code's directory; `celery beat` needs no --schedule.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# A copy of production (an upgrade rehearsal, training) holds real people's
# addresses. SAMHUS_MAIL_DISABLED=true: no mail leaves, whatever EMAIL_URL says;
# each is logged as one line instead, and /healthz, every page and the admin
# say so.
SAMHUS_MAIL_DISABLED = _bool("SAMHUS_MAIL_DISABLED", False)
if SAMHUS_MAIL_DISABLED:
    EMAIL_BACKEND = "centre.mail_withheld.WithheldBackend"

if _errors:
    # One line naming the variable, not a traceback: this is read by whoever runs Samhus.
    print("Samhus configuration error: " + " ".join(_errors), file=sys.stderr)
    raise SystemExit(2)
