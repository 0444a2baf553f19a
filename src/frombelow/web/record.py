"""The record's public endpoints: the latest signed checkpoint, proofs and receipts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from frombelow.services.checkpoints import latest_checkpoint


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    """Return the latest signed checkpoint as a plain-text note."""
    return HttpResponse(latest_checkpoint().note, content_type="text/plain; charset=utf-8")
