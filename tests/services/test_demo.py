"""The demo federation: its promised shapes, made through the services, once."""

from __future__ import annotations

import pytest
from django.db import connection

from frombelow.core.statutes import Statute
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
from frombelow.services import bodies, clock
from frombelow.services.demo import (
    CONFEDERATION,
    DEMO_PASSWORD,
    LOGINS,
    DemoError,
    _unsynced_commits,
    seed_demo,
)
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


def test_a_database_with_other_bodies_is_refused_and_nothing_is_written() -> None:
    founder = bodies.register_member(actor="system", name="Ada Berg")
    bodies.found_assembly(
        actor=founder, name="Dockers", slug="dockers", founders=[founder], statute=Statute()
    )
    entries = RecordEntry.objects.count()
    with pytest.raises(DemoError, match="holds bodies but not the demo"):
        seed_demo(seed=1, scale=SMALL)
    assert RecordEntry.objects.count() == entries
    assert list(Body.objects.values_list("slug", flat=True)) == ["dockers"]


# Outside a test transaction, as the command runs; it writes nothing, so the flush after it can
# leave out the record's tables (whose triggers refuse it).
@pytest.mark.django_db(transaction=True, available_apps=["django.contrib.contenttypes"])
def test_the_seeding_commits_without_waiting_for_the_disk_then_waits_again() -> None:
    def setting() -> str:
        query = {"sqlite": "PRAGMA synchronous", "postgresql": "SHOW synchronous_commit"}
        with connection.cursor() as cursor:
            cursor.execute(query[connection.vendor])
            return str(cursor.fetchone()[0])

    waits = setting()
    assert waits in ("2", "on")  # FULL, on: as the settings have it
    with _unsynced_commits():
        assert setting() in ("1", "off")  # NORMAL, off
    assert setting() == waits
