"""A referendum, from a petition of members to a rolled-up, double-majority result.

Three regional federations (North, South, East), two sections each, found a confederation whose
statute requires a double majority. Rosa works at the docks (North) and in a mine (South). Members
petition for a referendum on a general strike; their signatures open it without asking anyone.
"""

from __future__ import annotations

import pytest

from frombelow.core.statutes import Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Motion, RecordEntry, Referendum
from frombelow.services import bodies, petitions, referendums
from tests.services.world import (
    Clock,
    all_yes,
    council_decides,
    council_motion,
    decide,
    federation,
    person,
)

pytestmark = pytest.mark.django_db


def test_a_referendum_from_petition_to_double_majority(clock: Clock) -> None:
    regions = {
        "north": federation(clock, sizes={"docks": 4, "rail": 3}, council="north"),
        "south": federation(clock, sizes={"mines": 3, "mills": 2}, council="south"),
        "east": federation(clock, sizes={"farms": 2, "vans": 2}, council="east"),
    }
    statute = Statute(double_majority=True)
    founding = [
        council_decides(
            clock,
            region,
            council_motion(
                region,
                "Found the confederation",
                kind=Motion.Kind.FOUND_COUNCIL,
                details={"slug": "confederation", "statute": statute_json(statute)},
            ),
            {s: ("bound", all_yes(m)) for s, m in region.members.items()},
        )
        for region in regions.values()
    ]
    confederation = bodies.found_council(
        actor=regions["north"].delegates["docks"],
        name="Confederation of Labour",
        slug="confederation",
        decisions=founding,
        statute=statute,
    )
    rosa = person("Rosa")
    for name, slug in (("north", "docks"), ("south", "mines")):
        members = regions[name].members[slug]
        decide(
            clock,
            regions[name].assemblies[slug],
            members[0],
            all_yes(members),
            kind=Motion.Kind.ADMIT_MEMBER,
            member=rosa,
        )

    # 17 members in all (Rosa once): 10% is 2 signatures, and the second one opens it.
    petition = petitions.open_petition(
        actor=rosa, kind="referendum", body=confederation, question="A general strike?"
    )
    assert (petition.entitled, petition.required) == (17, 2)  # Rosa, its opener, has signed
    petitions.sign_petition(actor=regions["east"].members["vans"][0], petition=petition)
    referendum = Referendum.objects.get(petition=petition)

    # Everyone votes once; Rosa once, though she is in two sections.
    choices = {
        "docks": ["yes", "yes", "yes", "no"],
        "rail": ["yes", "yes", "no"],
        "mines": ["yes", "no", "no"],
        "mills": ["yes", "yes"],
        "farms": ["no", "no"],
        "vans": ["no", "abstain"],
    }
    for region in regions.values():
        for slug, members in region.members.items():
            for member, option in zip(members, choices[slug], strict=True):
                referendums.cast_referendum_ballot(
                    actor=member, referendum=referendum, option=option
                )
    referendums.cast_referendum_ballot(actor=rosa, referendum=referendum, option="yes")

    clock.now = referendum.closes_at
    result = referendums.close_referendum(actor="system", referendum=referendum)
    seen = result.by_body
    # Each body sees its own result and its subtree's; Rosa counts in both her sections, in
    # both their federations, and once in the confederation.
    assert seen["docks"] == {"yes": 4, "no": 1, "abstain": 0, "electorate": 5}
    assert seen["mines"] == {"yes": 2, "no": 2, "abstain": 0, "electorate": 4}
    assert seen["north"] == {"yes": 6, "no": 2, "abstain": 0, "electorate": 8}
    assert seen["south"] == {"yes": 4, "no": 2, "abstain": 0, "electorate": 6}
    assert seen["east"] == {"yes": 0, "no": 3, "abstain": 1, "electorate": 4}
    assert seen["confederation"] == {"yes": 9, "no": 7, "abstain": 1, "electorate": 17}
    # 9 of 16 members for, and North and South: two of three member bodies. Carried.
    assert result.outcome == "carried"
    counted = RecordEntry.objects.get(action="referendum.counted")
    assert counted.data["bodies_for"] == ["north", "south"]
