"""Reads about due process: charges before a body or against a member, the motions that hear
them, the sanctions they led to and the appeals of those."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from frombelow.db.mapping import read_statute
from frombelow.db.models import Appeal, Body, Charge, Member, Motion, Sanction, StatuteVersion, Vote
from frombelow.services.queries.lookup import one


def charge_with_id(pk: int) -> Charge:
    """Return the charge with this id, with its body, accused and filer."""
    return one(
        Charge.objects.select_related(
            "body", "accused_body", "accused_member", "statement__author", "filed_by"
        ),
        pk,
    )


def charges_before(body: Body, limit: int = 100) -> list[Charge]:
    """Return the charges filed before the body, the latest first."""
    return list(
        Charge.objects.filter(body=body)
        .select_related("accused_body", "accused_member", "statement", "filed_by")
        .order_by("-filed_at", "-pk")[:limit]
    )


def charges_against(member: Member) -> list[Charge]:
    """Return the charges against the member, or against a statement they wrote, latest first."""
    return list(
        Charge.objects.filter(Q(accused_member=member) | Q(statement__author=member))
        .select_related("body", "statement")
        .order_by("-filed_at", "-pk")
    )


def hearings_of(charge: Charge) -> list[Motion]:
    """Return the motions that put the charge to the body, oldest first."""
    return list(Motion.objects.filter(charge=charge).order_by("pk"))


def latest_vote_on(motion: Motion) -> Vote | None:
    """Return the latest vote on the motion itself (not on an amendment), if any."""
    return motion.votes.filter(amendment__isnull=True).order_by("-opened_at", "-pk").first()


def sanction_of(charge: Charge) -> Sanction | None:
    """Return the sanction the charge led to, if any."""
    return Sanction.objects.filter(charge=charge).select_related("assembly", "member").first()


def sanction_with_id(pk: int) -> Sanction:
    """Return the sanction with this id, with its assembly, member and charge."""
    return one(Sanction.objects.select_related("assembly", "member", "charge"), pk)


def sanctions_of(member: Member) -> list[Sanction]:
    """Return the sanctions on the member, the latest first."""
    return list(
        Sanction.objects.filter(member=member)
        .select_related("assembly", "charge")
        .order_by("-starts_at", "-pk")
    )


def appeals_of(sanction: Sanction) -> list[Appeal]:
    """Return the appeals of the sanction, oldest first."""
    return list(sanction.appeals.select_related("council").order_by("filed_at", "pk"))


def appeal_with_id(pk: int) -> Appeal:
    """Return the appeal with this id, with its sanction and council."""
    return one(Appeal.objects.select_related("council", "sanction__assembly"), pk)


def motions_on_appeal(appeal: Appeal) -> list[Motion]:
    """Return the council's motions that decide the appeal, oldest first."""
    return list(Motion.objects.filter(appeal=appeal).order_by("pk"))


def appeals_to(council: Body) -> list[Appeal]:
    """Return the appeals made to the council, the latest first."""
    return list(
        Appeal.objects.filter(council=council)
        .select_related("sanction__member", "sanction__assembly")
        .order_by("-filed_at", "-pk")
    )


def bodies_with_ids(pks: set[int]) -> list[Body]:
    """Return the bodies with these ids, by name (the councils a sanction may be appealed to)."""
    return list(Body.objects.filter(pk__in=pks).order_by("name", "pk"))


def reply_due(charge: Charge) -> datetime:
    """Return when the accused's time to reply ends: the statute's days from the filing."""
    version = (
        StatuteVersion.objects.filter(body_id=charge.body_id, adopted_at__lte=charge.filed_at)
        .order_by("-number")
        .first()
    )
    if version is None:  # filed at the very moment of the body's founding
        version = StatuteVersion.objects.filter(body_id=charge.body_id).earliest("number")
    return charge.filed_at + timedelta(days=read_statute(version.rules).reply_days)
