"""Bad input gets a clear domain error and changes nothing: every table and the record are as
they were before the attempt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps

from frombelow.core.errors import (
    CycleError,
    DecisionError,
    DomainError,
    PetitionError,
    StandingError,
    UnknownBodyError,
)
from frombelow.db.models import Motion, RecordHead
from frombelow.services import petitions, votes
from frombelow.services.queries.bodies import body_named
from tests.services.world import (
    Clock,
    Federation,
    all_yes,
    council_decides,
    council_motion,
    elect_one,
    federation,
    open_at_once,
    person,
    propose,
)

pytestmark = pytest.mark.django_db


def _state() -> dict[str, int]:
    """Count the rows of every table of the app, and the record's size."""
    models = apps.get_app_config("frombelow").get_models()
    counts = {m.__name__: m._default_manager.count() for m in models}
    counts["record"] = RecordHead.objects.get().size
    return counts


def _refused(attempt: Callable[[], object], error: type[DomainError], message: str) -> None:
    before = _state()
    with pytest.raises(error, match=message):
        attempt()
    assert _state() == before


def test_an_unknown_body(clock: Clock) -> None:
    _refused(lambda: body_named("nowhere"), UnknownBodyError, "there is no body 'nowhere'")


def test_a_member_voting_twice(clock: Clock) -> None:
    fed = federation(clock)
    m = fed.members["docks"]
    vote = open_at_once(propose(fed.assemblies["docks"], m[0]), closes_at=clock.now + timedelta(3))
    votes.cast_ballot(actor=m[1], vote=vote, ranking=[["yes"]])
    _refused(
        lambda: votes.cast_ballot(actor=m[1], vote=vote, ranking=[["no"]]),
        DecisionError,
        "already voted",
    )


def test_a_vote_after_closing(clock: Clock) -> None:
    fed = federation(clock)
    m = fed.members["docks"]
    vote = open_at_once(propose(fed.assemblies["docks"], m[0]), closes_at=clock.now + timedelta(3))
    clock.advance(days=3)
    _refused(
        lambda: votes.cast_ballot(actor=m[1], vote=vote, ranking=[["yes"]]),
        DecisionError,
        "closed at",
    )


def _join(clock: Clock, lower: Federation, upper: Federation) -> None:
    council_decides(
        clock,
        lower,
        council_motion(lower, "Join", kind=Motion.Kind.JOIN_COUNCIL, other_body=upper.council),
        {s: ("bound", all_yes(m)) for s, m in lower.members.items()},
    )
    council_decides(
        clock,
        upper,
        council_motion(
            upper, "Accept", kind=Motion.Kind.ACCEPT_MEMBER_BODY, other_body=lower.council
        ),
        {s: ("bound", all_yes(m)) for s, m in upper.members.items()},
    )


def test_a_cycle_in_the_graph(clock: Clock) -> None:
    lower = federation(clock)
    upper = federation(clock, sizes={"mines": 2, "mills": 2}, council="confederation")
    _join(clock, lower, upper)
    _refused(
        lambda: council_motion(
            upper, "Join", kind=Motion.Kind.JOIN_COUNCIL, other_body=lower.council
        ),
        CycleError,
        "would close the cycle",
    )


def test_a_petition_signed_twice(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 60, "rail": 2})
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    term = elect_one(clock, docks, "secretary", m[5], m)
    petition = petitions.open_petition(
        actor=m[1], kind="recall", body=docks, question="Recall", term=term, text="Absent"
    )  # its opener's signature is the first
    _refused(
        lambda: petitions.sign_petition(actor=m[1], petition=petition),
        PetitionError,
        "already signed",
    )


def test_an_outsider_voting(clock: Clock) -> None:
    fed = federation(clock)
    m = fed.members["docks"]
    vote = open_at_once(propose(fed.assemblies["docks"], m[0]), closes_at=clock.now + timedelta(3))
    stranger = person("Stranger")
    _refused(
        lambda: votes.cast_ballot(actor=stranger, vote=vote, ranking=[["yes"]]),
        StandingError,
        "not on the roll",
    )
