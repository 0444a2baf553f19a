"""Assemblies found a council by each one's carried decision on the same motion: its name, slug,
statute and founders. The last decision to carry founds it; nothing less does."""

from __future__ import annotations

from typing import Any

import pytest

from frombelow.core.errors import DomainError
from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Motion, RecordEntry
from frombelow.services.council_foundings import founding_details
from frombelow.services.queries.bodies import member_bodies_at
from tests.services.world import Clock, all_yes, assembly, decide, people, propose

pytestmark = pytest.mark.django_db

STATUTE = Statute(max_term_days=180)


def details(**change: Any) -> dict[str, Any]:
    return founding_details(
        name=change.get("name", "Transport federation"),
        slug=change.get("slug", "transport"),
        statute=change.get("statute", STATUTE),
        founders=change.get("founders", ["docks", "rail"]),
    )


@pytest.fixture
def crews(clock: Clock) -> dict[str, tuple[Body, list[Any]]]:
    found = {}
    for slug in ("docks", "rail", "mines"):
        members = people(slug.title(), 3)
        found[slug] = (assembly(slug, members), members)
    return found


def test_the_last_founding_decision_to_carry_founds_the_council(
    clock: Clock, crews: dict[str, tuple[Body, list[Any]]]
) -> None:
    (docks, dockers), (rail, railers) = crews["docks"], crews["rail"]
    decide(
        clock,
        docks,
        dockers[0],
        all_yes(dockers),
        kind=Motion.Kind.FOUND_COUNCIL,
        details=details(),
    )
    assert not Body.objects.filter(slug="transport").exists()  # rail has yet to decide
    last = decide(
        clock, rail, railers[0], all_yes(railers), kind=Motion.Kind.FOUND_COUNCIL, details=details()
    )
    council = Body.objects.get(slug="transport")
    assert council.name == "Transport federation"
    assert set(member_bodies_at(council, clock.now)) == {docks, rail}
    entry = RecordEntry.objects.get(action="body.founded", body=council)
    assert entry.actor == "system"
    assert entry.data["founders"] == ["docks", "rail"]
    assert last.pk in entry.data["decisions"]


def test_a_body_that_decided_another_statute_founds_nothing(
    clock: Clock, crews: dict[str, tuple[Body, list[Any]]]
) -> None:
    (docks, dockers), (rail, railers) = crews["docks"], crews["rail"]
    decide(
        clock,
        docks,
        dockers[0],
        all_yes(dockers),
        kind=Motion.Kind.FOUND_COUNCIL,
        details=details(),
    )
    decide(
        clock,
        rail,
        railers[0],
        all_yes(railers),
        kind=Motion.Kind.FOUND_COUNCIL,
        details=details(statute=Statute()),
    )
    assert not Body.objects.filter(slug="transport").exists()


def test_a_lost_decision_founds_nothing(
    clock: Clock, crews: dict[str, tuple[Body, list[Any]]]
) -> None:
    (docks, dockers), (rail, railers) = crews["docks"], crews["rail"]
    decide(
        clock,
        docks,
        dockers[0],
        all_yes(dockers),
        kind=Motion.Kind.FOUND_COUNCIL,
        details=details(),
    )
    decide(
        clock,
        rail,
        railers[0],
        dict.fromkeys(railers, "no"),
        kind=Motion.Kind.FOUND_COUNCIL,
        details=details(),
    )
    assert not Body.objects.filter(slug="transport").exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"founders": ["rail", "mines"]}, "only among its founders"),
        ({"founders": ["docks"]}, "at least two different member bodies"),
        ({"founders": ["docks", "atlantis"]}, "no body 'atlantis'"),
        ({"slug": "docks"}, "already a body 'docks'"),
        ({"slug": "Transport!"}, "no body's short name"),
        ({"name": " "}, "needs a name"),
    ],
)
def test_a_founding_motion_that_cannot_found_is_refused_when_proposed(
    clock: Clock, crews: dict[str, tuple[Body, list[Any]]], change: dict[str, Any], words: str
) -> None:
    docks, dockers = crews["docks"]
    good = details()
    bad = {**good, **change}
    before = RecordEntry.objects.count()
    with pytest.raises(DomainError, match=words):
        propose(docks, dockers[0], kind=Motion.Kind.FOUND_COUNCIL, details=bad)
    assert RecordEntry.objects.count() == before
