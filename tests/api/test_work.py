"""What needs me, and my choice of notices, through the API: the same work as my home page, each
answer checked against the OpenAPI document."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from frombelow.db.models import Member, NoticeKind
from frombelow.services import clock as services_clock
from frombelow.services import elections, notices
from frombelow.services.tokens import issue_token
from frombelow.services.work import entries, work_of
from tests.api.conftest import ApiClient
from tests.services.conftest import clock  # noqa: F401  (the services' clock, as a fixture)
from tests.services.world import Clock, Federation, federation

pytestmark = pytest.mark.django_db


def client_of(member: Member) -> ApiClient:
    user = User.objects.create_user(username=f"user{member.pk}", password=None)
    Member.objects.filter(pk=member.pk).update(user=user)
    return ApiClient(issue_token(user=user, name="tests")[1])


@pytest.fixture
def fed(clock: Clock) -> Federation:  # noqa: F811
    return federation(clock)


def test_my_work_is_my_homes_and_offers_nothing_i_cannot_do(fed: Federation) -> None:
    docks, rail = fed.members["docks"], fed.members["rail"]
    election = elections.call_election(
        actor=docks[0], body=fed.assemblies["docks"], office="treasurer"
    )
    answer = client_of(docks[1]).call("GET", "/me/work")
    assert answer.status_code == 200
    listed = answer.json()["entries"]
    assert {
        "role": "member",
        "what": "candidacy",
        "id": election.pk,
        "title": "treasurer",
        "body": "Docks",
        "when": None,
        "page": f"http://127.0.0.1:8000/elections/{election.pk}/#stand-h",
    } in listed
    # One truth: the entries of the same read the home page and the digest make.
    mine = entries(work_of(docks[1], services_clock.now()))
    assert [(e["what"], e["id"]) for e in listed] == [(e.what, e.id) for e in mine]
    # A rail member may not stand in the docks' election: it is not offered.
    theirs = client_of(rail[1]).call("GET", "/me/work").json()["entries"]
    assert "candidacy" not in [e["what"] for e in theirs]
    assert ApiClient(None).call("GET", "/me/work").status_code == 401


def test_i_choose_my_notices_and_the_digest(fed: Federation) -> None:
    member = fed.members["docks"][1]
    api = client_of(member)
    chosen = api.call("GET", "/me/notices").json()
    wanted = {k["kind"]: k["wanted"] for k in chosen["kinds"]}
    assert wanted == {k: k != NoticeKind.DIGEST for k in set(NoticeKind.values) - notices.ALWAYS}
    spanish = api.call("GET", "/me/notices", **{"Accept-Language": "es"}).json()
    labels = {k["kind"]: k["label"] for k in spanish["kinds"]}
    assert labels["digest"] == "Una vez al día, un resumen de lo que me necesita"
    answer = api.call("PUT", "/me/notices", {"wanted": ["digest", "candidacies"]})
    assert answer.status_code == 200
    now = {k["kind"]: k["wanted"] for k in answer.json()["kinds"]}
    assert [k for k, on in now.items() if on] == ["candidacies", "digest"]
    assert notices.choices_of(member) == now


def test_an_unknown_kind_of_notice_is_refused_and_nothing_changes(fed: Federation) -> None:
    member = fed.members["docks"][1]
    api = client_of(member)
    refused = api.call(
        "PUT", "/me/notices", {"wanted": ["digest", "gossip"]}, **{"Accept-Language": "es"}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == "no existe ese tipo de aviso: gossip"
    assert notices.choices_of(member)[NoticeKind.DIGEST] is False
