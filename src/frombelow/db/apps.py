"""The Django app that holds the models; no logic lives here."""

from django.apps import AppConfig


class DbConfig(AppConfig):
    """Models, migrations and the mapping between rows and core values."""

    name = "frombelow.db"
    label = "frombelow"
    default_auto_field = "django.db.models.BigAutoField"
