"""Elections by the body served: STV for several seats, IRV for one; terms that end by
themselves; due and overdue elections from dates; substitutes; rotation; no appointments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction

from frombelow.core.errors import DecisionError, StandingError, TermError
from frombelow.core.statutes import ApportionedSeats, Statute
from frombelow.db.models import Election, RecordEntry, Substitute, Term
from frombelow.services import deciding, elections, votes
from frombelow.services.queries.terms import election_statuses, holders
from tests.services.world import Clock, assembly, elect, elect_one, federation, people, person

pytestmark = pytest.mark.django_db


def test_one_seat_is_filled_by_instant_runoff(clock: Clock) -> None:
    m = people("Cook", 5)
    body = assembly("kitchen", m)
    a, b, c = m[0], m[1], m[2]
    rankings = [(m[0], [a, c]), (m[1], [b, c]), (m[2], [c, b]), (m[3], [a]), (m[4], [b, a])]
    election, decision = elect(clock, body, "secretary", [a, b, c], rankings)
    assert decision.count["method"] == "irv"
    assert decision.winners == [elections.candidate_label(b)]
    assert [t.holder for t in holders(body, "secretary", clock.now)] == [b]
    assert list(Substitute.objects.filter(election=election).values_list("member", flat=True)) == [
        a.pk,
        c.pk,
    ]


def test_several_seats_are_filled_by_stv_so_a_minority_gets_its_seat(clock: Clock) -> None:
    m = people("Cook", 9)
    body = assembly("kitchen", m)
    majority, minority = m[:6], m[6:]
    cands = [m[0], m[1], m[6]]
    rankings = [(v, [m[0], m[1]]) for v in majority] + [(v, [m[6]]) for v in minority]
    election = elections.call_election(actor=m[0], body=body, office="committee", seats=2)
    for c in cands:
        elections.stand(actor=c, election=election)
    vote = elections.open_election(
        actor=m[0], election=election, closes_at=clock.now + timedelta(days=3)
    )
    for voter, ranking in rankings:
        votes.cast_ballot(
            actor=voter, vote=vote, ranking=[[elections.candidate_label(c)] for c in ranking]
        )
    clock.advance(days=3)
    decision = deciding.close_vote(actor="system", vote=vote)
    assert decision.count["method"] == "stv-scottish"
    assert set(decision.winners) == {
        elections.candidate_label(m[0]),
        elections.candidate_label(m[6]),
    }


def test_a_term_ends_by_itself_and_the_election_shows_due_then_overdue(clock: Clock) -> None:
    m = people("Cook", 3)
    body = assembly("kitchen", m, Statute(max_term_days=100, election_notice_days=10))
    term = elect_one(clock, body, "secretary", m[0], m)
    assert term.ends_at == term.started_at + timedelta(days=100)
    (office,) = election_statuses(body, clock.now)
    assert office.status.status == "not due"
    clock.now = term.ends_at - timedelta(days=5)
    (office,) = election_statuses(body, clock.now)
    assert office.status.status == "due"
    clock.now = term.ends_at
    assert holders(body, "secretary", clock.now) == []  # vacant: no one had to act
    (office,) = election_statuses(body, clock.now)
    assert (office.status.status, office.status.vacant_seats) == ("overdue", 1)


def test_a_delegation_shows_overdue_once_its_delegate_is_gone(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 2, "rail": 2})
    docks = fed.assemblies["docks"]
    (office,) = [o for o in election_statuses(docks, clock.now) if o.office == "delegate"]
    assert office.status.status == "not due"
    (term,) = holders(docks, "delegate", clock.now, council=fed.council)
    elections.resign(actor=term.holder, term=term)  # the only candidate: no substitute
    (office,) = [o for o in election_statuses(docks, clock.now) if o.office == "delegate"]
    assert (office.status.status, office.status.vacant_seats) == ("overdue", 1)


def test_no_one_can_extend_a_term_not_even_through_the_database(clock: Clock) -> None:
    m = people("Cook", 2)
    body = assembly("kitchen", m)
    term = elect_one(clock, body, "secretary", m[0], m)
    term.ends_at += timedelta(days=365)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        term.save()
    term.refresh_from_db()
    assert term.ends_at == term.started_at + timedelta(days=365)
    assert not [name for name in dir(elections) if "extend" in name or "renew" in name]


def test_a_term_longer_than_the_statute_allows_cannot_begin(clock: Clock) -> None:
    from frombelow.core import terms as core_terms

    with pytest.raises(TermError, match="longer than the statute's maximum of 30 days"):
        core_terms.check_term_length(
            Statute(max_term_days=30), clock.now, clock.now + timedelta(days=31)
        )


def test_a_resignation_seats_the_first_substitute_at_once(clock: Clock) -> None:
    m = people("Cook", 7)
    body = assembly("kitchen", m)
    a, b, c = m[0], m[1], m[2]
    firsts = [a, a, a, a, b, b, c]  # a elected at once; b ranks above c as substitute
    rankings = [(voter, [first]) for voter, first in zip(m, firsts, strict=True)]
    elect(clock, body, "treasurer", [a, b, c], rankings)
    (term,) = holders(body, "treasurer", clock.now)
    assert term.holder == a
    with pytest.raises(StandingError, match="holder's own act"):
        elections.resign(actor=b, term=term)
    successor = elections.resign(actor=a, term=term)
    assert successor is not None
    assert (successor.holder, successor.ends_at) == (b, term.ends_at)
    assert [t.holder for t in holders(body, "treasurer", clock.now)] == [b]
    entry = RecordEntry.objects.get(action="term.ended")
    assert entry.data["reason"] == "resignation"
    assert entry.data["substitute"] == b.pk


def test_the_rotation_limit_keeps_a_member_from_standing_again(clock: Clock) -> None:
    m = people("Cook", 3)
    body = assembly("kitchen", m, Statute(rotation_limit=2, max_term_days=30))
    for _ in range(2):
        elect_one(clock, body, "secretary", m[0], m)
        clock.advance(days=31)
    election = elections.call_election(actor=m[1], body=body, office="secretary")
    with pytest.raises(TermError, match="2 consecutive terms; the statute allows 2"):
        elections.stand(actor=m[0], election=election)
    elections.stand(actor=m[1], election=election)


def test_no_officer_is_appointed_from_above(clock: Clock) -> None:
    fed = federation(clock)
    docks = fed.assemblies["docks"]
    council_delegate = fed.delegates["rail"]
    # No service appoints: every term comes from an election's count.
    import pkgutil

    import frombelow.services as services

    names = [
        name
        for module in pkgutil.iter_modules(services.__path__)
        for name in dir(__import__(f"frombelow.services.{module.name}", fromlist=["_"]))
    ]
    assert not [n for n in names if "appoint" in n or "designate" in n or "nominate_to" in n]
    # A council's delegate cannot call, stand in or open an election of a member assembly.
    with pytest.raises(StandingError, match="not a member of 'docks'"):
        elections.call_election(actor=council_delegate, body=docks, office="secretary")
    election = elections.call_election(
        actor=fed.members["docks"][1], body=docks, office="secretary"
    )
    with pytest.raises(StandingError, match="cannot stand in 'docks'"):
        elections.stand(actor=council_delegate, election=election)
    # An operator or the system is no member, and cannot act as one.
    with pytest.raises(StandingError, match="member's act"):
        elections.call_election(actor="operator:root", body=docks, office="secretary")
    field = Term._meta.get_field("election")
    assert not field.null  # a term without an election cannot even be stored


def test_a_second_election_of_one_office_cannot_run_at_once(clock: Clock) -> None:
    m = people("Cook", 2)
    body = assembly("kitchen", m)
    elections.call_election(actor=m[0], body=body, office="secretary")
    with pytest.raises(DecisionError, match="already under way"):
        elections.call_election(actor=m[1], body=body, office="secretary")


def test_a_delegation_takes_its_seats_from_the_councils_statute(clock: Clock) -> None:
    statute = Statute(seat_scheme=ApportionedSeats(seats=5))
    fed = federation(clock, statute, sizes={"docks": 6, "rail": 2})
    election = Election.objects.get(body=fed.assemblies["docks"], office="delegate")
    assert election.seats == 4  # Sainte-Laguë: 6 and 2 members share 5 seats as 4 and 1
    assert Election.objects.get(body=fed.assemblies["rail"], office="delegate").seats == 1
    with pytest.raises(DecisionError, match="not by hand"):
        elections.call_election(
            actor=fed.members["docks"][1],
            body=fed.assemblies["docks"],
            office="delegate",
            council=fed.council,
            seats=6,
        )


def test_only_members_stand_and_no_one_stands_twice(clock: Clock) -> None:
    m = people("Cook", 2)
    body = assembly("kitchen", m)
    election = elections.call_election(actor=m[0], body=body, office="secretary")
    elections.stand(actor=m[0], election=election)
    with pytest.raises(DecisionError, match="already stands"):
        elections.stand(actor=m[0], election=election)
    with pytest.raises(StandingError, match="not a member there"):
        elections.stand(actor=person("Outsider"), election=election)
