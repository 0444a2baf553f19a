"""Production settings: PostgreSQL from DATABASE_URL, secrets from the environment, HTTPS only."""

import os

from frombelow.config.settings.base import *  # noqa: F403

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Under a surge of casts, one checkpoint a second rather than one per cast (issue 5 allows one per
# write batch or every few minutes); receipts still get a checkpoint that covers their entry.
RECORD_CHECKPOINT_EVERY_S = float(os.environ.get("FROMBELOW_CHECKPOINT_EVERY", "1"))

# Behind the reverse proxy that terminates HTTPS, the client's address is the one the proxy adds
# to X-Forwarded-For: sign-in lockouts and rate limits must count that address, not the proxy's.
FROMBELOW_PROXY_COUNT = int(os.environ.get("FROMBELOW_PROXY_COUNT", "1"))

# The mail server that sends invitations and notifications (Django's SMTP backend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
