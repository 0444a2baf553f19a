"""A motion's life: proposed, supported, submitted, amended, withdrawn; what each kind acts on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from frombelow.core.errors import DecisionError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Amendment, Motion, RecordEntry
from frombelow.services import deciding, motions, votes
from tests.services.world import Clock, assembly, people, person, propose

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


def test_an_amendment_is_decided_before_its_motion_and_carries_into_its_text(clock: Clock) -> None:
    members = people("Baker", 3)
    body = assembly("bakery", members)
    motion = propose(body, members[0], "Hours", text="Work 40 hours")
    amendment = motions.propose_amendment(actor=members[1], motion=motion, text="Work 32 hours")
    with pytest.raises(DecisionError, match="amendments to decide first"):
        votes.open_vote(actor=members[0], motion=motion, closes_at=clock.now + timedelta(days=3))
    vote = votes.open_vote(
        actor=members[1], amendment=amendment, closes_at=clock.now + timedelta(days=3)
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
    votes.open_vote(actor=members[0], motion=motion, closes_at=clock.now + timedelta(days=3))


def test_an_amendment_is_withdrawn_by_its_proposer_only(clock: Clock) -> None:
    members = people("Baker", 2)
    body = assembly("bakery", members)
    motion = propose(body, members[0], "Hours", text="40")
    amendment = motions.propose_amendment(actor=members[1], motion=motion, text="32")
    with pytest.raises(StandingError, match="proposer's act"):
        motions.withdraw_amendment(actor=members[0], amendment=amendment)
    motions.withdraw_amendment(actor=members[1], amendment=amendment)
    votes.open_vote(actor=members[0], motion=motion, closes_at=clock.now + timedelta(days=3))


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
    }


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
