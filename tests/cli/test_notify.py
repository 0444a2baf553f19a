"""`frombelow notify` sends the invitations and reminders that are due, once, however often it
runs."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from frombelow.cli import notify
from frombelow.cli.main import usage
from frombelow.db.models import Decision, Election, Member, Motion, Term
from frombelow.services import invites, votes
from tests.services.conftest import clock  # noqa: F401  (the services' clock, as a fixture)
from tests.services.world import Clock, assembly, elect_one, open_at_once, people, propose

pytestmark = pytest.mark.django_db

NOTHING_DUE = "0 votes counted, 0 elections called or opened"


def test_notify_is_listed_and_refuses_a_negative_period(capsys: pytest.CaptureFixture[str]) -> None:
    assert "notify" in usage()
    assert notify.run(["--every", "-1"]) == 2
    assert "--every" in capsys.readouterr().err


def addressed_crew() -> list[Member]:
    """Two members, each with an address to send to."""
    crew = people("Docker", 2)
    for m in crew:
        Member.objects.filter(pk=m.pk).update(email=f"m{m.pk}@example.org")
    return crew


def test_notify_sends_each_reminder_once(
    clock: Clock,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    crew = addressed_crew()
    docks = assembly("docks", crew)
    open_at_once(propose(docks, crew[0], "Canteen"), closes_at=clock.now + timedelta(days=3))
    clock.now += timedelta(days=3) - timedelta(hours=12)  # the vote closes within the day
    assert notify.run([]) == 0
    assert notify.run([]) == 0
    assert len(mail.outbox) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"frombelow notify: 0 invitations, 2 notices sent, {NOTHING_DUE}",
        f"frombelow notify: 0 invitations, 0 notices sent, {NOTHING_DUE}",
    ]


def test_notify_sends_the_invitations_due_once(
    clock: Clock,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    crew = addressed_crew()
    invites.prepare_accounts(list(Member.objects.filter(pk__in=[m.pk for m in crew])))
    assert notify.run([]) == 0
    assert notify.run([]) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"m{m.pk}@example.org" for m in crew)
    assert capsys.readouterr().err.splitlines() == [
        f"frombelow notify: 2 invitations, 0 notices sent, {NOTHING_DUE}",
        f"frombelow notify: 0 invitations, 0 notices sent, {NOTHING_DUE}",
    ]


def test_a_companion_stops_when_its_server_is_gone() -> None:
    # Started by `frombelow serve` with the server's pid; a process is never its own parent.
    assert notify.run(["--every", "60", "--parent", str(os.getpid())]) == 0


def test_notify_counts_the_votes_past_their_close_and_calls_the_elections_due(
    clock: Clock,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    crew = addressed_crew()
    docks = assembly("docks", crew)
    vote = open_at_once(propose(docks, crew[0], "Canteen"), closes_at=clock.now + timedelta(days=4))
    for member in crew:
        votes.cast_ballot(actor=member, vote=vote, ranking=[["yes"]])
    elect_one(clock, docks, "secretary", crew[0], crew)  # moves the clock past the vote's close
    clock.now = Term.objects.get().ends_at
    mail.outbox.clear()
    capsys.readouterr()
    assert notify.run([]) == 0
    assert Decision.objects.filter(vote=vote).exists()
    assert Election.objects.filter(vote__isnull=True, office="secretary").exists()
    assert (
        capsys.readouterr()
        .err.splitlines()[-1]
        .endswith("1 votes counted, 1 elections called or opened")
    )


def test_notify_opens_a_motion_no_secretary_put_to_the_vote_by_the_deadline(
    clock: Clock,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    crew = addressed_crew()
    motion = propose(assembly("docks", crew), crew[0], "Canteen")
    clock.advance(days=14)  # the statute's deadline for its secretary
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.run([]) == 0
    motion.refresh_from_db()
    assert motion.status == Motion.Status.VOTING
    vote = motion.votes.get()
    assert vote.closes_at == clock.now + timedelta(hours=72, minutes=1)
    # Its electors hear that it opened, as of any vote.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"m{m.pk}@example.org" for m in crew)
