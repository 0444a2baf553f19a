"""Settings shared by every installation; the database comes from DATABASE_URL or SQLite."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

# Runtime data (SQLite file, signing key, collected static files) lives outside the package.
DATA_DIR = Path(os.environ.get("FROMBELOW_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")

# The record's name in its checkpoints (C2SP origin and key name: no spaces, no '+'), and the file
# holding the key that signs them: outside the database, made on first use, mode 0600.
RECORD_ORIGIN = os.environ.get("FROMBELOW_RECORD_ORIGIN", "frombelow.localhost/record")
# A checkpoint is signed after each write batch, or at most once per this many seconds, the
# writes in between covered by one signing at the interval's end (services/checkpoints.py).
RECORD_CHECKPOINT_EVERY_S = float(os.environ.get("FROMBELOW_CHECKPOINT_EVERY", "0"))
RECORD_SIGNER_KEY_FILE = Path(
    os.environ.get("FROMBELOW_RECORD_KEY_FILE", DATA_DIR / "record-signer.key")
)
DEBUG = False
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "csp",
    "axes",
    "django_ratelimit",
    "frombelow.db",
    "frombelow.services",
    "frombelow.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in member's chosen language over the cookie's (docs/members.md).
    "frombelow.web.language.member_language_middleware",
    # Tells the services which second factor the session signed in with (docs/two-factor.md).
    "frombelow.web.second_factor.second_factor_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its refusal response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "frombelow.config.urls"
WSGI_APPLICATION = "frombelow.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def database_from_environment() -> dict[str, Any]:
    """Return PostgreSQL from DATABASE_URL when set, else the embedded SQLite database."""
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "frombelow.sqlite3",
        "OPTIONS": {
            # WAL lets readers run beside the one writer; FULL survives power loss; IMMEDIATE
            # takes the write lock at BEGIN so concurrent writers queue instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Tests use a file too, so that they run with the same journal mode as production.
        "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
    }


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A strict content security policy everywhere, so that tests see what production sends: every
# script and style from our own static files, nothing inline, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-axes counts failed sign-ins per username *and* address together: an attacker elsewhere
# cannot lock a member out, and a locked-out pair may try again after the cool-off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies in front append to X-Forwarded-For (production: one, the HTTPS one).
FROMBELOW_PROXY_COUNT = int(os.environ.get("FROMBELOW_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "frombelow.http.client.client_address"

# Rate limits (frombelow.http.ratelimit) per member, else per address, on POSTs only.
FROMBELOW_RATES = {
    "cast": "60/m",  # a congress's votes come one at a time; a retried cast counts again
    "sign": "30/m",  # signing petitions
    "petition": "10/h",  # opening petitions
    # Accepting invitations (setting one's password), per address: a room of members on one
    # network may all accept theirs at a meeting.
    "sign-up": "60/h",
    # A membership officer sending invitations again, one member at a time.
    "invite": "60/h",
}
# django-ratelimit counts in the "limits" cache, a table in the installation's own database, so
# that every gunicorn worker (and every server on the same database) counts the same requests,
# with no cache server to run (docs/decisions/0007). `migrate` makes the table (migration 0010).
# Django's database cache, with each write one upsert (frombelow.config.limits_cache); one write
# in a hundred counts the table's rows, and past MAX_ENTRIES deletes the expired ones (then a
# third of the rest): the cap stands well above the requesters one window holds (a congress of
# 2,000 casting and signing in one minute makes 4,000).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limits": {
        "BACKEND": "frombelow.config.limits_cache.LimitsCache",
        "LOCATION": "frombelow_limits",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
RATELIMIT_USE_CACHE = "limits"
# django-ratelimit's checks know only memcached and Redis as shared caches (E003, W001); the
# database cache is shared too, and its increments count every post (docs/decisions/0007).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Warnings and errors to stderr, with their tracebacks: Django's default sends a page's 500 only to
# the console of a DEBUG server and to ADMINS by mail, so production kept no trace of it (issue
# 16). A 404 or a refused request (django.request's warnings) is left to the access log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "frombelow.config.logs.StderrHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
# One catalogue for the project: the pages' words and the rules' refusals (core and services too),
# so that `makemessages` run from src/frombelow writes them all here.
LOCALE_PATHS = [Path(__file__).resolve().parents[2] / "web" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail: invitations and notifications. Production names its server (see production.py); the
# demo and development print mail to the console; the tests keep it in memory.
DEFAULT_FROM_EMAIL = os.environ.get("FROMBELOW_MAIL_FROM", "frombelow <frombelow@localhost>")
# Where members reach this installation: the links in its mail start here.
FROMBELOW_BASE_URL = os.environ.get("FROMBELOW_BASE_URL", "http://127.0.0.1:8000")
# How long an invitation link works (it is Django's password-reset token, under its own salt).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("FROMBELOW_INVITATION_DAYS", "7")) * 86400
# Open sign-up (docs/members.md): off by default, so that accounts come by invitation (a roll, a
# founding); where on, a person makes their own account by confirming their address, by a link
# that works this many days.
FROMBELOW_OPEN_SIGN_UP = os.environ.get("FROMBELOW_OPEN_SIGN_UP", "") == "1"
FROMBELOW_SIGN_UP_DAYS = int(os.environ.get("FROMBELOW_SIGN_UP_DAYS", "2"))
