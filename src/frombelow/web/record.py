"""The record's public endpoints: the latest signed checkpoint, consistency proofs, receipts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from frombelow.services import access, clock
from frombelow.services.checkpoints import ProofError, consistency, latest_checkpoint, receipt
from frombelow.services.queries.members import member_of_user


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    """Return the latest signed checkpoint as a plain-text note."""
    return HttpResponse(latest_checkpoint().note, content_type="text/plain; charset=utf-8")


def _size(request: HttpRequest, name: str) -> int | None:
    text = request.GET.get(name, "")
    return int(text) if text.isascii() and text.isdigit() else None


@require_GET
def consistency_view(request: HttpRequest) -> JsonResponse:
    """Return the proof that the record of `from` entries is a prefix of that of `to` (JSON)."""
    old, new = _size(request, "from"), _size(request, "to")
    if old is None or new is None:
        return JsonResponse({"error": "give from=N&to=M, whole numbers"}, status=400)
    try:
        return JsonResponse(consistency(old, new))
    except ProofError as error:
        return JsonResponse({"error": str(error)}, status=404)


@require_GET
def receipt_view(request: HttpRequest, seq: int) -> JsonResponse:
    """Return an entry's receipt (the entry, its inclusion proof and the latest checkpoint) to
    whoever may read the entry: it repeats what it records, a roll-call ballot, a dissent."""
    member = member_of_user(request.user.pk) if request.user.is_authenticated else None
    at = clock.now()
    if member is None:
        return JsonResponse({"error": _("sign in to read the record's entries")}, status=401)
    if not access.may_read_entry(access.viewer_at(member, at), seq, at):
        return JsonResponse(
            {"error": _("only those who may read its body read this entry")}, status=403
        )
    try:
        return JsonResponse(receipt(seq))
    except ProofError as error:
        return JsonResponse({"error": str(error)}, status=404)
