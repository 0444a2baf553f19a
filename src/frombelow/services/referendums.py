"""Referendums: called by a council's decision or opened by a petition from below; every member
under the council votes once, however many assemblies they belong to; the result is rolled up the
federation graph and decided by the core (`frombelow.core.referendum`).

The ballot keeps the voter's assemblies at opening and no voter; the count reads them through
`queries.referendums.referendum_roll_up`, which says how it pairs them with the voters.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, F

from frombelow.core import referendum as core
from frombelow.core.decisions import MOTION_OPTIONS
from frombelow.core.errors import DecisionError, ReferendumError
from frombelow.core.record.entry import format_timestamp
from frombelow.db.models import (
    Body,
    Decision,
    Motion,
    Petition,
    Referendum,
    ReferendumBallot,
    ReferendumParticipation,
    ReferendumResult,
    ReferendumTally,
)
from frombelow.services import clock, notices
from frombelow.services.idempotency import atomic_act
from frombelow.services.motion_kinds import MotionKind, Scope, declare
from frombelow.services.queries.referendums import (
    assemblies_of,
    memberships_under,
    referendum_roll_up,
)
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import as_member, members_under
from frombelow.services.weights import statutes_at

REFERENDUM_DAYS = 21  # how long a referendum stays open


def open_referendum(
    *, petition: Petition | None = None, decision: Decision | None = None
) -> Referendum:
    """Open a referendum: by a petition that reached its threshold, or a council's decision."""
    if (petition is None) == (decision is None):
        raise ReferendumError("a referendum is opened by one petition or one council decision")
    if petition is not None:
        council, question = petition.body, petition.question
    else:
        assert decision is not None
        assert decision.motion is not None
        council, question = decision.body, str(decision.motion.details.get("question", ""))
    if council.kind != Body.Kind.COUNCIL:
        raise ReferendumError(
            "%(body)r is an assembly: a referendum is a council's", body=council.slug
        )
    now = clock.now()
    statute = statutes_at([council.slug], now)[council.slug]
    referendum = Referendum.objects.create(
        council=council,
        question=question,
        options=list(MOTION_OPTIONS),
        called_by=decision,
        petition=petition,
        double_majority=statute.double_majority,
        electorate=len(members_under(council, now)),
        opened_at=now,
        closes_at=now + timedelta(days=REFERENDUM_DAYS),
    )
    _make_tally(referendum)
    append_entry(
        actor="system",
        action="referendum.opened",
        subject=f"referendum:{referendum.pk}",
        body=council,
        data={
            "question": question,
            "petition": petition.pk if petition else None,
            "decision": decision.pk if decision else None,
            "electorate": referendum.electorate,
            "double_majority": referendum.double_majority,
            "closes_at": format_timestamp(referendum.closes_at),
        },
    )
    # Every member under the council hears of it once it is committed.
    notices.after_commit(partial(notices.referendum_opened, referendum.pk))
    return referendum


def call_referendum(decision: Decision) -> None:
    """Open the referendum a council's carried decision called (the effect of it)."""
    open_referendum(decision=decision)


def _make_tally(referendum: Referendum) -> None:
    """Make the tally's rows, at nought, for every set of assemblies on the roll and every option.

    Made now, in a fixed order, rather than by each set's first ballot: the order in which rows
    were made would otherwise tell which options each set's first voters chose.
    """
    sets: dict[int, list[str]] = {}
    for member, slug in memberships_under(referendum).values_list("member_id", "assembly__slug"):
        sets.setdefault(member, []).append(slug)
    keys = sorted({" ".join(sorted(slugs)) for slugs in sets.values()})
    ReferendumTally.objects.bulk_create(
        (
            ReferendumTally(referendum=referendum, assemblies=a, option=o, ballots=0)
            for a in keys
            for o in referendum.options
        ),
        batch_size=5_000,
    )


@atomic_act
def cast_referendum_ballot(*, actor: Actor, referendum: Referendum, option: str) -> None:
    """Vote in a referendum: once, however many assemblies one belongs to."""
    member = as_member(actor, "voting in a referendum")
    referendum = Referendum.objects.select_for_update().get(pk=referendum.pk)
    if hasattr(referendum, "result") or clock.now() >= referendum.closes_at:
        raise ReferendumError(
            "the referendum %(question)r has closed", question=referendum.question
        )
    if option not in referendum.options:
        raise ReferendumError(
            "%(option)r is not an option; choose one of %(options)s",
            option=option,
            options=referendum.options,
        )
    assemblies = assemblies_of(member, referendum)
    if not assemblies:
        raise ReferendumError(
            "%(member)s was in no assembly under %(council)r when it opened",
            member=member.name,
            council=referendum.council.slug,
        )
    try:
        with transaction.atomic():
            ReferendumParticipation.objects.create(referendum=referendum, member=member)
    except IntegrityError:
        raise ReferendumError(
            "%(member)s has already voted: a member votes once, however many assemblies they "
            "belong to",
            member=member.name,
        ) from None
    ReferendumBallot.objects.create(referendum=referendum, option=option, assemblies=assemblies)
    _add_to_tally(referendum, " ".join(assemblies), option)
    append_entry(
        actor=actor,
        action="referendum.voted",
        subject=f"referendum:{referendum.pk}",
        body=referendum.council,
        data={},
    )


def _add_to_tally(referendum: Referendum, assemblies: str, option: str) -> None:
    """Count one more ballot in the referendum's tally (the referendum's row is locked).

    Its row was made when the referendum opened; one is made here only for a referendum opened
    before the tally was (its rows are made by the migration that brought the tally).
    """
    row = ReferendumTally.objects.filter(
        referendum=referendum, assemblies=assemblies, option=option
    )
    if not row.update(ballots=F("ballots") + 1):
        ReferendumTally.objects.create(
            referendum=referendum, assemblies=assemblies, option=option, ballots=1
        )


def recount_tally(referendum: Referendum) -> dict[tuple[str, str], int]:
    """Count the referendum's ballots afresh: how many per set of assemblies and option."""
    counts: dict[tuple[str, str], int] = {}
    grouped = referendum.ballots.values_list("assemblies", "option").annotate(n=Count("pk"))
    for assemblies, option, n in grouped.order_by():
        key = (" ".join(sorted(assemblies)), option)
        counts[key] = counts.get(key, 0) + n
    return counts


def stored_tally(referendum: Referendum) -> dict[tuple[str, str], int]:
    """Return the referendum's stored tally: ballots per set of assemblies and option."""
    rows = referendum.tally.filter(ballots__gt=0).values_list("assemblies", "option", "ballots")
    return {(assemblies, option): n for assemblies, option, n in rows}


@transaction.atomic
def rebuild_tally(referendum: Referendum) -> int:
    """Make the referendum's tally again from its ballots, which stay the record; return its rows.

    For ballots written other than by `cast_referendum_ballot` (a bulk import, a benchmark's
    fixture), or a tally found to differ from its ballots.
    """
    ReferendumTally.objects.filter(referendum=referendum).delete()
    rows = ReferendumTally.objects.bulk_create(
        (
            ReferendumTally(referendum=referendum, assemblies=a, option=o, ballots=n)
            for (a, o), n in recount_tally(referendum).items()
        ),
        batch_size=5_000,
    )
    return len(rows)


@transaction.atomic(durable=True)
def close_referendum(*, actor: Actor, referendum: Referendum) -> ReferendumResult:
    """Count a referendum after it closes: every body's result rolled up, and the outcome."""
    referendum = Referendum.objects.select_for_update().get(pk=referendum.pk)
    if hasattr(referendum, "result"):
        raise ReferendumError("the referendum has been counted already")
    if clock.now() < referendum.closes_at:
        raise ReferendumError(
            "the referendum is open until %(closes_at)s", closes_at=referendum.closes_at
        )
    council, at = referendum.council, referendum.opened_at
    federation, rollup = referendum_roll_up(referendum)
    statute = statutes_at([council.slug], at)[council.slug]
    outcome = core.decide_referendum(federation, rollup, statute)
    by_body = {
        body: {**rollup.result(body), "electorate": rollup.electorate(body)}
        for body in rollup.bodies
    }
    result = ReferendumResult.objects.create(
        referendum=referendum,
        counted_at=clock.now(),
        turnout=rollup.voters(council.slug),
        outcome=outcome.outcome,
        by_body=by_body,
    )
    append_entry(
        actor=actor,
        action="referendum.counted",
        subject=f"referendum:{referendum.pk}",
        body=council,
        data={
            "outcome": outcome.outcome,
            "note": outcome.note,
            "bodies_for": list(outcome.bodies_for),
            "by_body": by_body,
        },
    )
    return result


def _check_question(motion: Motion) -> None:
    if not str(motion.details.get("question", "")).strip():
        raise DecisionError("a motion to call a referendum states its question")


declare(
    MotionKind(
        Motion.Kind.CALL_REFERENDUM,
        scope=Scope.COUNCIL,
        check=_check_question,
        effect=call_referendum,
    )
)
