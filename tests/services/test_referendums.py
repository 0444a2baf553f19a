"""Referendums: from below by a petition that opens it with no one's approval, or called by the
council; every member votes once however many assemblies; results rolled up; double majority."""

from __future__ import annotations

from fractions import Fraction

import pytest

from frombelow.core.errors import ReferendumError
from frombelow.core.statutes import PetitionThreshold, Statute
from frombelow.db.models import (
    Motion,
    RecordEntry,
    Referendum,
    ReferendumBallot,
    ReferendumParticipation,
)
from frombelow.services import deciding, petitions, referendums
from frombelow.services.queries.members import home_of
from tests.services.world import (
    Clock,
    admit_by_decision,
    all_yes,
    council_decides,
    council_motion,
    decide,
    federation,
    person,
)

pytestmark = pytest.mark.django_db


def test_a_petition_reaching_its_threshold_opens_the_referendum_by_itself(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 10, "rail": 10})
    petition = petitions.open_petition(
        actor=fed.members["docks"][1], kind="referendum", body=fed.council, question="Strike?"
    )
    assert petition.required == 2  # 10% of 20 members
    assert not Referendum.objects.exists()  # its opener has signed; one more is needed
    petitions.sign_petition(actor=fed.members["rail"][1], petition=petition)
    referendum = Referendum.objects.get()
    assert (referendum.petition, referendum.called_by, referendum.electorate) == (
        petition,
        None,
        20,
    )
    entry = RecordEntry.objects.get(action="referendum.opened")
    assert entry.actor == "system"  # no one's approval was asked
    # And nothing exists by which the council could refuse or cancel it.
    import frombelow.services.referendums as module

    assert not [n for n in dir(module) if any(w in n for w in ("refuse", "cancel", "block"))]


def test_member_bodies_can_petition_by_their_own_decisions(clock: Clock) -> None:
    # Half the members must sign, so that its opener's signature does not open it alone.
    half = Statute(referendum_petition_members=PetitionThreshold(Fraction(1, 2)))
    fed = federation(clock, half, sizes={"docks": 2, "rail": 2, "port": 2})
    petition = petitions.open_petition(
        actor=fed.members["docks"][0], kind="referendum", body=fed.council, question="Strike?"
    )
    decide(
        clock,
        fed.assemblies["docks"],
        fed.members["docks"][0],
        all_yes(fed.members["docks"]),
        kind=Motion.Kind.SIGN_PETITION,
        petition=petition,
    )
    assert Referendum.objects.exists()  # a third of 3 member bodies is 1


def test_a_member_votes_once_however_many_assemblies_and_results_roll_up(clock: Clock) -> None:
    fed = federation(clock, Statute(double_majority=True), sizes={"docks": 3, "rail": 3, "port": 3})
    both = person("Both")
    admit_by_decision(clock, fed, "docks", both)
    admit_by_decision(clock, fed, "rail", both)
    decision = council_decides(
        clock,
        fed,
        council_motion(
            fed, "Ask everyone", kind=Motion.Kind.CALL_REFERENDUM, details={"question": "Strike?"}
        ),
        {s: ("bound", all_yes(m)) for s, m in fed.members.items()},
    )
    referendum = Referendum.objects.get(called_by=decision)
    assert referendum.electorate == 10  # nine members and one in two assemblies, once
    referendums.cast_referendum_ballot(actor=both, referendum=referendum, option="yes")
    with pytest.raises(ReferendumError, match="already voted"):
        referendums.cast_referendum_ballot(actor=both, referendum=referendum, option="no")
    assert ReferendumBallot.objects.get().assemblies == ["docks", "rail"]
    assert ReferendumParticipation.objects.count() == 1
    choices = {
        "docks": ["yes", "yes", "no"],
        "rail": ["no", "no", "no"],
        "port": ["yes", "yes", "yes"],
    }
    for slug, options in choices.items():
        for member, option in zip(fed.members[slug], options, strict=True):
            referendums.cast_referendum_ballot(actor=member, referendum=referendum, option=option)
    with pytest.raises(ReferendumError, match="open until"):
        referendums.close_referendum(actor="system", referendum=referendum)
    clock.now = referendum.closes_at
    with pytest.raises(ReferendumError, match="has closed"):
        referendums.cast_referendum_ballot(actor=person("Late"), referendum=referendum, option="no")
    result = referendums.close_referendum(actor="system", referendum=referendum)
    by_body = result.by_body
    assert by_body["docks"] == {"yes": 3, "no": 1, "abstain": 0, "electorate": 4}
    assert by_body["rail"] == {"yes": 1, "no": 3, "abstain": 0, "electorate": 4}
    assert by_body["federation"] == {"yes": 6, "no": 4, "abstain": 0, "electorate": 10}
    assert result.turnout == 10
    # The members carry it, and so do two of the three member bodies: a double majority.
    assert result.outcome == "carried"


def test_a_double_majority_fails_without_most_member_bodies(clock: Clock) -> None:
    fed = federation(clock, Statute(double_majority=True), sizes={"docks": 6, "rail": 2, "port": 2})
    petitions.open_petition(
        actor=fed.members["docks"][0], kind="referendum", body=fed.council, question="Strike?"
    )
    referendum = Referendum.objects.get()  # its opener's signature reached 10% of nine
    votes = {"docks": "yes", "rail": "no", "port": "no"}
    for slug, option in votes.items():
        for member in fed.members[slug]:
            referendums.cast_referendum_ballot(actor=member, referendum=referendum, option=option)
    clock.now = referendum.closes_at
    result = referendums.close_referendum(actor="system", referendum=referendum)
    assert result.by_body["federation"]["yes"] == 6  # 6 of 10 members: a majority of members
    assert result.outcome == "lost"  # but only one of three member bodies


def test_only_members_under_the_council_vote(clock: Clock) -> None:
    fed = federation(clock)
    petitions.open_petition(
        actor=fed.members["docks"][0], kind="referendum", body=fed.council, question="?"
    )
    referendum = Referendum.objects.get()
    with pytest.raises(ReferendumError, match="in no assembly under 'federation'"):
        referendums.cast_referendum_ballot(
            actor=person("Outsider"), referendum=referendum, option="yes"
        )
    with pytest.raises(ReferendumError, match="not an option"):
        referendums.cast_referendum_ballot(
            actor=fed.members["docks"][0], referendum=referendum, option="maybe"
        )
    assert not ReferendumParticipation.objects.exists()


def test_a_member_admitted_after_a_referendum_opened_is_not_offered_it(clock: Clock) -> None:
    fed = federation(clock)
    petitions.open_petition(
        actor=fed.members["docks"][0], kind="referendum", body=fed.council, question="?"
    )
    referendum = Referendum.objects.get()
    newcomer = person("Newcomer")
    admit_by_decision(clock, fed, "docks", newcomer)
    # The home offers what one can do: the roll was fixed when it opened, without the newcomer.
    assert home_of(newcomer, clock.now).referendums == []
    assert home_of(fed.members["rail"][0], clock.now).referendums == [referendum]
    with pytest.raises(ReferendumError, match="in no assembly under 'federation'"):
        referendums.cast_referendum_ballot(actor=newcomer, referendum=referendum, option="yes")


def test_a_referendum_is_counted_by_itself_once_it_closes(clock: Clock) -> None:
    """The scheduler (`frombelow notify`) counts a referendum past its close, as it does votes;
    before its close it leaves it open, and a referendum counted already is not counted again."""
    fed = federation(clock, sizes={"docks": 10, "rail": 10})
    petition = petitions.open_petition(
        actor=fed.members["docks"][1], kind="referendum", body=fed.council, question="Strike?"
    )
    petitions.sign_petition(actor=fed.members["rail"][1], petition=petition)
    referendum = Referendum.objects.get()
    for voter in fed.members["docks"][:3]:
        referendums.cast_referendum_ballot(actor=voter, referendum=referendum, option="yes")
    assert deciding.close_due_votes(clock.now) == 0
    clock.now = referendum.closes_at
    assert deciding.close_due_votes(clock.now) == 1
    referendum.refresh_from_db()
    assert referendum.result.turnout == 3
    assert RecordEntry.objects.get(action="referendum.counted").actor == "system"
    assert deciding.close_due_votes(clock.now) == 0
