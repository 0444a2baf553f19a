"""Founding and joining through the API alone: convene, accept, elect; refusals say why and store
nothing; apply, admit, propose the admission, leave; a council founded by its bodies' decisions;
the open sign-up. Every answer is checked against the OpenAPI document."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from frombelow.db.models import Body, Member, MembershipApplication, Motion, RecordEntry, Vote
from frombelow.services import deciding, motions
from frombelow.services.queries.bodies import is_member
from tests.api.conftest import ApiClient
from tests.services.world import Clock, all_yes, assembly, people, person, vote_in

pytestmark = pytest.mark.django_db


def client_of(member: Member, username: str) -> ApiClient:
    from frombelow.services.tokens import issue_token

    user = User.objects.create_user(username=username, password=None)
    Member.objects.filter(pk=member.pk).update(user=user)
    member.user = user
    return ApiClient(issue_token(user=user, name="tests")[1])


def call(client: ApiClient, method: str, path: str, body: Any = None, status: int = 200) -> Any:
    response = client.call(method, path, body)
    assert response.status_code == status, response.json()
    return response.json()


def founding_in(**change: Any) -> dict[str, Any]:
    return {
        "name": "Tenants of Calle Mayor",
        "slug": "calle-mayor",
        "template": "tenants-assembly",
        "rules": {"quorum": "1/5"},
        "founders": [
            {"name": "Berta Sol", "email": "berta@example.org"},
            {"name": "Carlos Mar", "email": "carlos@example.org"},
            {"name": "Dora Paz", "email": "dora@example.org"},
        ],
        **change,
    }


def test_three_people_found_an_assembly_and_elect_its_officers_through_the_api(
    clock: Clock,
) -> None:
    ana = client_of(person("Ana Ruiz"), "ana")
    templates = call(ana, "GET", "/statute-templates")
    assert {t["code"] for t in templates} >= {"union-section", "cooperative"}
    made = call(ana, "POST", "/foundings", founding_in(), status=201)
    assert (made["status"], made["accepted"], made["needed"]) == ("open", 1, 2)
    assert made["statute"]["quorum"] == "1/5"
    assert made["statute"]["min_voting_hours"] == 48  # the tenants' template's
    founders = {}
    for email, username in (("berta@example.org", "berta"), ("carlos@example.org", "carlos")):
        member = Member.objects.get(email=email)
        Member.objects.filter(pk=member.pk).update(user=None)
        founders[username] = client_of(member, username)
    call(founders["berta"], "POST", f"/foundings/{made['id']}/accept", status=201)
    done = call(founders["carlos"], "POST", f"/foundings/{made['id']}/accept", status=201)
    assert (done["status"], done["body"]) == ("founded", "calle-mayor")
    listed = call(ana, "GET", "/bodies/calle-mayor/elections")
    assert sorted(e["office"] for e in listed) == ["membership-officer", "secretary"]
    officer = next(e for e in listed if e["office"] == "membership-officer")
    call(founders["berta"], "POST", f"/elections/{officer['id']}/candidacies", {}, status=201)
    closes = (clock.now + timedelta(days=3)).isoformat()
    call(ana, "POST", f"/elections/{officer['id']}/vote", {"closes_at": closes}, status=201)
    berta = Member.objects.get(email="berta@example.org")
    for client in (ana, *founders.values()):
        call(client, "POST", f"/elections/{officer['id']}/ballots", {"ranking": [[berta.pk]]}, 201)
    clock.advance(days=3)
    vote = Vote.objects.get(pk=call(ana, "GET", f"/elections/{officer['id']}")["vote"])
    deciding.close_vote(actor="system", vote=vote)
    body = call(ana, "GET", "/bodies/calle-mayor")
    assert [(t["office"], t["holder"]) for t in body["officers"]] == [
        ("membership-officer", berta.pk)
    ]


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"slug": "Calle Mayor"}, 422, "short name"),
        ({"founders": [{"name": "B", "email": "b@example.org"}]}, 422, "asks for 3 founders"),
        ({"rules": {"quorum": "2"}}, 422, "quorum"),
        ({"rules": {"colour": "red"}}, 422, "no rule called colour"),
        ({"template": "club"}, 422, "no statute template"),
    ],
)
def test_a_founding_that_cannot_be_is_refused_and_nothing_is_stored(
    clock: Clock, change: dict[str, Any], status: int, words: str
) -> None:
    ana = client_of(person("Ana Ruiz"), "ana")
    before = RecordEntry.objects.count()
    answer = call(ana, "POST", "/foundings", founding_in(**change), status=status)
    assert words in answer["detail"]
    assert RecordEntry.objects.count() == before


def test_a_founder_who_has_not_accepted_is_refused_once_it_is_founded(clock: Clock) -> None:
    ana = client_of(person("Ana Ruiz"), "ana")
    made = call(ana, "POST", "/foundings", founding_in(rules={"min_founders": 2}), status=201)
    berta, dora = (Member.objects.get(email=e) for e in ("berta@example.org", "dora@example.org"))
    for member in (berta, dora):
        Member.objects.filter(pk=member.pk).update(user=None)
    call(client_of(berta, "berta"), "POST", f"/foundings/{made['id']}/accept", status=201)
    before = RecordEntry.objects.count()
    answer = call(client_of(dora, "dora"), "POST", f"/foundings/{made['id']}/accept", status=409)
    assert "founded already" in answer["detail"]
    assert RecordEntry.objects.count() == before
    assert not is_member(dora, Body.objects.get(slug="calle-mayor"), clock.now)
    outsider = client_of(person("Otto"), "otto")
    answer = call(outsider, "GET", f"/foundings/{made['id']}", status=403)
    assert "not among those invited" in answer["detail"]


def test_the_convenor_cannot_act_as_officer_before_the_election(clock: Clock) -> None:
    ana_member = person("Ana Ruiz")
    ana = client_of(ana_member, "ana")
    made = call(ana, "POST", "/foundings", founding_in(rules={"min_founders": 2}), status=201)
    berta = Member.objects.get(email="berta@example.org")
    Member.objects.filter(pk=berta.pk).update(user=None)
    call(client_of(berta, "berta"), "POST", f"/foundings/{made['id']}/accept", status=201)
    eva = client_of(person("Eva Luna"), "eva")
    application = call(eva, "POST", "/bodies/calle-mayor/applications", {}, status=201)
    before = RecordEntry.objects.count()
    answer = call(ana, "POST", f"/applications/{application['id']}/admit", status=403)
    assert "only the membership officer" in answer["detail"]
    answer = call(
        ana, "POST", "/bodies/calle-mayor/roll/preview", {"csv": "name\nEva\n"}, status=403
    )
    assert RecordEntry.objects.count() == before


def test_a_person_applies_and_the_assembly_or_its_officer_answers(clock: Clock) -> None:
    crew = people("Docker", 3)
    docks = assembly("docks", crew)
    member = client_of(crew[0], "docker")
    eva_member, fran_member = person("Eva"), person("Fran")
    eva, fran = client_of(eva_member, "eva"), client_of(fran_member, "fran")
    joinable = call(eva, "GET", "/assemblies")
    assert joinable == [{"slug": "docks", "name": "Docks", "member": False, "application": None}]
    mine = call(eva, "POST", "/bodies/docks/applications", {"statement": "I load"}, status=201)
    assert call(eva, "GET", "/assemblies")[0]["application"] == mine["id"]
    assert [a["name"] for a in call(member, "GET", "/bodies/docks/applications")] == ["Eva"]
    call(eva, "GET", "/bodies/docks/applications", status=403)  # only its members read them
    proposed = call(member, "POST", f"/applications/{mine['id']}/motion", status=201)
    motion = Motion.objects.get(pk=proposed["id"])
    motions.submit_motion(actor=crew[0], motion=motion)
    vote_in(clock, motion, all_yes(crew))
    assert call(eva, "GET", "/applications")[0]["outcome"] == "admitted"
    assert is_member(eva_member, docks, clock.now)
    # Fran withdraws, and has no membership to leave.
    theirs = call(fran, "POST", "/bodies/docks/applications", {}, status=201)
    assert call(fran, "POST", f"/applications/{theirs['id']}/withdraw")["outcome"] == "withdrawn"
    call(fran, "POST", "/bodies/docks/leave", status=422)
    # Eva leaves by her own act.
    assert call(eva, "POST", "/bodies/docks/leave")["done"] == "member.left"
    assert not is_member(eva_member, docks, clock.now)
    assert MembershipApplication.objects.filter(outcome="admitted").count() == 1


def test_bodies_found_a_council_through_the_api(clock: Clock) -> None:
    dockers, railers = people("Docker", 3), people("Railer", 3)
    assembly("docks", dockers)
    assembly("rail", railers)
    docker, railer = client_of(dockers[0], "docker"), client_of(railers[0], "railer")
    proposal = {"name": "Transport federation", "slug": "transport", "founders": ["docks", "rail"]}
    first = call(docker, "POST", "/bodies/docks/council-foundings", proposal, status=201)
    state = call(railer, "GET", f"/council-foundings/{first['id']}")
    assert [(b["slug"], b["status"]) for b in state["founders"]] == [
        ("docks", "draft"),
        ("rail", "none"),
    ]
    second = call(
        railer, "POST", f"/council-foundings/{first['id']}/motions", {"body": "rail"}, status=201
    )
    call(railer, "POST", f"/council-foundings/{first['id']}/motions", {"body": "docks"}, 403)
    for crew, pk in ((dockers, first["id"]), (railers, second["id"])):
        motion = Motion.objects.get(pk=pk)
        motions.submit_motion(actor=crew[0], motion=motion)
        vote_in(clock, motion, all_yes(crew))
    state = call(docker, "GET", f"/council-foundings/{first['id']}")
    assert state["council"] == "transport"
    assert {b["status"] for b in state["founders"]} == {"carried"}


def test_sign_up_through_the_api_only_where_the_installation_opens_it(clock: Clock) -> None:
    visitor = ApiClient(None)
    ask = {"name": "Ana Ruiz", "email": "ana@example.org"}
    answer = call(visitor, "POST", "/sign-up", ask, status=403)
    assert "by invitation only" in answer["detail"]
    with override_settings(FROMBELOW_OPEN_SIGN_UP=True):
        call(visitor, "POST", "/sign-up", ask, status=202)
        match = re.search(r"/accounts/sign-up/([^/\s]+)/", str(mail.outbox[0].body))
        assert match is not None
        confirm = {"token": match.group(1), "password": "a long passphrase 3"}
        made = call(visitor, "POST", "/sign-up/confirm", confirm, status=201)
        assert made == {"done": "account.made", "id": "ana@example.org"}
        again = call(visitor, "POST", "/sign-up/confirm", confirm, status=403)
        assert "exists already" in again["detail"]
