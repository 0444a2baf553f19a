"""URL map: the pages and the JSON API."""

from django.urls import include, path

from frombelow.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("frombelow.web.urls")),
]
