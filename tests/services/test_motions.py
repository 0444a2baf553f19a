"""A motion's life: proposed, supported, submitted, amended, withdrawn; what each kind acts on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from frombelow.core.errors import DecisionError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Amendment, Body, Member, Motion, RecordEntry, Support
from frombelow.services import deciding, motions, votes
from frombelow.services.queries.motions import supporters_of
from frombelow.services.standing import SECRETARY
from tests.services.world import Clock, assembly, elect_one, people, person, propose

pytestmark = pytest.mark.django_db


def test_a_motion_needs_the_supporters_its_statute_requires(clock: Clock) -> None:
    members = people("Baker", 4)
    body = assembly("bakery", members, Statute(motion_supporters=2))
    motion = motions.propose_motion(actor=members[0], body=body, title="Shorter shifts", text="")
    with pytest.raises(DecisionError, match="has 0 supporters; the statute requires 2"):
        motions.submit_motion(actor=members[0], motion=motion)
    with pytest.raises(DecisionError, match="own supporter"):
        motions.support_motion(actor=members[0], motion=motion)
    motions.support_motion(actor=members[1], motion=motion)
    with pytest.raises(DecisionError, match="already supports"):
        motions.support_motion(actor=members[1], motion=motion)
    motions.support_motion(actor=members[2], motion=motion)
    submitted = motions.submit_motion(actor=members[0], motion=motion)
    assert submitted.status == Motion.Status.SUBMITTED
    assert RecordEntry.objects.get(action="motion.submitted").data == {"supporters": 2}


def test_only_those_who_take_part_propose_or_support(clock: Clock) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members)
    outsider = person("Outsider")
    with pytest.raises(StandingError, match="not a member of 'bakery'"):
        motions.propose_motion(actor=outsider, body=body, title="Take over", text="")
    motion = motions.propose_motion(actor=members[0], body=body, title="Bread", text="")
    with pytest.raises(StandingError, match="not a member"):
        motions.support_motion(actor=outsider, motion=motion)
    with pytest.raises(StandingError, match="member's act"):
        motions.propose_motion(actor="system", body=body, title="From the machine", text="")


def test_the_proposer_withdraws_before_the_vote_and_no_one_else_can(clock: Clock) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members)
    motion = propose(body, members[0], "Bread")
    with pytest.raises(StandingError, match="proposer's act"):
        motions.withdraw_motion(actor=members[1], motion=motion)
    assert motions.withdraw_motion(actor=members[0], motion=motion).status == "withdrawn"
    with pytest.raises(DecisionError, match="no longer be withdrawn"):
        motions.withdraw_motion(actor=members[0], motion=motion)


def _secretary(clock: Clock, body: Body, members: list[Member]) -> Member:
    """Elect the first member the body's secretary, who puts its motions to the vote."""
    return elect_one(clock, body, SECRETARY, members[0], members).holder


def test_an_amendment_is_decided_before_its_motion_and_carries_into_its_text(clock: Clock) -> None:
    members = people("Baker", 3)
    body = assembly("bakery", members)
    secretary = _secretary(clock, body, members)
    motion = propose(body, members[0], "Hours", text="Work 40 hours")
    amendment = motions.propose_amendment(actor=members[1], motion=motion, text="Work 32 hours")
    clock.advance(hours=48)  # the statute's notice of both
    with pytest.raises(DecisionError, match="amendments to decide first"):
        votes.open_vote(actor=secretary, motion=motion, closes_at=clock.now + timedelta(days=3))
    vote = votes.open_vote(
        actor=secretary, amendment=amendment, closes_at=clock.now + timedelta(days=3)
    )
    for m in members:
        votes.cast_ballot(actor=m, vote=vote, ranking=[["yes"]])
    clock.advance(days=3)
    deciding.close_vote(actor="system", vote=vote)
    motion.refresh_from_db()
    assert motion.text == "Work 32 hours"
    assert Amendment.objects.get().status == Amendment.Status.CARRIED
    entry = RecordEntry.objects.get(action="motion.amended")
    assert entry.data["before"] == "Work 40 hours"
    assert entry.data["after"] == "Work 32 hours"
    # The motion itself is then put as amended.
    votes.open_vote(actor=secretary, motion=motion, closes_at=clock.now + timedelta(days=3))


def test_an_amendment_is_withdrawn_by_its_proposer_only(clock: Clock) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members)
    secretary = _secretary(clock, body, members)
    motion = propose(body, members[0], "Hours", text="40")
    amendment = motions.propose_amendment(actor=members[1], motion=motion, text="32")
    with pytest.raises(StandingError, match="proposer's act"):
        motions.withdraw_amendment(actor=members[0], amendment=amendment)
    motions.withdraw_amendment(actor=members[1], amendment=amendment)
    clock.advance(hours=48)
    votes.open_vote(actor=secretary, motion=motion, closes_at=clock.now + timedelta(days=3))


@pytest.mark.parametrize(
    ("kind", "targets", "message"),
    [
        ("dissolve-body", {}, "no kind of motion 'dissolve-body'"),
        ("suspend-body", {}, "no kind of motion 'suspend-body'"),
        ("merge-bodies", {}, "no kind of motion 'merge-bodies'"),
        ("admit-member", {}, "names member, not nothing"),
        ("general", {"other_body": None, "colour": "red"}, "names no colour"),
        ("accept-member-body", {"other_body": "self"}, "only a council decides"),
        ("reopen", {"decision": None}, "opened by a petition"),
    ],
)
def test_kinds_and_their_targets_are_checked_when_proposed(
    clock: Clock, kind: str, targets: dict[str, Any], message: str
) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members)
    resolved: dict[str, Any] = {k: (body if v == "self" else v) for k, v in targets.items()}
    before = RecordEntry.objects.count()
    with pytest.raises((DecisionError, StandingError), match=message):
        motions.propose_motion(
            actor=members[0], body=body, title="T", text="", kind=kind, **resolved
        )
    assert not Motion.objects.exists()
    assert RecordEntry.objects.count() == before


def test_the_proposer_edits_a_draft_and_the_record_keeps_both_texts(clock: Clock) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members)
    motion = motions.propose_motion(
        actor=members[0], body=body, title="Shorter shift", text="Six hours"
    )
    edited = motions.edit_motion(
        actor=members[0], motion=motion, title="Shorter shifts", text="Six hours a day"
    )
    assert (edited.title, edited.text) == ("Shorter shifts", "Six hours a day")
    entry = RecordEntry.objects.get(action="motion.edited")
    assert entry.data == {
        "before": {"title": "Shorter shift", "text": "Six hours"},
        "after": {"title": "Shorter shifts", "text": "Six hours a day"},
        "supporters_dropped": 0,
    }


def test_an_edit_drops_the_supporters_of_the_text_before_it_who_may_support_again(
    clock: Clock,
) -> None:
    members = people("Baker", 3)
    body = assembly("bakery", members, Statute(motion_supporters=2))
    motion = motions.propose_motion(actor=members[0], body=body, title="Shifts", text="Six")
    for supporter in members[1:]:
        motions.support_motion(actor=supporter, motion=motion)
    edited = motions.edit_motion(actor=members[0], motion=motion, title="Shifts", text="Five")
    assert supporters_of(edited) == []
    assert RecordEntry.objects.get(action="motion.edited").data["supporters_dropped"] == 2
    # They supported six hours, not five: the draft needs its supporters again to be submitted.
    with pytest.raises(DecisionError, match="has 0 supporters; the statute requires 2"):
        motions.submit_motion(actor=members[0], motion=edited)
    motions.support_motion(actor=members[1], motion=edited)
    with pytest.raises(DecisionError, match="already supports"):
        motions.support_motion(actor=members[1], motion=edited)
    assert supporters_of(edited) == [members[1]]
    motions.support_motion(actor=members[2], motion=edited)
    assert motions.submit_motion(actor=members[0], motion=edited).status == "submitted"
    assert RecordEntry.objects.get(action="motion.submitted").data == {"supporters": 2}


def test_a_support_once_given_stays_in_its_table_after_the_edition_change(clock: Clock) -> None:
    members = people("Baker", 2)
    motion = motions.propose_motion(
        actor=members[0], body=assembly("bakery", members), title="Shifts", text="Six"
    )
    support = motions.support_motion(actor=members[1], motion=motion)
    motions.edit_motion(actor=members[0], motion=motion, title="Shifts", text="Five")
    # Dropped from the count, never from the table: the supports table stays append-only.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Support.objects.filter(pk=support.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Support.objects.filter(pk=support.pk).update(edition=2)
    assert Support.objects.get(pk=support.pk).edition == 1


def test_no_amendment_is_taken_once_the_motion_is_due_to_be_voted_on(clock: Clock) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members, Statute(motion_deadline_days=3))
    motion = propose(body, members[0], "Hours", text="40")
    deadline = clock.now + timedelta(days=3)
    clock.now = deadline - timedelta(minutes=1)
    motions.propose_amendment(actor=members[1], motion=motion, text="36")
    clock.now = deadline
    entries = RecordEntry.objects.count()
    with pytest.raises(
        DecisionError,
        match=f"due to be voted on since {deadline:%Y-%m-%d %H:%M} UTC: amendments are made "
        "before its deadline",
    ):
        motions.propose_amendment(actor=members[1], motion=motion, text="32")
    assert Amendment.objects.count() == 1
    assert RecordEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("who", "submitted", "title", "text", "error", "message"),
    [
        (1, False, "Other", "Other", StandingError, "editing a motion is the proposer's act"),
        (0, True, "Other", "Other", DecisionError, "is submitted: only a draft is edited"),
        (0, False, " ", "Other", DecisionError, "a motion needs a title"),
        (0, False, "Other", " ", DecisionError, "a motion needs a text"),
        (0, False, "A motion", "Six hours", DecisionError, "changes nothing"),
    ],
)
def test_an_edit_is_refused_and_changes_nothing(
    clock: Clock,
    who: int,
    submitted: bool,
    title: str,
    text: str,
    error: type[Exception],
    message: str,
) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members)
    motion = motions.propose_motion(actor=members[0], body=body, title="A motion", text="Six hours")
    if submitted:
        motions.submit_motion(actor=members[0], motion=motion)
    entries = RecordEntry.objects.count()
    with pytest.raises(error, match=message):
        motions.edit_motion(actor=members[who], motion=motion, title=title, text=text)
    motion.refresh_from_db()
    assert (motion.title, motion.text) == ("A motion", "Six hours")
    assert RecordEntry.objects.count() == entries
