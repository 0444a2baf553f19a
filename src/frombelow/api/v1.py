"""The JSON API, version 1: typed schemas and a generated OpenAPI document."""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

import frombelow

api = NinjaAPI(title="frombelow", version="1", urls_namespace="api-v1")


class Health(Schema):
    """What a monitor needs to know that the installation answers."""

    status: str
    version: str


@api.get("/health", response=Health, summary="Tell that the installation answers")
def health(request: HttpRequest) -> Health:
    """Return the installation's status and version."""
    return Health(status="ok", version=frombelow.__version__)
