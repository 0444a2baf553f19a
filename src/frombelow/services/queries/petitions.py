"""Reads about petitions: one by its id, its signatures, what it opened, a body's petitions."""

from __future__ import annotations

from datetime import datetime, timedelta

from frombelow.db.models import Body, Decision, Member, Motion, Petition, Referendum, Term
from frombelow.services.queries.bodies import statute_of
from frombelow.services.queries.lookup import one


def petition_with_id(pk: int) -> Petition:
    """Return the petition with this id, with its body and the holder of the term it targets."""
    return one(
        Petition.objects.select_related("body", "term__holder", "opened_by", "decision__motion"), pk
    )


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


def _same_question(question: str) -> str:
    """Return a question as compared for duplicates: case and spacing aside."""
    return " ".join(question.split()).casefold()


def open_petition_for(
    kind: str,
    body: Body,
    *,
    question: str = "",
    term: Term | None = None,
    decision: Decision | None = None,
) -> Petition | None:
    """Return the open petition (not yet at its threshold) that asks the same as one would.

    The same recall names the same term; the same reopening, the same decision; the same
    referendum asks the same question of the same council.
    """
    open_ones = Petition.objects.filter(kind=kind, body=body, reached_at__isnull=True)
    if kind == Petition.Kind.RECALL:
        return open_ones.filter(term=term).first()
    if kind == Petition.Kind.REOPENING:
        return open_ones.filter(decision=decision).first()
    wanted = _same_question(question)
    return next((p for p in open_ones if _same_question(p.question) == wanted), None)


def motion_under_way(
    kind: str, *, term: Term | None = None, decision: Decision | None = None
) -> Motion | None:
    """Return the recall (of the term) or reopening (of the decision) still to be decided."""
    waiting = (Motion.Status.SUBMITTED, Motion.Status.VOTING)
    if kind == Petition.Kind.RECALL:
        return Motion.objects.filter(kind=Motion.Kind.RECALL, term=term, status__in=waiting).first()
    return Motion.objects.filter(
        kind=Motion.Kind.REOPEN, decision=decision, status__in=waiting
    ).first()


def referendum_under_way(council: Body, question: str, at: datetime) -> Referendum | None:
    """Return the referendum on the same question under the council still open at `at`."""
    wanted = _same_question(question)
    running = Referendum.objects.filter(council=council, closes_at__gt=at)
    return next((r for r in running if _same_question(r.question) == wanted), None)


def open_recall_petition(term: Term) -> Petition | None:
    """Return the open petition to recall the holder of the term, if there is one."""
    return open_petition_for(Petition.Kind.RECALL, term.body, term=term)


def signatures_of(petition: Petition) -> int:
    """Return how many have signed the petition, members and member bodies."""
    return petition.signatures.count()


def reopenable_decisions(body: Body, at: datetime, limit: int = 50) -> list[Decision]:
    """Return the body's decisions on motions that a petition may put back on its agenda now:
    those older than the statute's minimum period, the latest first."""
    days = statute_of(body).reopening_after_days
    return list(
        Decision.objects.filter(
            body=body, motion__isnull=False, decided_at__lte=at - timedelta(days=days)
        )
        .select_related("motion")
        .order_by("-decided_at", "-pk")[:limit]
    )
