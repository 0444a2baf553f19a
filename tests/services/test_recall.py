"""Recall: the body that elected a delegate or officer ends their term at once by a simple
majority with its quorum; the first substitute takes the seat and casts what was still open."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest

from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Motion, RecordEntry, Vote
from frombelow.services import elections, motions, sessions
from frombelow.services.queries.terms import holders
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    council_motion,
    council_session,
    decide,
    elect,
    federation,
    mandate,
    people,
    propose,
)

pytestmark = pytest.mark.django_db


def test_a_simple_majority_recalls_even_where_motions_need_two_thirds(clock: Clock) -> None:
    m = people("Miner", 5)
    two_thirds = Threshold(Fraction(2, 3), "cast", False)
    body = assembly("pit", m, Statute(threshold=two_thirds, quorum=Fraction(1, 2)))
    a, b = m[0], m[1]
    elect(clock, body, "secretary", [a, b], [(v, [a, b]) for v in m])
    (term,) = holders(body, "secretary", clock.now)
    decision = decide(
        clock,
        body,
        m[2],
        {m[1]: "yes", m[2]: "yes", m[3]: "yes", m[0]: "no", m[4]: "no"},  # 3 of 5: not 2/3
        kind=Motion.Kind.RECALL,
        term=term,
    )
    assert decision.outcome == "carried"
    term.refresh_from_db()
    assert term.cut_short.reason == "recall"
    assert [t.holder for t in holders(body, "secretary", clock.now)] == [b]  # at once
    entry = RecordEntry.objects.get(action="officer.recalled")
    assert entry.data["successor"] == b.pk


def test_an_inquorate_recall_leaves_the_term(clock: Clock) -> None:
    m = people("Miner", 6)
    body = assembly("pit", m, Statute(quorum=Fraction(1, 2)))
    a = m[0]
    elect(clock, body, "secretary", [a], [(v, [a]) for v in m])
    (term,) = holders(body, "secretary", clock.now)
    decision = decide(
        clock, body, m[1], {m[1]: "yes", m[2]: "yes"}, kind=Motion.Kind.RECALL, term=term
    )
    assert decision.outcome == "inquorate"
    assert [t.holder for t in holders(body, "secretary", clock.now)] == [a]


def test_only_the_electing_body_recalls(clock: Clock) -> None:
    fed = federation(clock)
    (term,) = holders(fed.assemblies["docks"], "delegate", clock.now, council=fed.council)
    with pytest.raises(StandingError, match="only 'docks', which elected"):
        council_motion(fed, "Recall the docks' delegate", kind=Motion.Kind.RECALL, term=term)
    with pytest.raises(StandingError, match="not a member of 'rail'"):
        motions.propose_motion(
            actor=fed.members["docks"][1],
            body=fed.assemblies["rail"],
            title="Recall",
            text="",
            kind=Motion.Kind.RECALL,
            term=term,
        )


def test_the_substitute_casts_the_recalled_delegates_open_votes(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 5, "rail": 3})
    docks, dockers = fed.assemblies["docks"], fed.members["docks"]
    # The docks elect again, with a substitute this time.
    first, second = dockers[1], dockers[2]
    (old,) = holders(docks, "delegate", clock.now, council=fed.council)
    elections.resign(actor=old.holder, term=old)
    elect(
        clock,
        docks,
        "delegate",
        [first, second],
        [(v, [first, second]) for v in dockers[:3]] + [(v, [second]) for v in dockers[3:]],
        council=fed.council,
    )
    (term,) = holders(docks, "delegate", clock.now, council=fed.council)
    assert term.holder == first
    # A session with an item the docks left free: their delegate will cast.
    chair = fed.delegates["rail"]
    session, (item,) = council_session(clock, fed.council, chair, [propose(fed.council, chair)])
    mandate(clock, docks, dockers[0], item, "free", all_yes(dockers))
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session, closes_at=clock.now + timedelta(days=30))
    vote = Vote.objects.get(item=item)
    # Before the delegate casts, the docks recall them.
    decide(clock, docks, dockers[0], all_yes(dockers), kind=Motion.Kind.RECALL, term=term)
    entry = RecordEntry.objects.get(action="delegate.recalled")
    assert entry.data["successor"] == second.pk
    assert entry.data["open_votes_passed_on"] == [item.pk]
    with pytest.raises(StandingError, match="no delegate"):
        sessions.cast_for_delegation(actor=first, vote=vote, ranking=[["yes"]])
    sessions.cast_for_delegation(actor=second, vote=vote, ranking=[["no"]])
