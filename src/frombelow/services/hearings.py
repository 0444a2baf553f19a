"""The motion that hears a charge, or an appeal: of the kind the accused calls for, naming what
it acts on, so that no one has to pick a kind and its targets by hand.

A charge against a member is heard by a sanction (their assembly alone decides one); against a
member body, by its expulsion (the council, through its delegations' mandates); against a
statement, by its hiding (the body it was addressed to). An appeal is heard by the council it was
made to. Each is an ordinary motion: proposed here as a draft, then submitted, debated and put to
the vote like any other, and the vote waits for the accused's reply or its deadline (`charges`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from frombelow.db.models import Appeal, Charge, Motion
from frombelow.services import motions
from frombelow.services.record import Actor


def hearing_title(charge: Charge, sanction: str = "") -> str:
    """Return the usual title of the motion that hears the charge, in the active language."""
    if charge.accused_member is not None:
        if sanction == "suspension":
            return _("Suspend %(name)s") % {"name": charge.accused_member.name}
        return _("Expel %(name)s") % {"name": charge.accused_member.name}
    if charge.accused_body is not None:
        return _("Expel %(body)s") % {"body": charge.accused_body.name}
    assert charge.statement is not None
    return _("Hide the statement %(title)s") % {"title": charge.statement.title}


def propose_hearing(
    *,
    actor: Actor,
    charge: Charge,
    title: str = "",
    text: str = "",
    sanction: str = "",
    days: int | None = None,
) -> Motion:
    """Propose to the charge's body the motion that decides on it; a member's, with the
    sanction asked (a suspension of `days` days, or an expulsion). Its title is the usual one
    if none is given, and its text the charge's."""
    targets: dict[str, Any] = {"charge": charge}
    details: dict[str, Any] = {}
    if charge.accused_member is not None:
        kind = Motion.Kind.SANCTION_MEMBER
        targets["member"] = charge.accused_member
        details = {"sanction": sanction}
        if days is not None:
            details["days"] = days
    elif charge.accused_body is not None:
        kind = Motion.Kind.EXPEL_MEMBER_BODY
        targets["other_body"] = charge.accused_body
    else:
        kind = Motion.Kind.HIDE_STATEMENT
        targets["statement"] = charge.statement
    return motions.propose_motion(
        actor=actor,
        body=charge.body,
        title=title.strip() or hearing_title(charge, sanction),
        text=text.strip() or charge.text,
        kind=kind,
        details=details,
        **targets,
    )


def propose_appeal_decision(
    *, actor: Actor, appeal: Appeal, title: str = "", text: str = ""
) -> Motion:
    """Propose to the council an appeal was made to the motion that lifts the sanction."""
    usual = _("Lift the sanction on %(name)s") % {"name": appeal.sanction.member.name}
    return motions.propose_motion(
        actor=actor,
        body=appeal.council,
        title=title.strip() or usual,
        text=text.strip() or appeal.text,
        kind=Motion.Kind.DECIDE_APPEAL,
        appeal=appeal,
    )
