"""WSGI entry point for the production web server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
application = get_wsgi_application()
