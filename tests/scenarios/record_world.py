"""A congress whose record is exported and verified: votes of every kind, mandates, weights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from frombelow.core.statutes import Statute
from frombelow.db.models import Member, Session, Vote
from frombelow.services import checkpoints, deciding, elections, record, sessions, votes
from frombelow.services.standing import SECRETARY
from tests.services.world import (
    Clock,
    all_yes,
    elect_one,
    federation,
    mandate,
    open_at_once,
    propose,
)


def signing_each_entry(monkeypatch: pytest.MonkeyPatch, keys: Path) -> None:
    """Sign a checkpoint at each entry, with a key of the test's own.

    A test runs in one transaction that never commits, so the checkpoint that production signs
    when each write batch commits is signed here at each entry instead.
    """
    monkeypatch.setattr(settings, "RECORD_SIGNER_KEY_FILE", keys / "signer.key")
    monkeypatch.setattr(record, "_checkpoint_on_commit", checkpoints.sign_checkpoint)


@dataclass(frozen=True)
class Congress:
    """What the story leaves for the checks: a tracker whose ballot was changed."""

    tracker: str
    secret_vote: Vote
    council_election: Vote


def hold_congress(clock: Clock) -> Congress:
    """Run a congress: mandates bound, proportional and free; secret, open and meeting votes."""
    statute = Statute(competences=frozenset({"strikes"}), mandate_deadline_days=14)
    harbour = federation(
        clock, statute, sizes={"dockers": 5, "rail": 6, "clerks": 3}, council="harbour"
    )
    dockers, rail, clerks = (harbour.members[s] for s in ("dockers", "rail", "clerks"))
    chair = harbour.delegates["dockers"]
    # The federation's first session elects its secretary, who then calls the congress.
    first = sessions.schedule_session(
        actor=chair, council=harbour.council, title="First session", starts_at=clock.now
    )
    sessions.open_session(actor=chair, session=first)
    election = _elect_a_secretary(clock, harbour.delegates, first)
    sessions.close_session(actor=chair, session=first)
    congress = sessions.schedule_session(
        actor=chair,
        council=harbour.council,
        title="Harbour congress",
        starts_at=clock.now + timedelta(days=21),
    )
    strike = propose(harbour.council, chair, "A harbour-wide strike", matter="strikes")
    item = sessions.add_item(actor=chair, session=congress, motion=strike)
    sessions.send_agenda(actor=chair, session=congress)
    mandate(clock, harbour.assemblies["dockers"], dockers[0], item, "bound", all_yes(dockers))
    rail_votes = dict(zip(rail, ["yes", "yes", "yes", "yes", "no", "no"], strict=True))
    mandate(clock, harbour.assemblies["rail"], rail[0], item, "proportional", rail_votes)
    mandate(clock, harbour.assemblies["clerks"], clerks[0], item, "free", all_yes(clerks))
    clock.now = congress.starts_at
    sessions.open_session(actor=chair, session=congress)
    vote = Vote.objects.get(item=item)
    sessions.cast_for_delegation(actor=harbour.delegates["clerks"], vote=vote, ranking=[["no"]])
    deciding.close_session_vote(actor=chair, vote=vote)
    sessions.close_session(actor=chair, session=congress)

    # The rail workers vote by secret ballot; one of them changes her mind before the close.
    secret = open_at_once(
        propose(harbour.assemblies["rail"], rail[0], "A night-shift rota"),
        ballot_kind=Vote.BallotKind.SECRET,
        closes_at=clock.now + timedelta(days=7),
    )
    trackers = [
        votes.cast_ballot(actor=m, vote=secret, ranking=[[c]])
        for m, c in zip(rail, ["yes", "no", "no", "yes", "abstain", "yes"], strict=True)
    ]
    tracker = trackers[1]
    assert tracker is not None
    votes.change_ballot(vote=secret, tracker=tracker, ranking=[["yes"]])
    clock.advance(days=7)
    deciding.close_vote(actor="system", vote=secret)

    # The clerks decide in a meeting: their elected secretary enters the tally.
    elect_one(clock, harbour.assemblies["clerks"], SECRETARY, clerks[0], clerks)
    kettle = propose(harbour.assemblies["clerks"], clerks[1], "A new kettle")
    clock.advance(hours=48)  # the statute's notice before the meeting
    meeting = votes.open_vote(actor=clerks[0], motion=kettle, mode=Vote.Mode.MEETING)
    deciding.enter_tally(
        actor=clerks[0], vote=meeting, counts=[([["yes"]], 2), ([["no"]], 1)], attendance=clerks
    )
    return Congress(tracker, secret, election)


def _elect_a_secretary(clock: Clock, delegates: Mapping[str, Member], congress: Session) -> Vote:
    """The session elects the council's secretary, put to it by a delegate while it has none:
    each delegate's cast weighs its delegation's votes; the dockers' delegate wins."""
    chair, rail = delegates["dockers"], delegates["rail"]
    election = elections.call_election(actor=chair, body=congress.body, office=SECRETARY)
    elections.stand(actor=chair, election=election)
    elections.stand(actor=rail, election=election)
    vote = elections.open_election(
        actor=chair,
        election=election,
        session=congress,
        closes_at=clock.now + timedelta(days=1),
        ballot_kind=Vote.BallotKind.OPEN,  # a delegate's cast is in the record, by name
    )
    first, second = elections.candidate_label(chair), elections.candidate_label(rail)
    for slug, ranking in (
        ("dockers", [first, second]),
        ("rail", [second, first]),
        ("clerks", [first]),
    ):
        sessions.cast_for_delegation(
            actor=delegates[slug], vote=vote, ranking=[[label] for label in ranking]
        )
    deciding.close_session_vote(actor=chair, vote=vote)
    return vote
