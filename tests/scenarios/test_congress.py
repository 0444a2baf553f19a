"""A congress, from its agenda to the mandates, the derived votes and a ratified decision.

The Harbour Federation joins three union sections: the dockers (10 members), the rail workers
(6) and the port clerks (4). Its statute delegates strikes to it, and nothing else.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.core.statutes import Statute
from frombelow.db.models import Motion, RecordEntry, Vote
from frombelow.services import deciding, decisions, sessions
from frombelow.services.queries.decisions import delegation_votes, standing_of
from tests.services.world import (
    Clock,
    all_yes,
    decide,
    ensure_secretary,
    federation,
    mandate,
    propose,
)

pytestmark = pytest.mark.django_db


def test_a_congress_from_agenda_to_a_ratified_decision(clock: Clock) -> None:
    statute = Statute(
        competences=frozenset({"strikes"}), mandate_deadline_days=14, ratification_days=60
    )
    harbour = federation(
        clock, statute, sizes={"dockers": 10, "rail": 6, "clerks": 4}, council="harbour"
    )
    dockers, rail, clerks = (harbour.members[s] for s in ("dockers", "rail", "clerks"))
    chair = harbour.delegates["dockers"]
    # The delegations first elect the dockers' delegate their secretary, at a meeting of their own.
    ensure_secretary(clock, harbour.council, chair)

    # Three weeks ahead, the secretary calls the congress and sends the agenda down in time.
    congress = sessions.schedule_session(
        actor=chair,
        council=harbour.council,
        title="Harbour congress",
        starts_at=clock.now + timedelta(days=21),
    )
    strike = propose(harbour.council, chair, "A harbour-wide strike on 1 May", matter="strikes")
    item = sessions.add_item(actor=chair, session=congress, motion=strike)
    sessions.send_agenda(actor=chair, session=congress)

    # Each section decides its mandate by its own vote.
    mandate(clock, harbour.assemblies["dockers"], dockers[0], item, "bound", all_yes(dockers))
    rail_votes = dict(zip(rail, ["yes", "yes", "yes", "yes", "no", "no"], strict=True))
    mandate(clock, harbour.assemblies["rail"], rail[0], item, "proportional", rail_votes)
    mandate(clock, harbour.assemblies["clerks"], clerks[0], item, "free", all_yes(clerks))

    # At the congress, the bound and proportional delegations' votes are derived at once.
    clock.now = congress.starts_at
    sessions.open_session(actor=chair, session=congress)
    vote = Vote.objects.get(item=item)
    derived = {v.member_body.slug: v.votes for v in vote.delegation_votes.all()}
    assert derived == {"dockers": {"yes": 10}, "rail": {"yes": 4, "no": 2, "abstain": 0}}
    # The clerks left it free: their delegate casts, with the clerks' four votes.
    sessions.cast_for_delegation(actor=harbour.delegates["clerks"], vote=vote, ranking=[["no"]])
    strike_decision = deciding.close_session_vote(actor=chair, vote=vote)
    assert (strike_decision.outcome, strike_decision.turnout) == ("carried", 20)
    assert standing_of(strike_decision, clock.now) == "binding"  # strikes are delegated

    # A rail worker in the minority attaches her dissent; every derivation stays visible.
    decisions.dissent(actor=rail[4], decision=strike_decision, text="May is too soon.")
    assert [v.derivation.split(":")[0] for v in delegation_votes(strike_decision)] == [
        "free",
        "bound",
        "proportional",
    ]

    # Someone raises a new matter at the congress: a levy for the strike fund.
    levy = propose(harbour.council, chair, "A levy of one hour's pay", matter="strikes")
    levy_item = sessions.add_item(actor=chair, session=congress, motion=levy)
    levy_vote = Vote.objects.get(item=levy_item)
    for slug in ("dockers", "rail", "clerks"):
        sessions.cast_for_delegation(
            actor=harbour.delegates[slug], vote=levy_vote, ranking=[["yes"]]
        )
    levy_decision = deciding.close_session_vote(actor=chair, vote=levy_vote)
    # No mandate covered it, so it binds no one until the sections ratify it.
    assert levy_decision.provisional
    assert standing_of(levy_decision, clock.now) == "pending"
    sessions.close_session(actor=chair, session=congress)

    # Back home, the dockers and the rail workers ratify it; the clerks never answer.
    clock.advance(days=3)
    for slug, members in (("dockers", dockers), ("rail", rail)):
        decide(
            clock,
            harbour.assemblies[slug],
            members[0],
            all_yes(members),
            title="Ratify the levy",
            kind=Motion.Kind.RATIFY,
            decision=levy_decision,
        )
    # Two of three sections and 16 of 20 members: the statute's majority by number and weight.
    assert standing_of(levy_decision, clock.now) == "ratified"
    ratified = RecordEntry.objects.get(action="decision.ratified")
    assert ratified.data["ratified_by"] == ["dockers", "rail"]
