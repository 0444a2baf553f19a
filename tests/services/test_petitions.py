"""Petitions from below: each member signs once; the signature that reaches the threshold opens
the recall vote or the reopening at once, with no one's approval."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from frombelow.core.errors import PetitionError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Motion, Petition, RecordEntry, Signature, Vote
from frombelow.services import petitions
from tests.services.world import Clock, all_yes, assembly, decide, elect_one, people, person

pytestmark = pytest.mark.django_db


def test_a_member_signs_once_and_a_second_signature_changes_nothing(clock: Clock) -> None:
    m = people("Driver", 30)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall the secretary", term=term
    )
    assert (petition.entitled, petition.required) == (30, 3)  # 10% of 30 is 3, fewer than 5
    petitions.sign_petition(actor=m[1], petition=petition)
    before = (RecordEntry.objects.count(), Signature.objects.count())
    with pytest.raises(PetitionError, match="already signed"):
        petitions.sign_petition(actor=m[1], petition=petition)
    assert (RecordEntry.objects.count(), Signature.objects.count()) == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(petition=petition, member=m[1], signed_at=clock.now)


def test_only_those_entitled_when_it_opened_sign(clock: Clock) -> None:
    m = people("Driver", 3)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    outsider = person("Outsider")
    with pytest.raises(StandingError, match="not among those entitled"):
        petitions.open_petition(
            actor=outsider, kind="recall", body=body, question="Recall", term=term
        )
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall", term=term
    )
    with pytest.raises(PetitionError, match="not entitled"):
        petitions.sign_petition(actor=outsider, petition=petition)


def test_a_recall_petition_reaching_its_threshold_opens_the_recall_vote(clock: Clock) -> None:
    m = people("Driver", 60)
    body = assembly("depot", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=body, question="Recall the secretary", term=term
    )
    assert petition.required == 5  # 10% of 60 is 6; 5 members is fewer
    for signer in m[1:5]:
        petitions.sign_petition(actor=signer, petition=petition)
    assert not Vote.objects.filter(motion__kind=Motion.Kind.RECALL).exists()
    petitions.sign_petition(actor=m[5], petition=petition)
    vote = Vote.objects.get(motion__kind=Motion.Kind.RECALL)
    assert vote.ballot_kind == "secret"
    assert vote.motion is not None
    assert vote.motion.term == term
    assert vote.motion.proposer is None  # no one had to agree to put it
    petition.refresh_from_db()
    assert petition.reached_at == clock.now
    with pytest.raises(PetitionError, match="reached its threshold"):
        petitions.sign_petition(actor=m[6], petition=petition)


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
    assert petition.required == 1  # 10% of 10
    petitions.sign_petition(actor=m[1], petition=petition)
    motion = Motion.objects.get(kind=Motion.Kind.REOPEN)
    assert (motion.status, motion.decision, motion.text) == ("submitted", decision, "Night shifts")
    # It is decided again like any motion: no decision is closed to debate for ever.
    from tests.services.world import vote_in

    again = vote_in(clock, motion, dict.fromkeys(m, "no"))
    assert again.outcome == "lost"


def test_a_petition_names_what_it_asks(clock: Clock) -> None:
    m = people("Driver", 2)
    body = assembly("depot", m)
    with pytest.raises(PetitionError, match="recall, a referendum or a reopening"):
        petitions.open_petition(actor=m[0], kind="dissolution", body=body, question="Dissolve")
    with pytest.raises(PetitionError, match="referendum is of every member under a council"):
        petitions.open_petition(actor=m[0], kind="referendum", body=body, question="?")
    assert not Petition.objects.exists()
