"""Reads about petitions: one by its id, its signatures, what it opened, a body's petitions."""

from __future__ import annotations

from frombelow.db.models import Body, Member, Motion, Petition, Referendum
from frombelow.services.queries.lookup import one


def petition_with_id(pk: int) -> Petition:
    """Return the petition with this id, with its body and the holder of the term it targets."""
    return one(Petition.objects.select_related("body", "term__holder"), pk)


def has_signed(petition: Petition, member: Member) -> bool:
    """Tell whether the member has signed the petition."""
    return petition.signatures.filter(member=member).exists()


def motion_opened_by(petition: Petition) -> Motion | None:
    """Return the motion the petition opened on reaching its threshold, if any."""
    return Motion.objects.filter(details__petition=petition.pk).first()


def referendum_opened_by(petition: Petition) -> Referendum | None:
    """Return the referendum the petition opened on reaching its threshold, if any."""
    return Referendum.objects.filter(petition=petition).first()


def petitions_to(body: Body) -> list[Petition]:
    """Return the petitions to the body."""
    return list(Petition.objects.filter(body=body))


def latest_petitions(body: Body, limit: int) -> list[Petition]:
    """Return the latest petitions to the body, the latest opened first."""
    return list(Petition.objects.filter(body=body).order_by("-opened_at")[:limit])
