"""Petitions from below: each member signs once, the opener first; the signature that reaches the
threshold opens the recall vote or the reopening at once, with no one's approval; a petition for
what an open one already asks is refused, so that the signatures are not split."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from frombelow.core.errors import PetitionError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Motion, Petition, RecordEntry, Signature, Vote
from frombelow.services import deciding, petitions, votes
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    decide,
    elect_one,
    federation,
    people,
    person,
    vote_in,
)

pytestmark = pytest.mark.django_db

WHY = "She voted against the mandate we gave her on the strike."


def _stored() -> tuple[int, int, int]:
    return (RecordEntry.objects.count(), Petition.objects.count(), Signature.objects.count())


def test_a_member_signs_once_and_the_opener_is_the_first_signer(clock: Clock) -> None:
    m = people("Driver", 30)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall the secretary", term=term, text=WHY
    )
    assert (petition.entitled, petition.required) == (30, 3)  # 10% of 30 is 3, fewer than 5
    assert list(petition.signatures.values_list("member", flat=True)) == [m[1].pk]
    signed = RecordEntry.objects.filter(action="petition.signed").get()
    assert (signed.data["signer"], signed.data["signatures"]) == (f"member:{m[1].pk}", 1)
    before = _stored()
    with pytest.raises(PetitionError, match="already signed"):
        petitions.sign_petition(actor=m[1], petition=petition)
    assert _stored() == before
    petitions.sign_petition(actor=m[2], petition=petition)
    assert petition.signatures.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(petition=petition, member=m[2], signed_at=clock.now)


def test_a_recall_petition_states_its_reason_and_the_record_keeps_it(clock: Clock) -> None:
    m = people("Driver", 30)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    before = _stored()
    for reason in ("", "   "):
        with pytest.raises(PetitionError, match="states its reason: why Driver 1 should be"):
            petitions.open_petition(
                actor=m[1], kind="recall", body=body, question="Recall", term=term, text=reason
            )
    assert _stored() == before
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall", term=term, text=WHY
    )
    assert petition.text == WHY
    opened = RecordEntry.objects.get(action="petition.opened", subject=f"petition:{petition.pk}")
    assert opened.data["reason"] == WHY


def test_only_those_entitled_when_it_opened_sign(clock: Clock) -> None:
    m = people("Driver", 30)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    outsider = person("Outsider")
    with pytest.raises(StandingError, match="not among those entitled"):
        petitions.open_petition(
            actor=outsider, kind="recall", body=body, question="Recall", term=term, text=WHY
        )
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall", term=term, text=WHY
    )
    with pytest.raises(PetitionError, match="not entitled"):
        petitions.sign_petition(actor=outsider, petition=petition)


def test_a_recall_petition_reaching_its_threshold_opens_the_recall_vote(clock: Clock) -> None:
    m = people("Driver", 60)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall the secretary", term=term, text=WHY
    )
    assert petition.required == 5  # 10% of 60 is 6; 5 members is fewer
    for signer in m[2:5]:
        petitions.sign_petition(actor=signer, petition=petition)
    assert not Vote.objects.filter(motion__kind=Motion.Kind.RECALL).exists()
    petitions.sign_petition(actor=m[5], petition=petition)  # the fifth, with the opener's
    vote = Vote.objects.get(motion__kind=Motion.Kind.RECALL)
    assert vote.ballot_kind == "secret"
    assert vote.motion is not None
    assert vote.motion.term == term
    assert vote.motion.text == WHY  # the reason is what the members vote on
    assert vote.motion.proposer is None  # no one had to agree to put it
    petition.refresh_from_db()
    assert petition.reached_at == clock.now
    with pytest.raises(PetitionError, match="reached its threshold"):
        petitions.sign_petition(actor=m[6], petition=petition)


def test_in_a_small_body_the_openers_signature_may_open_the_recall_vote(clock: Clock) -> None:
    m = people("Driver", 3)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall", term=term, text=WHY
    )
    assert petition.required == 1  # 10% of 3, rounded up
    assert petition.reached_at == clock.now
    assert Vote.objects.filter(motion__kind=Motion.Kind.RECALL, motion__term=term).exists()


def test_a_second_recall_petition_on_the_same_term_is_refused_while_one_is_open(
    clock: Clock,
) -> None:
    m = people("Driver", 60)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    treasurer = elect_one(clock, body, "treasurer", m[9], m)
    first = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall", term=term, text=WHY
    )
    before = _stored()
    for opener in (m[1], m[2]):  # the same member clicking again, or another member
        with pytest.raises(PetitionError, match=f"petition {first.pk}, opened on .* is open"):
            petitions.open_petition(
                actor=opener, kind="recall", body=body, question="Recall", term=term, text=WHY
            )
    assert _stored() == before
    # Another term is another matter.
    petitions.open_petition(
        actor=m[2], kind="recall", body=body, question="Recall", term=treasurer, text=WHY
    )
    # Once the petition has opened the recall vote, a petition asks nothing the vote does not.
    for signer in m[2:6]:
        petitions.sign_petition(actor=signer, petition=first)
    recall = Motion.objects.get(kind=Motion.Kind.RECALL, term=term)
    with pytest.raises(PetitionError, match=f"motion {recall.pk}, 'Recall Driver 1', already"):
        petitions.open_petition(
            actor=m[7], kind="recall", body=body, question="Recall", term=term, text=WHY
        )
    # When the members keep her, a new reason may come later: a new petition may open.
    vote = Vote.objects.get(motion=recall)
    for voter in m[10:40]:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["no"]])
    clock.advance(days=8)
    assert deciding.close_vote(actor="system", vote=vote).outcome == "lost"
    again = petitions.open_petition(
        actor=m[7], kind="recall", body=body, question="Recall", term=term, text="Again."
    )
    assert again.pk != first.pk


def test_a_decision_is_reopened_by_petition_only_after_the_minimum_period(clock: Clock) -> None:
    m = people("Driver", 10)
    body = assembly("depot", m, Statute(reopening_after_days=90))
    decision = decide(clock, body, m[0], all_yes(m), title="Night shifts")
    with pytest.raises(PetitionError, match="after the statute's minimum period of 90 days"):
        petitions.open_petition(
            actor=m[1], kind="reopening", body=body, question="Again", decision=decision
        )
    clock.advance(days=90)
    petition = petitions.open_petition(
        actor=m[1], kind="reopening", body=body, question="Again", decision=decision
    )
    assert petition.required == 1  # 10% of 10: the opener's signature reopens it
    motion = Motion.objects.get(kind=Motion.Kind.REOPEN)
    assert (motion.status, motion.decision, motion.text) == ("submitted", decision, "Night shifts")
    with pytest.raises(PetitionError, match=f"motion {motion.pk}, 'Reopen: Night shifts'"):
        petitions.open_petition(
            actor=m[2], kind="reopening", body=body, question="Again", decision=decision
        )
    # It is decided again like any motion: no decision is closed to debate for ever.
    again = vote_in(clock, motion, dict.fromkeys(m, "no"))
    assert again.outcome == "lost"


def test_a_second_reopening_petition_on_the_same_decision_is_refused(clock: Clock) -> None:
    m = people("Driver", 40)
    body = assembly("depot", m, Statute(reopening_after_days=0))
    decision = decide(clock, body, m[0], all_yes(m), title="Night shifts")
    first = petitions.open_petition(
        actor=m[1], kind="reopening", body=body, question="Again", decision=decision
    )
    assert first.required == 4
    before = _stored()
    with pytest.raises(PetitionError, match=f"petition {first.pk}, opened on"):
        petitions.open_petition(
            actor=m[2], kind="reopening", body=body, question="Once more", decision=decision
        )
    assert _stored() == before


def test_a_referendum_petition_on_a_question_already_asked_is_refused(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 20, "rail": 20})
    docks, rail = fed.members["docks"], fed.members["rail"]
    first = petitions.open_petition(
        actor=docks[1], kind="referendum", body=fed.council, question="A general strike?"
    )
    assert first.required == 4  # 10% of 40
    before = _stored()
    with pytest.raises(PetitionError, match=f"petition {first.pk}, opened on"):
        petitions.open_petition(
            actor=rail[1], kind="referendum", body=fed.council, question="a  GENERAL strike? "
        )
    assert _stored() == before
    petitions.open_petition(
        actor=rail[1], kind="referendum", body=fed.council, question="Cut the dues?"
    )
    for signer in (docks[2], docks[3], rail[2]):
        petitions.sign_petition(actor=signer, petition=first)
    first.refresh_from_db()
    assert first.reached_at is not None
    with pytest.raises(PetitionError, match="a referendum on 'A general strike\\?' is open now"):
        petitions.open_petition(
            actor=rail[3], kind="referendum", body=fed.council, question="A general strike?"
        )


def test_a_petition_names_what_it_asks(clock: Clock) -> None:
    m = people("Driver", 2)
    body = assembly("depot", m)
    with pytest.raises(PetitionError, match="recall, a referendum or a reopening"):
        petitions.open_petition(actor=m[0], kind="dissolution", body=body, question="Dissolve")
    with pytest.raises(PetitionError, match="referendum is of every member under a council"):
        petitions.open_petition(actor=m[0], kind="referendum", body=body, question="?")
    assert not Petition.objects.exists()
