"""The stored tally of a referendum: kept with each ballot, always equal to a recount of the
ballots, made again from them on demand, and checked against them when the referendum is counted."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F

from frombelow.core.errors import ReferendumError
from frombelow.db.models import Member, Referendum, ReferendumResult, ReferendumTally
from frombelow.services import petitions, referendums
from tests.services.world import Clock, Federation, admit_by_decision, federation, person

pytestmark = pytest.mark.django_db


def _open(clock: Clock) -> tuple[Federation, Referendum, Member]:
    """Open a referendum over docks, rail and port, with one member in both docks and rail."""
    fed = federation(clock, sizes={"docks": 3, "rail": 3, "port": 3})
    both = person("Both")
    for slug in ("docks", "rail"):
        admit_by_decision(clock, fed, slug, both)
    # Its opener's signature reaches 10% of the nine.
    petitions.open_petition(
        actor=fed.members["docks"][0], kind="referendum", body=fed.council, question="Strike?"
    )
    return fed, Referendum.objects.get(), both


def _vote(fed: Federation, referendum: Referendum, both: Member) -> None:
    referendums.cast_referendum_ballot(actor=both, referendum=referendum, option="no")
    choices = {"docks": ["yes", "yes", "no"], "rail": ["no", "yes", "no"], "port": ["yes"] * 3}
    for slug, options in choices.items():
        for member, option in zip(fed.members[slug], options, strict=True):
            referendums.cast_referendum_ballot(actor=member, referendum=referendum, option=option)


def test_each_ballot_is_counted_in_the_tally_as_it_is_cast(clock: Clock) -> None:
    fed, referendum, both = _open(clock)
    _vote(fed, referendum, both)
    with pytest.raises(ReferendumError, match="already voted"):
        referendums.cast_referendum_ballot(actor=both, referendum=referendum, option="yes")
    assert referendums.stored_tally(referendum) == {
        ("docks rail", "no"): 1,
        ("docks", "yes"): 2,
        ("docks", "no"): 1,
        ("rail", "no"): 2,
        ("rail", "yes"): 1,
        ("port", "yes"): 3,
    }
    assert referendums.stored_tally(referendum) == referendums.recount_tally(referendum)


def test_the_tally_is_made_again_from_the_ballots(clock: Clock) -> None:
    fed, referendum, both = _open(clock)
    _vote(fed, referendum, both)
    kept = referendums.stored_tally(referendum)
    ReferendumTally.objects.filter(assemblies="port").update(ballots=F("ballots") + 5)
    ReferendumTally.objects.filter(assemblies="docks rail").delete()
    assert referendums.stored_tally(referendum) != kept
    assert referendums.rebuild_tally(referendum) == len(kept)
    assert referendums.stored_tally(referendum) == kept


@pytest.mark.parametrize("drift", [1, -1])
def test_a_tally_that_differs_from_the_ballots_stops_the_count(clock: Clock, drift: int) -> None:
    fed, referendum, both = _open(clock)
    _vote(fed, referendum, both)
    tampered = ReferendumTally.objects.filter(assemblies="port", option="yes")
    tampered.update(ballots=F("ballots") + drift)
    clock.now = referendum.closes_at
    with pytest.raises(ReferendumError, match=r"tally counts \d+ ballots but its ballot box holds"):
        referendums.close_referendum(actor="system", referendum=referendum)
    assert not ReferendumResult.objects.exists()
    referendums.rebuild_tally(referendum)
    result = referendums.close_referendum(actor="system", referendum=referendum)
    assert result.by_body["federation"] == {"yes": 6, "no": 4, "abstain": 0, "electorate": 10}


def test_the_migration_fills_the_tally_of_referendums_from_their_ballots(clock: Clock) -> None:
    fed, referendum, both = _open(clock)
    _vote(fed, referendum, both)
    kept = referendums.stored_tally(referendum)
    ReferendumTally.objects.all().delete()
    migration = importlib.import_module("frombelow.db.migrations.0011_referendum_tally")
    migration.fill_tallies(apps, SimpleNamespace(connection=connection))
    assert referendums.stored_tally(referendum) == kept


def test_the_tally_has_every_row_from_its_opening_so_their_order_tells_no_choice(
    clock: Clock,
) -> None:
    fed, referendum, both = _open(clock)
    made = list(referendum.tally.order_by("pk").values_list("assemblies", "option", "ballots"))
    # Every set of assemblies on the roll, every option, at nought, in a fixed order.
    sets = ["docks", "docks rail", "port", "rail"]
    assert made == [(s, o, 0) for s in sets for o in referendum.options]
    _vote(fed, referendum, both)
    assert list(referendum.tally.order_by("pk").values_list("assemblies", "option")) == [
        (s, o) for s, o, _ in made
    ]
