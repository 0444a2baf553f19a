"""The Django app for the server-rendered pages."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Views, templates and static files."""

    name = "frombelow.web"
    label = "frombelow_web"
