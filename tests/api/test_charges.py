"""Due process through the API alone: a charge filed with its reply deadline, the accused's reply,
the motion that hears it (its vote refused before the reply), the sanction, the appeal to the
council above and the council's motion on it; each refusal says why and stores nothing."""

from __future__ import annotations

from fractions import Fraction

import pytest

from frombelow.core.errors import DueProcessError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Appeal, Charge, Motion, RecordEntry, Reply, Sanction, Vote
from frombelow.services import charges, hearings, motions
from tests.api.test_petitions import client_of
from tests.services.test_charges import put_at_once
from tests.services.world import Clock, Federation, all_yes, federation, vote_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> Federation:
    return federation(clock, sizes={"docks": 4, "rail": 3})


def _stored() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (RecordEntry, Charge, Reply, Motion, Vote, Sanction, Appeal)
    )


def test_a_charge_is_filed_replied_to_and_its_hearing_proposed(fed: Federation) -> None:
    m = fed.members["docks"]
    ana, diego = client_of(m[1]), client_of(m[3])
    before = _stored()
    two = ana.call(
        "POST",
        "/bodies/docks/charges",
        {"text": "x", "accused_member": m[3].pk, "accused_body": "rail"},
    )
    assert two.status_code == 422
    assert "one member body, one member or one statement" in two.json()["detail"]
    assert _stored() == before
    filed = ana.call(
        "POST", "/bodies/docks/charges", {"text": "Took the fund", "accused_member": m[3].pk}
    )
    assert filed.status_code == 201
    charge = filed.json()
    assert charge["reply"] is None
    assert charge["reply_due"] == charge["heard_from"]
    assert charge["reply_due"] > charge["filed_at"]
    proposed = ana.call(
        "POST", f"/charges/{charge['id']}/motions", {"sanction": "suspension", "days": 30}
    )
    assert proposed.status_code == 201
    motion = proposed.json()
    assert (motion["kind"], motion["title"], motion["details"]) == (
        "sanction-member",
        f"Suspend {m[3].name}",
        {"sanction": "suspension", "days": 30},
    )
    refused = ana.call("POST", f"/charges/{charge['id']}/reply", {"text": "For them"})
    assert refused.status_code == 403
    replied = diego.call("POST", f"/charges/{charge['id']}/reply", {"text": "I paid it back"})
    assert replied.status_code == 201
    read = diego.call("GET", f"/charges/{charge['id']}").json()
    assert read["reply"]["text"] == "I paid it back"
    assert read["heard_from"] == read["reply"]["replied_at"]
    assert [h["motion"] for h in read["hearings"]] == [motion["id"]]
    listed = ana.call("GET", "/bodies/docks/charges").json()
    assert [c["id"] for c in listed] == [charge["id"]]


def test_an_expulsion_is_not_voted_before_the_reply(fed: Federation) -> None:
    m = fed.members["docks"]
    charge = charges.file_charge(
        actor=m[1], body=fed.assemblies["docks"], accused_member=m[3], text="x"
    )
    motion = motions.submit_motion(
        actor=m[1], motion=hearings.propose_hearing(actor=m[1], charge=charge, sanction="expulsion")
    )
    before = _stored()
    with pytest.raises(DueProcessError, match="no written reply"):
        put_at_once(motion)
    assert _stored() == before


def test_the_expelled_member_appeals_and_a_delegate_proposes_to_lift_it(
    fed: Federation, clock: Clock
) -> None:
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    charge = charges.file_charge(actor=m[1], body=docks, accused_member=m[3], text="Scabbed")
    charges.reply_to_charge(actor=m[3], charge=charge, text="I did not")
    motion = motions.submit_motion(
        actor=m[1], motion=hearings.propose_hearing(actor=m[1], charge=charge, sanction="expulsion")
    )
    vote_in(clock, motion, all_yes(m[:3]))
    sanction = Sanction.objects.get()
    diego = client_of(m[3])
    assert diego.call("GET", "/bodies/docks").status_code == 403  # no longer on the roll
    assert diego.call("GET", f"/charges/{charge.pk}").json()["sanction"] == sanction.pk
    read = diego.call("GET", f"/sanctions/{sanction.pk}").json()
    assert (read["kind"], read["ends_at"], read["appeals"]) == ("expulsion", None, [])
    before = _stored()
    wrong = diego.call(
        "POST", f"/sanctions/{sanction.pk}/appeals", {"council": "rail", "text": "Unjust"}
    )
    assert wrong.status_code == 403
    assert "not a council above 'docks'" in wrong.json()["detail"]
    assert _stored() == before
    appealed = diego.call(
        "POST", f"/sanctions/{sanction.pk}/appeals", {"council": "federation", "text": "Unjust"}
    )
    assert appealed.status_code == 201
    (appeal,) = appealed.json()["appeals"]
    rosa = client_of(fed.delegates["rail"])
    assert rosa.call("GET", f"/sanctions/{sanction.pk}").status_code == 200
    lift = rosa.call("POST", f"/appeals/{appeal['id']}/motions", {})
    assert lift.status_code == 201
    assert (lift.json()["kind"], lift.json()["body"]) == ("decide-appeal", "federation")
    before = _stored()
    member = client_of(fed.members["rail"][2])  # reads the council, sits in no delegation
    assert member.call("POST", f"/appeals/{appeal['id']}/motions", {}).status_code == 403
    assert _stored() == before


def test_no_expulsion_without_a_charge_and_no_body_dissolved_or_suspended_by_another(
    fed: Federation,
) -> None:
    """Refused through the API, saying why and storing nothing: an expulsion proposed with no
    charge stated, and any motion to dissolve, suspend or merge a body, which no kind of motion
    is (a body ends only by its own members leaving it)."""
    m = fed.members["docks"]
    ana = client_of(m[1])
    before = _stored()
    expel = {
        "title": "Out",
        "text": "Out",
        "kind": "sanction-member",
        "details": {"sanction": "expulsion"},
    }
    refused = ana.call("POST", "/bodies/docks/motions", expel)
    assert refused.status_code == 422, refused.json()
    assert "needs a stated charge first" in refused.json()["detail"]
    delegate = client_of(fed.delegates["rail"])
    for kind in ("dissolve-body", "suspend-body", "merge-bodies"):
        council = delegate.call(
            "POST", "/bodies/federation/motions", {"title": "End", "text": "docks", "kind": kind}
        )
        assert council.status_code == 422, kind
        assert "kind" in council.json()["detail"]
    assert _stored() == before


def test_a_council_cannot_amend_a_member_bodys_statute(fed: Federation) -> None:
    """A statute amendment is its own body's: a council's names no member body (MODEL 1)."""
    delegate = client_of(fed.delegates["rail"])
    before = _stored()
    amend = {
        "title": "New rules for the docks",
        "text": "Docks' quorum is a half.",
        "kind": "amend-statute",
        "details": {"statute": statute_json(Statute(quorum=Fraction(1, 2))), "body": "docks"},
    }
    refused = delegate.call("POST", "/bodies/federation/motions", amend)
    assert refused.status_code == 409, refused.json()
    assert (
        "changes its own body's statute and names nothing else, not body"
        in (refused.json()["detail"])
    )
    assert _stored() == before
