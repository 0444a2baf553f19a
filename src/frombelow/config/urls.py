"""URL map: the pages and the JSON API."""

from django.urls import include, path

from frombelow.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    # The language switch (Django's set_language), posted to from every page.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frombelow.web.urls")),
]
