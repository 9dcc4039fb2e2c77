"""Lantern's one settings module. Every knob is an environment variable; see .env.example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from lantern.conf import (
    contact_public_key,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_rates,
    env_str,
    secret_from_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LANTERN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") or secret_from_file(VAR_DIR / "secret_key", nbytes=50)
# Keys the email dedupe hash; changing it makes earlier signers sign again unnoticed.
DEDUPE_KEY = env_str("DEDUPE_KEY", "") or secret_from_file(VAR_DIR / "dedupe_key")
# The organization's NaCl public key (base64) that seals supporters' contact data. The server
# never holds the private half (docs/SECURITY.md). Default: made on first run (var/contact.pub).
CONTACT_PUBLIC_KEY = contact_public_key(env_str("CONTACT_PUBLIC_KEY", ""), VAR_DIR)
# The server's own secret for what it must read itself (webhook secrets, an address kept
# until the one email to it is sent). Default: generated once into var/server_seal_key.
SERVER_SEAL_KEY = env_str("SERVER_SEAL_KEY", "") or secret_from_file(VAR_DIR / "server_seal_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "lantern.apps.LanternAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Before django_tasks_db, so that its `db_worker` command is Lantern's: leases on tasks,
    # and the retention purge's schedule.
    "lantern",
    "django_tasks",
    "django_tasks_db",
    "audit",
    "privacy",
    "cases",
    "partners",
    "campaigns",
    "actions",
    "petitions",
    "reports",
    "events",
    "widgets",
    "api",
    "letters",
    "correspondence",
    "mail",
    "kit",
    "registry",
]

MIDDLEWARE = [
    # First: the live counters' kept answers skip the rest (lantern/responses.py).
    "lantern.responses.KeptResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lantern.middleware.permissions_policy",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lantern" / "templates"],
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

# --- Database: SQLite (WAL) embedded by default, PostgreSQL through DATABASE_URL ---------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600))
    _db["CONN_HEALTH_CHECKS"] = True
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db.setdefault("TEST", {})["NAME"] = env_str("TEST_DATABASE_NAME", "test_lantern")
        # Django turns psycopg's prepared statements off (prepare_threshold None), and with
        # them the lean sign path's `prepare=True`: planning its statement anew doubled
        # PostgreSQL's CPU per signature. A threshold never reached prepares only what asks
        # for it (Django's own client-side cursors never prepare). DB_PREPARED_STATEMENTS=0
        # behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
        if env_bool("DB_PREPARED_STATEMENTS", True):
            _db.setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "lantern.sqlite3"),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
        },
        # A file, not memory, so that tests with threads share one database through WAL.
        "TEST": {"NAME": str(VAR_DIR / "test_lantern.sqlite3")},
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- The production server (manage.py serve: granian, WSGI) -------------------------------
WEB_HOST = env_str("WEB_HOST", "127.0.0.1")
WEB_PORT = env_int("WEB_PORT", 8000, minimum=1)
# Worker processes (about one per core) and threads in each: on SQLite the signatures that
# arrive while one commits share the next commit, so more threads make fuller commits (8);
# on PostgreSQL each commits alone and 4 do better than 8 (docs/PERFORMANCE.md).
WEB_WORKERS = env_int("WEB_WORKERS", 2, minimum=1)
WEB_THREADS = env_int("WEB_THREADS", 4 if DATABASE_URL else 8, minimum=1)
# Requests one worker takes at once; more wait in the listen backlog.
WEB_BACKPRESSURE = env_int("WEB_BACKPRESSURE", 64, minimum=1)

# --- Background work: django-tasks with its database backend (no extra server) ----------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A task whose worker has not been seen for this long (killed, out of memory) runs again on
# another worker; workers record a heartbeat four times per lease (lantern.background).
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 60, minimum=1)
# Starts of one task (its worker lost each time) before it is given up and marked failed.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3, minimum=1)

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lantern <lantern@localhost>")

# --- Tallies ------------------------------------------------------------------------------
# Counter rows per (campaign, country, action type); concurrent writers rarely meet on one.
TALLY_SHARDS = env_int("TALLY_SHARDS", 16, minimum=1)
# Seconds a server process keeps the public counters' figures before reading the shards again
# (0: on every request). Once writes stop, the counters equal the ledger after this long.
COUNTER_CACHE_SECONDS = env_int("COUNTER_CACHE_SECONDS", 1, minimum=0)
# How often the public counter refreshes itself, in seconds.
COUNTER_REFRESH_SECONDS = env_int("COUNTER_REFRESH_SECONDS", 5, minimum=1)
# How long a signer has to confirm from the email, in days.
CONFIRMATION_MAX_AGE_DAYS = env_int("CONFIRMATION_MAX_AGE_DAYS", 14, minimum=1)

# --- Supporters' privacy (docs/SECURITY.md) ------------------------------------------------
# Days after a campaign closes before its supporters' personal data is purged.
RETENTION_DAYS = env_int("RETENTION_DAYS", 180, minimum=0)
# Hours the server may keep an address it must write to (confirmation, rejection, privacy
# request) when the email has not gone out; it is erased as soon as the email is sent.
TRANSIENT_ADDRESS_HOURS = env_int("TRANSIENT_ADDRESS_HOURS", 168, minimum=1)
# Hours between runs of the retention purge that `manage.py db_worker` schedules.
PURGE_INTERVAL_HOURS = env_int("PURGE_INTERVAL_HOURS", 24, minimum=1)
# Hours a link to confirm an export or erasure request stays valid.
PRIVACY_LINK_MAX_AGE_HOURS = env_int("PRIVACY_LINK_MAX_AGE_HOURS", 48, minimum=1)

# --- Letters to prisoners -----------------------------------------------------------------
# Machine translation for translators' drafts: "none", or a name registered in
# letters.translation (see docs/LETTERS.md). Nothing is sent anywhere with "none".
LETTERS_MT_BACKEND = env_str("LETTERS_MT_BACKEND", "none")

# --- The registry of prisoners (docs/REGISTRY.md) -------------------------------------------
# The fair spread favours people who got the fewest letters in this many days.
FAIR_SPREAD_DAYS = env_int("FAIR_SPREAD_DAYS", 30, minimum=1)
# A card drive's writing closes this many days before its posting date, unless set by hand:
# time for moderators, translators and the mail desk.
DRIVE_MAIL_DESK_DAYS = env_int("DRIVE_MAIL_DESK_DAYS", 7, minimum=0)

# --- Partners' webhooks ----------------------------------------------------------------------
# Attempts to deliver one webhook before giving up; the wait doubles after each failure.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30, minimum=0)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
# Only for a closed network or tests: let webhooks go to loopback and private addresses.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages of the pages and emails; each has complete catalogs (see docs/TRANSLATING.md).
LANGUAGES = [
    ("en", "English"),
    ("be", "Беларуская"),
    ("ru", "Русский"),
    ("pl", "Polski"),
    ("uk", "Українська"),
]
LOCALE_PATHS = [BASE_DIR / "lantern" / "locale"]
# Date and number formats where Django has none (be) or Lantern differs (en: 2 December 2012).
FORMAT_MODULE_PATH = ["lantern.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Abuse: rate limits, proof-of-work, trusted proxies (docs/SECURITY.md) ---------------
# Redis for rate limits and spent proof-of-work challenges, shared by every web process and
# machine. Empty: a local SQLite file (GUARD_LOCAL_STORE), shared by this machine's processes.
REDIS_URL = env_str("REDIS_URL", "")
REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "lantern:")
GUARD_LOCAL_STORE = Path(env_str("GUARD_LOCAL_STORE", str(VAR_DIR / "guard.sqlite3")))
# Proxies (addresses or CIDR blocks) whose X-Forwarded-For / Forwarded headers are believed.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])
# Limits as "N/period[:burst]", comma-separated. Past a soft limit a signature is stored but
# held for review (a letter is sent to review); past a hard limit the request gets 429.
SIGN_RATE_CLIENT_SOFT = env_rates("SIGN_RATE_CLIENT_SOFT", "5/minute:10,40/hour")
SIGN_RATE_CLIENT_HARD = env_rates("SIGN_RATE_CLIENT_HARD", "30/minute,300/hour")
SIGN_RATE_CAMPAIGN_SOFT = env_rates("SIGN_RATE_CAMPAIGN_SOFT", "600/minute:1200")
SIGN_RATE_CAMPAIGN_HARD = env_rates("SIGN_RATE_CAMPAIGN_HARD", "3000/minute:6000")
LETTER_RATE_CLIENT_SOFT = env_rates("LETTER_RATE_CLIENT_SOFT", "3/minute:5,20/hour")
LETTER_RATE_CLIENT_HARD = env_rates("LETTER_RATE_CLIENT_HARD", "10/minute,60/hour")
LETTER_RATE_CAMPAIGN_SOFT = env_rates("LETTER_RATE_CAMPAIGN_SOFT", "120/minute:240")
LETTER_RATE_CAMPAIGN_HARD = env_rates("LETTER_RATE_CAMPAIGN_HARD", "600/minute:1200")
# Requests for one's data (/privacy/): hard limits only, per client and for the whole site.
PRIVACY_RATE_CLIENT_SOFT = env_rates("PRIVACY_RATE_CLIENT_SOFT", "")
PRIVACY_RATE_CLIENT_HARD = env_rates("PRIVACY_RATE_CLIENT_HARD", "3/minute:5,20/day")
PRIVACY_RATE_CAMPAIGN_SOFT = env_rates("PRIVACY_RATE_CAMPAIGN_SOFT", "")
PRIVACY_RATE_CAMPAIGN_HARD = env_rates("PRIVACY_RATE_CAMPAIGN_HARD", "60/minute:120")
# Sign-in: every attempt from one address, and failed attempts for one username.
LOGIN_RATE_CLIENT = env_rates("LOGIN_RATE_CLIENT", "10/minute,60/hour")
LOGIN_RATE_ACCOUNT = env_rates("LOGIN_RATE_ACCOUNT", "10/hour:10")
# Proof-of-work: the browser tries on average half this many SHA-256 hashes per form.
POW_DIFFICULTY = env_int("POW_DIFFICULTY", 50_000, minimum=1)
POW_MAX_AGE_SECONDS = env_int("POW_MAX_AGE_SECONDS", 1200, minimum=10)

# --- Web security: headers, cookies, HTTPS (docs/SECURITY.md) ------------------------------
# Production behind HTTPS: secure cookies, HTTPS redirect, HSTS; `check --deploy` is clean.
LANTERN_HTTPS = env_bool("LANTERN_HTTPS", False)
SECURE_SSL_REDIRECT = LANTERN_HTTPS
SESSION_COOKIE_SECURE = LANTERN_HTTPS
CSRF_COOKIE_SECURE = LANTERN_HTTPS
LANGUAGE_COOKIE_SECURE = LANTERN_HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000, minimum=0) if LANTERN_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
if TRUSTED_PROXIES:
    # The proxy in front terminates TLS and says so; only it reaches the server.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()",
)
# Every page: scripts, styles, images, fetches and workers from Lantern itself only; no
# inline script or style, no eval, no framing (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Members of partners (moderators, translators, the mail desk, editors) are not staff: they
# sign in on this page, which also takes organizers.
LOGIN_URL = "partners:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
