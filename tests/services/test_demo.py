"""The demo federation: its promised shapes, made through the services, once."""

from __future__ import annotations

import pytest

from frombelow.db.models import (
    Body,
    Decision,
    Dissent,
    Member,
    RecordEntry,
    Referendum,
    Statement,
    Tendency,
)
from frombelow.services import clock
from frombelow.services.demo import CONFEDERATION, DEMO_PASSWORD, LOGINS, seed_demo
from frombelow.services.queries.bodies import councils_at, member_bodies_at
from frombelow.services.queries.decisions import delegation_votes
from frombelow.services.queries.terms import election_statuses, holders

pytestmark = pytest.mark.django_db

SMALL = 0.05  # 250 members in 8 sections: every shape of the full demo, at a twentieth


def test_the_small_demo_has_every_shape_it_promises_and_is_seeded_once() -> None:
    report = seed_demo(seed=1, scale=SMALL)
    now = clock.now()
    assert report.created
    assert report.members == 250
    confederation = Body.objects.get(slug=CONFEDERATION)
    federations = list(member_bodies_at(confederation, now))
    assert len(federations) == 8
    # A union section belongs to a regional and to an industrial federation.
    section = Body.objects.get(slug="section-01")
    assert sorted(c.slug for c in councils_at(section, now)) == [
        "north-regional-federation",
        "transport-federation",
    ]
    # The first section's secretary election is overdue, and every other section's is not.
    statuses = {
        (body.slug, office.office): office.status.status
        for body in Body.objects.filter(kind=Body.Kind.ASSEMBLY)
        for office in election_statuses(body, now)
    }
    assert statuses[("section-01", "secretary")] == "overdue"
    assert [k for k, state in statuses.items() if state == "overdue"] == [
        ("section-01", "secretary")
    ]
    assert holders(Body.objects.get(slug="section-02"), "secretary", now)
    # The referendum the petition opened is open; the congress decided the fund, with a dissent.
    referendum = Referendum.objects.get()
    assert referendum.petition is not None
    assert referendum.called_by is None
    assert referendum.opened_at <= now < referendum.closes_at
    assert not hasattr(referendum, "result")
    assert referendum.participations.count() > 0
    fund = Decision.objects.get(body=confederation)
    assert fund.outcome == Decision.Outcome.CARRIED
    assert Dissent.objects.filter(decision=fund).count() == 1
    assert len(delegation_votes(fund)) == 8  # every federation's vote derived from its mandate
    assert Tendency.objects.count() == 3
    assert Statement.objects.count() == 3
    # The three logins sign in with the documented password, each as their member.
    for username in LOGINS:
        member = Member.objects.select_related("user").get(user__username=username)
        assert member.user is not None
        assert member.user.check_password(DEMO_PASSWORD)
        assert member.name == report.logins[username]
    # Every act is in the record, as a real one would be.
    assert RecordEntry.objects.filter(action="member.registered").count() == 250
    assert RecordEntry.objects.filter(action="referendum.opened").count() == 1
    # Seeding again finds the demo there and changes nothing. (One test: each seeding takes
    # tens of seconds.)
    entries, members = RecordEntry.objects.count(), Member.objects.count()
    again = seed_demo(seed=1, scale=SMALL)
    assert not again.created
    assert (RecordEntry.objects.count(), Member.objects.count()) == (entries, members)
    assert again.logins == report.logins
    assert list(again.logins) == list(LOGINS)
