"""A recall, from the members' petition to the substitute taking the seat.

The bus depot's 40 drivers elect their delegate to the transport federation by instant runoff:
Ana wins and Ben is ranked next. At the federation's session Ana casts the depot's free vote for
a pay deal the drivers hate. They petition, recall her within the week, and Ben takes the seat at
once, casting the depot's vote on the question still open at the session.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.db.models import Motion, RecordEntry, Vote
from frombelow.services import deciding, elections, petitions, sessions, votes
from frombelow.services.queries.terms import holders
from tests.services.world import (
    Clock,
    all_yes,
    council_session,
    elect,
    federation,
    mandate,
    propose,
)

pytestmark = pytest.mark.django_db


def test_a_recall_from_petition_to_substitute(clock: Clock) -> None:
    transport = federation(clock, sizes={"depot": 40, "trams": 5}, council="transport")
    depot, drivers = transport.assemblies["depot"], transport.members["depot"]
    ana, ben, cat = drivers[1], drivers[2], drivers[3]

    # The depot's first delegate steps down, and the drivers elect again: Cat's voters put Ana
    # second, so Ana wins when Cat is excluded, and Ben, still standing, ranks first substitute.
    (first,) = holders(depot, "delegate", clock.now, council=transport.council)
    elections.resign(actor=first.holder, term=first)
    firsts = [ana] * 18 + [ben] * 15 + [cat] * 7
    rankings = [
        (voter, [top, ana] if top == cat else [top])
        for voter, top in zip(drivers, firsts, strict=True)
    ]
    elect(clock, depot, "delegate", [ana, ben, cat], rankings, council=transport.council)
    (term,) = holders(depot, "delegate", clock.now, council=transport.council)
    assert term.holder == ana
    assert list(term.election.substitutes.values_list("member", flat=True)) == [ben.pk, cat.pk]

    # The federation's session: the depot leaves the pay deal to its delegate.
    chair = transport.delegates["trams"]
    deal = propose(transport.council, chair, "Accept the pay deal")
    session, (item,) = council_session(clock, transport.council, chair, [deal])
    mandate(clock, depot, drivers[0], item, "free", all_yes(drivers))
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session, closes_at=clock.now + timedelta(days=14))
    sessions.cast_for_delegation(actor=ana, vote=Vote.objects.get(item=item), ranking=[["yes"]])
    # A second question comes up at the session; the depot has not cast on it yet.
    overtime = propose(transport.council, chair, "Unpaid overtime in December")
    open_item = sessions.add_item(actor=chair, session=session, motion=overtime)

    # Four drivers sign (10% of 40 is fewer than 5), its opener first: the recall vote opens by
    # itself.
    petition = petitions.open_petition(
        actor=drivers[10],
        kind="recall",
        body=depot,
        question="Recall Ana",
        term=term,
        text="She cast the depot's vote against its mandate.",
    )
    for signer in drivers[11:14]:
        petitions.sign_petition(actor=signer, petition=petition)
    recall_vote = Vote.objects.get(motion__kind=Motion.Kind.RECALL)
    for voter in drivers[5:35]:
        votes.cast_ballot(actor=voter, vote=recall_vote, ranking=[["yes"]])
    for voter in drivers[35:]:
        votes.cast_ballot(actor=voter, vote=recall_vote, ranking=[["no"]])
    clock.advance(days=7)
    decision = deciding.close_vote(actor="system", vote=recall_vote)
    assert decision.outcome == "carried"

    # At once: Ana's term ended, Ben holds the seat until the end of her term.
    (seat,) = holders(depot, "delegate", clock.now, council=transport.council)
    assert (seat.holder, seat.ends_at, seat.substitute_for) == (ben, term.ends_at, term)
    recalled = RecordEntry.objects.get(action="delegate.recalled")
    assert recalled.data["open_votes_passed_on"] == [open_item.pk]
    # Ben casts the depot's vote on the question still open; Ana no longer can.
    open_vote = Vote.objects.get(item=open_item)
    sessions.cast_for_delegation(actor=ben, vote=open_vote, ranking=[["no"]])
    assert open_vote.casts.get().delegate == ben
