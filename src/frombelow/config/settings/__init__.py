"""Development settings: the default for `make run` and the tests (SQLite unless DATABASE_URL)."""

from frombelow.config.settings.base import *  # noqa: F403
from frombelow.config.settings.base import STORAGES

DEBUG = False
# Tests and the demo run without collectstatic; the manifest storage would refuse them.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo's invitations and notifications are printed where the server logs.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
