"""Standing with a statement, withdrawing while nominations are open, elections that are called
and opened by themselves when due, and votes that close by themselves at their end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction

from frombelow.core.errors import DecisionError, StandingError, StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute
from frombelow.db.models import (
    Candidacy,
    Decision,
    Election,
    Motion,
    RecordEntry,
    Term,
    Withdrawal,
)
from frombelow.services import deciding, elections, votes
from frombelow.services.queries.terms import holders
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    decide,
    elect_one,
    federation,
    open_at_once,
    people,
    propose,
)

pytestmark = pytest.mark.django_db


def test_a_candidate_stands_with_a_statement_and_withdraws_before_the_vote(clock: Clock) -> None:
    m = people("Cook", 3)
    body = assembly("kitchen", m)
    election = elections.call_election(actor=m[0], body=body, office="treasurer")
    candidacy = elections.stand(actor=m[1], election=election, statement="  Open books.  ")
    assert candidacy.statement == "Open books."
    elections.stand(actor=m[2], election=election)
    elections.withdraw_candidacy(actor=m[1], election=election)
    assert elections.standing_candidates(election) == [m[2]]
    entry = RecordEntry.objects.filter(action="candidate.withdrew").get()
    assert entry.data == {"candidacy": candidacy.pk}
    with pytest.raises(DecisionError, match="does not stand in this election"):
        elections.withdraw_candidacy(actor=m[1], election=election)
    # A withdrawal is final, and the refusal says so rather than "already stands".
    with pytest.raises(DecisionError, match="withdrew from this election and cannot stand"):
        elections.stand(actor=m[1], election=election)
    with pytest.raises(DecisionError, match="already stands in this election"):
        elections.stand(actor=m[2], election=election)
    vote = elections.open_election(
        actor=m[0], election=election, closes_at=clock.now + timedelta(days=3)
    )
    assert vote.options == [elections.candidate_label(m[2])]
    with pytest.raises(DecisionError, match="can no longer be withdrawn"):
        elections.withdraw_candidacy(actor=m[2], election=election)
    assert Withdrawal.objects.count() == 1


def test_a_statement_too_long_or_a_stranger_is_refused_and_nothing_is_stored(
    clock: Clock,
) -> None:
    m = people("Cook", 2)
    body = assembly("kitchen", m)
    stranger = people("Stranger", 1)[0]
    election = elections.call_election(actor=m[0], body=body, office="treasurer")
    with pytest.raises(DecisionError, match="at most 4000 characters, not 4001"):
        elections.stand(actor=m[1], election=election, statement="x" * 4001)
    with pytest.raises(StandingError, match="not a member there"):
        elections.stand(actor=stranger, election=election)
    with pytest.raises(DecisionError, match="does not stand"):
        elections.withdraw_candidacy(actor=stranger, election=election)
    assert not Candidacy.objects.exists()
    assert not RecordEntry.objects.filter(action__startswith="candidate.").exists()


def test_an_old_statute_reads_the_election_rules_default_and_bad_ones_are_refused() -> None:
    old = {"max_term_days": 100}
    assert read_statute(old).nomination_days == 14
    assert read_statute(old).election_voting_days == 7
    with pytest.raises(StatuteError, match="nominations must run"):
        Statute(nomination_days=0)
    with pytest.raises(StatuteError, match="stay open"):
        Statute(election_voting_days=0)


def test_a_term_falling_due_calls_its_election_and_opens_its_vote_by_itself(
    clock: Clock,
) -> None:
    m = people("Cook", 4)
    statute = Statute(
        max_term_days=100, election_notice_days=30, nomination_days=10, election_voting_days=5
    )
    body = assembly("kitchen", m, statute)
    term = elect_one(clock, body, "secretary", m[0], m)
    assert elections.open_due_elections(clock.now) == 0
    clock.now = term.ends_at - timedelta(days=30)
    assert elections.open_due_elections(clock.now) == 1
    called = Election.objects.exclude(pk=term.election_id).get()
    assert (called.office, called.vote) == ("secretary", None)
    entry = RecordEntry.objects.filter(action="election.called").last()
    assert entry is not None
    assert (entry.actor, entry.data["because"]) == ("system", "due")
    assert elections.open_due_elections(clock.now) == 0  # called once, however often it runs
    elections.stand(actor=m[1], election=called)
    elections.stand(actor=m[2], election=called)
    clock.advance(days=9)
    assert elections.open_due_elections(clock.now) == 0  # nominations still open
    clock.advance(days=1)
    assert elections.open_due_elections(clock.now) == 1
    called.refresh_from_db()
    assert called.vote is not None
    assert called.vote.closes_at == clock.now + timedelta(days=5)
    opened = RecordEntry.objects.filter(action="vote.opened", subject=f"vote:{called.vote.pk}")
    assert opened.get().actor == "system"
    for voter in m:
        votes.cast_ballot(
            actor=voter, vote=called.vote, ranking=[[elections.candidate_label(m[2])]]
        )
    clock.advance(days=5)
    assert deciding.close_due_votes(clock.now) == 1
    assert [t.holder for t in holders(body, "secretary", term.ends_at)] == [m[2]]
    assert deciding.close_due_votes(clock.now) == 0


def test_an_election_no_one_stands_in_waits_for_a_candidate(clock: Clock) -> None:
    m = people("Cook", 2)
    body = assembly("kitchen", m, Statute(max_term_days=100, nomination_days=5))
    term = elect_one(clock, body, "secretary", m[0], m)
    clock.now = term.ends_at
    elections.open_due_elections(clock.now)
    clock.advance(days=6)
    assert elections.open_due_elections(clock.now) == 0
    (waiting,) = Election.objects.filter(vote__isnull=True)
    elections.stand(actor=m[1], election=waiting)
    assert elections.open_due_elections(clock.now) == 1


def test_votes_close_by_themselves_at_their_end_and_only_then(clock: Clock) -> None:
    m = people("Cook", 3)
    body = assembly("kitchen", m)
    vote = open_at_once(propose(body, m[0], "Canteen"), closes_at=clock.now + timedelta(days=4))
    for voter in m:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    assert deciding.close_due_votes(clock.now) == 0
    clock.advance(days=4)
    assert deciding.close_due_votes(clock.now) == 1
    decision = Decision.objects.get(vote=vote)
    assert decision.outcome == Decision.Outcome.CARRIED
    entry = RecordEntry.objects.get(action="decision.taken", subject=f"decision:{decision.pk}")
    assert entry.actor == "system"


def test_a_candidacy_and_its_withdrawal_cannot_be_rewritten(clock: Clock) -> None:
    m = people("Cook", 2)
    body = assembly("kitchen", m)
    election = elections.call_election(actor=m[0], body=body, office="treasurer")
    candidacy = elections.stand(actor=m[1], election=election, statement="Open books.")
    withdrawal = elections.withdraw_candidacy(actor=m[1], election=election)
    candidacy.statement = "Closed books."
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        candidacy.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        withdrawal.delete()


def test_a_delegation_to_a_council_left_is_never_called(clock: Clock) -> None:
    fed = federation(clock)
    docks, dockers = fed.assemblies["docks"], fed.members["docks"]
    decide(
        clock,
        docks,
        dockers[0],
        all_yes(dockers),
        kind=Motion.Kind.LEAVE_COUNCIL,
        other_body=fed.council,
    )
    (term,) = Term.objects.filter(body=docks, office="delegate")
    clock.now = term.ends_at + timedelta(days=1)
    elections.open_due_elections(clock.now)
    assert not Election.objects.filter(body=docks, vote__isnull=True).exists()
    # The rail depot still sits in the council: its delegation is called.
    assert Election.objects.filter(body=fed.assemblies["rail"], vote__isnull=True).exists()
