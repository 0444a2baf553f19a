"""While a council's vote is open, what it rests on cannot change: the weights taken when the
session opened, the delegations seated then, the mandates given before, the votes derived from
them. The services never change them, and the database refuses it to anyone who tries.

Elsewhere: a mandate decided after the session opened is refused
(test_sessions.test_a_body_that_gave_no_mandate_in_time_is_absent); the weights are snapshotted
when the session opens (test_sessions.test_weights_are_snapshotted_when_the_session_opens); an
assembly's electorate is its roll when the vote opened
(test_votes.test_the_electorate_is_the_roll_when_the_vote_opened).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet

from frombelow.db.models import BodyWeight, Delegation, DelegationVote, Mandate, Vote
from frombelow.services import sessions
from tests.services.world import (
    Clock,
    all_yes,
    council_motion,
    council_session,
    federation,
    mandate,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("weights", {"weight": 1000}),
        ("delegations", {"weight": 1000, "seats": 5}),
        ("mandates", {"kind": Mandate.Kind.FREE}),
        ("derived votes", {"votes": {"no": 3}}),
    ],
)
def test_the_weights_delegations_mandates_and_derived_votes_of_an_open_vote_cannot_change(
    clock: Clock, what: str, change: dict[str, Any]
) -> None:
    fed = federation(clock)
    chair = fed.delegates["docks"]
    session, (item,) = council_session(clock, fed.council, chair, [council_motion(fed, "Strike")])
    docks = fed.assemblies["docks"]
    mandate(clock, docks, fed.members["docks"][0], item, "bound", all_yes(fed.members["docks"]))
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    session.refresh_from_db()
    vote = Vote.objects.get(item=item)
    rows: QuerySet[Any] = {
        "weights": BodyWeight.objects.filter(snapshot=session.weights),
        "delegations": Delegation.objects.filter(session=session),
        "mandates": Mandate.objects.filter(item=item),
        "derived votes": DelegationVote.objects.filter(vote=vote),
    }[what]
    assert rows.exists()  # the open vote rests on these rows
    before = list(rows.values())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(**change)
    # In SQL, so that Django's own refusal to delete protected rows does not answer first.
    table, ids = rows.model._meta.db_table, [row["id"] for row in before]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(map(str, ids))})")
    assert list(rows.values()) == before
