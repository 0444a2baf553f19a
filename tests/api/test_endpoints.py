"""What the endpoints answer: profiles, rolls, idempotent casts, counts, refusals, failures."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from frombelow.db.models import (
    ApiToken,
    Ballot,
    Member,
    Motion,
    RecordEntry,
    Vote,
)
from frombelow.services import deciding, referendums, sessions, tendencies
from frombelow.services.tokens import issue_token, revoke_token
from tests.api.conftest import ApiClient, World
from tests.services.world import Clock, all_yes, mandate

# Marked, so that `make test` runs them again on PostgreSQL.
pytestmark = pytest.mark.django_db


def test_my_profile_lists_the_bodies_i_read_and_the_seats_i_hold(world: World) -> None:
    me = world.client("delegate").call("GET", "/me").json()
    assert me["id"] == world.delegate.pk
    assert {(b["slug"], b["member"], b["takes_part"]) for b in me["bodies"]} == {
        ("docks", True, True),
        ("federation", False, True),
    }
    assert [(t["office"], t["council"]) for t in me["terms"]] == [("delegate", "federation")]


def test_a_body_shows_its_statute_officers_delegates_and_a_councils_weights(
    world: World,
) -> None:
    docks = world.client("member").call("GET", "/bodies/docks").json()
    assert docks["councils"] == ["federation"]
    # The membership officer is docks' secretary too.
    assert [t["holder"] for t in docks["officers"]] == [world.officer.pk, world.officer.pk]
    assert [t["holder"] for t in docks["delegates"]] == [world.delegate.pk]
    assert docks["statute"]["max_term_days"] == 365
    council = world.client("member").call("GET", "/bodies/federation").json()
    assert {(b["slug"], b["weight"]) for b in council["member_bodies"]} == {
        ("docks", 3),
        ("rail", 3),
    }
    assert len(council["delegates"]) == 2


def test_only_the_membership_officer_sees_members_email(world: World) -> None:
    Member.objects.filter(pk=world.member.pk).update(email="docker@example.org")
    emails = {
        role: {
            m["id"]: m["email"]
            for m in world.client(role).call("GET", "/bodies/docks/members").json()
        }
        for role in ("officer", "delegate", "member")
    }
    assert emails["officer"][world.member.pk] == "docker@example.org"
    assert emails["delegate"][world.member.pk] is None
    assert emails["member"][world.member.pk] == "docker@example.org"  # their own
    assert emails["member"][world.officer.pk] is None


def test_a_retried_cast_with_the_same_key_changes_nothing_and_answers_the_same(
    world: World,
) -> None:
    client = world.client("member")
    path = f"/votes/{world.vote.pk}/ballots"
    first = client.call("POST", path, {"ranking": [["yes"]]}, **{"Idempotency-Key": "k-1"})
    entries = RecordEntry.objects.count()
    again = client.call("POST", path, {"ranking": [["yes"]]}, **{"Idempotency-Key": "k-1"})
    assert (
        (first.status_code, first.json())
        == (again.status_code, again.json())
        == (
            201,
            # A keyed answer is stored to be replayed: a tracker never is (an open ballot has none).
            {"vote": world.vote.pk, "cast": True, "tracker": None},
        )
    )
    assert Ballot.objects.filter(vote=world.vote).count() == 1
    assert RecordEntry.objects.count() == entries
    other = client.call("POST", path, {"ranking": [["no"]]}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 409
    assert "first sent with another request" in other.json()["detail"]
    unkeyed = client.call("POST", path, {"ranking": [["no"]]})
    assert unkeyed.status_code == 409
    assert "already voted" in unkeyed.json()["detail"]
    assert Ballot.objects.get(vote=world.vote).ranking == [["yes"]]


def test_the_live_tally_of_a_roll_call_counts_the_ballots_so_far(world: World) -> None:
    world.client("member").call("POST", f"/votes/{world.vote.pk}/ballots", {"ranking": [["no"]]})
    tally = world.client("officer").call("GET", f"/votes/{world.vote.pk}/tally").json()
    assert tally == {
        "vote": world.vote.pk,
        "turnout": 1,
        "electorate": 3,
        "totals": {"yes": 0, "no": 1, "abstain": 0},
        "delegations": [],
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        ("POST", "/votes/{vote}/ballots", {"ranking": [["maybe"]]}, 422, "maybe"),
        ("POST", "/votes/{vote}/ballots", {"ranking": []}, 422, "ranking"),
        ("POST", "/votes/{vote}/ballots", {}, 422, "ranking"),
        ("POST", "/bodies/docks/motions", {"title": "", "text": "x"}, 422, "title"),
        ("POST", "/bodies/docks/motions", {"title": "x", "text": "y", "kind": "coup"}, 422, "kind"),
        ("POST", "/elections/{election}/ballots", {"ranking": [[999999]]}, 422, "stand"),
        ("GET", "/bodies/docks/record?limit=0", None, 422, "limit"),
        ("GET", "/motions/999999", None, 404, "999999"),
        ("GET", "/bodies/nowhere", None, 404, "nowhere"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    world: World, method: str, path: str, body: object, status: int, says: str
) -> None:
    before = (RecordEntry.objects.count(), Ballot.objects.count(), Motion.objects.count())
    path = path.format(vote=world.vote.pk, election=world.election.pk)
    response = world.client("member").call(method, path, body)
    assert response.status_code == status
    assert says in response.json()["detail"]
    after = (RecordEntry.objects.count(), Ballot.objects.count(), Motion.objects.count())
    assert after == before


def test_an_election_shows_its_count_round_by_round(world: World, clock: Clock) -> None:
    officer, member = world.officer.pk, world.member.pk
    path = f"/elections/{world.election.pk}/ballots"
    world.client("member").call("POST", path, {"ranking": [[member], [officer]]})
    world.client("officer").call("POST", path, {"ranking": [[officer], [member]]})
    world.client("delegate").call("POST", path, {"ranking": [[officer]]})
    assert world.election.vote is not None
    # An election's ballots are secret: while it is open, its tally shows only the turnout.
    tally = world.client("member").call("GET", f"/votes/{world.election.vote.pk}/tally").json()
    assert (tally["turnout"], tally["totals"]) == (3, None)
    clock.advance(days=3)
    deciding.close_vote(actor="system", vote=world.election.vote)
    election = world.client("member").call("GET", f"/elections/{world.election.pk}").json()
    assert election["closed"]
    assert election["elected"] == [f"{world.officer.name} #{officer}"]
    assert election["result"]["method"] == "irv"
    assert election["result"]["rounds"]


def test_a_session_shows_its_agenda_and_a_council_vote_its_delegations(
    world: World, clock: Clock
) -> None:
    item = world.session.items.get()
    rail = world.fed.members["rail"]
    mandate(clock, world.docks, world.member, item, "free", all_yes(world.fed.members["docks"]))
    mandate(clock, world.fed.assemblies["rail"], rail[0], item, "bound", dict.fromkeys(rail, "no"))
    clock.now = world.session.starts_at
    sessions.open_session(actor=world.officer, session=world.session)  # its secretary
    vote = Vote.objects.get(session=world.session)
    world.client("delegate").call("POST", f"/votes/{vote.pk}/ballots", {"ranking": [["yes"]]})
    session = world.client("member").call("GET", f"/sessions/{world.session.pk}").json()
    (item,) = session["items"]
    assert item["vote"] == vote.pk
    tally = world.client("member").call("GET", f"/votes/{vote.pk}/tally").json()
    # Docks' weight cast freely by its delegate; rail's derived from its bound mandate.
    assert (tally["totals"]["yes"], tally["totals"]["no"]) == (3, 3)
    assert {d["member_body"] for d in tally["delegations"]} == {"docks", "rail"}
    assert {row["member_body"]: row["kind"] for row in item_table(world, vote)} == {
        "docks": "free",
        "rail": "bound",
    }
    refused = world.client("member").call(
        "POST", f"/votes/{vote.pk}/ballots", {"ranking": [["no"]]}
    )
    assert refused.status_code == 403


def test_a_referendum_takes_one_ballot_per_member_and_rolls_up(world: World, clock: Clock) -> None:
    referendum = world.referendum
    path = f"/referendums/{referendum.pk}/ballots"
    assert world.client("member").call("POST", path, {"option": "yes"}).status_code == 201
    assert world.client("member").call("POST", path, {"option": "no"}).status_code == 409
    assert world.client("other").call("POST", path, {"option": "no"}).status_code == 403
    assert world.client("anonymous").call("POST", path, {"option": "no"}).status_code == 401
    bad = world.client("officer").call("POST", path, {"option": "perhaps"})
    assert (bad.status_code, "perhaps" in bad.json()["detail"]) == (422, True)
    assert world.client("other").call("GET", f"/referendums/{referendum.pk}").status_code == 403
    clock.now = referendum.closes_at
    referendums.close_referendum(actor="system", referendum=referendum)
    result = world.client("delegate").call("GET", f"/referendums/{referendum.pk}").json()
    assert result["from_below"]
    assert result["question"] == "General strike?"
    assert result["result"]["turnout"] == 1
    assert result["result"]["by_body"]["docks"]["yes"] == 1


def test_an_unexpected_failure_answers_500_without_details(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr("frombelow.api.bodies.statute_version", fail)
    response = world.client("member").call("GET", "/bodies/docks")
    assert response.status_code == 500
    assert response.json() == {"error": "internal", "detail": "internal error"}
    assert b"secret" not in response.content
    assert b"Traceback" not in response.content


def test_a_revoked_token_or_a_made_up_one_is_refused(world: World) -> None:
    user = User.objects.get(username="member")
    revoke_token(user=user, prefix=ApiToken.objects.get(user=user).prefix)
    assert world.client("member").call("GET", "/me").status_code == 401
    assert ApiClient("fb_0000_guess").call("GET", "/me").status_code == 401


def test_an_account_that_is_no_member_reads_nothing(world: World) -> None:
    user = User.objects.create_user(username="operator")
    client = ApiClient(issue_token(user=user, name="ops")[1])
    response = client.call("GET", "/me")
    assert response.status_code == 403
    assert "no member" in response.json()["detail"]
    assert client.call("GET", "/bodies/docks").status_code == 403


def test_the_pages_session_works_with_its_csrf_token_only(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="member"))
    assert client.get("/api/v1/me").status_code == 200
    path = f"/api/v1/motions/{world.draft.pk}/support"
    assert client.post(path).status_code == 403
    client.get("/api/v1/me")  # no page has set the cookie yet; take one from Django
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    assert client.post(path, headers={"X-CSRFToken": token}).status_code == 201


def item_table(world: World, vote: Vote) -> list[dict[str, object]]:
    """Return the mandate table of the session's item that `vote` decides."""
    session = world.client("delegate").call("GET", f"/sessions/{world.session.pk}").json()
    (item,) = [i for i in session["items"] if i["vote"] == vote.pk]
    table: list[dict[str, object]] = item["mandates"]
    return table


def test_a_decision_shows_its_standing_dissents_and_opt_outs(world: World) -> None:
    path = f"/decisions/{world.decision.pk}"
    world.client("member").call("POST", f"{path}/dissents", {"text": "Nights"})
    world.client("member").call("POST", f"{path}/opt-outs", {})
    again = world.client("member").call("POST", f"{path}/opt-outs", {})
    assert again.status_code == 409
    decision = world.client("delegate").call("GET", path).json()
    assert (decision["outcome"], decision["standing"]) == ("carried", "binding")
    assert [d["text"] for d in decision["dissents"]] == ["Nights"]
    assert [o["member"] for o in decision["opt_outs"]] == [world.member.pk]
    empty = world.client("member").call("POST", f"{path}/dissents", {"text": ""})
    assert empty.status_code == 422


def test_a_body_that_is_not_json_is_refused_and_stores_nothing(world: World) -> None:
    client = world.client("member")
    before = RecordEntry.objects.count()
    response = client.client.post(
        f"/api/v1/votes/{world.vote.pk}/ballots",
        data="{not json",
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "detail": "Cannot parse request body: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
    }
    assert RecordEntry.objects.count() == before


def test_a_member_issues_a_token_from_their_session_and_revokes_it(world: World) -> None:
    session = Client()
    session.force_login(User.objects.get(username="member"))
    issued = session.post("/api/v1/tokens", data={"name": "phone"}, content_type="application/json")
    assert issued.status_code == 201
    token = issued.json()["token"]
    phone = ApiClient(token)
    assert phone.call("GET", "/me").json()["id"] == world.member.pk
    listed = phone.call("GET", "/tokens").json()
    assert {t["name"] for t in listed} == {"member tests", "phone"}
    assert all("token" not in t for t in listed)
    phone.call("DELETE", f"/tokens/{issued.json()['prefix']}")
    assert phone.call("GET", "/me").status_code == 401


def test_a_tendencys_statement_reaches_the_body_it_was_published_to(world: World) -> None:
    tendency = tendencies.found_tendency(actor=world.member, name="Rank and File", slug="raf")
    tendencies.publish_statement(
        actor=world.member, tendency=tendency, body=world.docks, title="Vote no", text="Because"
    )
    (statement,) = world.client("officer").call("GET", "/bodies/docks/statements").json()
    assert (statement["tendency"], statement["title"], statement["text"]) == (
        "raf",
        "Vote no",
        "Because",
    )
    assert not statement["hidden"]
    assert world.client("other").call("GET", "/bodies/docks/statements").status_code == 403


def test_the_live_tally_counts_the_ballots_of_each_first_choice(world: World) -> None:
    path = f"/votes/{world.vote.pk}/ballots"
    for who, choice in (("member", "no"), ("officer", "yes")):
        assert world.client(who).call("POST", path, {"ranking": [[choice]]}).status_code == 201
    tally = world.client("officer").call("GET", f"/votes/{world.vote.pk}/tally").json()
    assert (tally["turnout"], tally["totals"]) == (2, {"yes": 1, "no": 1, "abstain": 0})
