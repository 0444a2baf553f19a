"""The permission matrix: every endpoint asked by a member of docks, a member of another body,
docks' delegate, docks' membership officer and an anonymous visitor.

Acts are tried in the order of the table's roles, refusals first, so that an act allowed to one
role does not change what the next is answered; each answer is checked against the OpenAPI
document by the client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from frombelow.db.models import Candidacy, Election, Member, RecordEntry
from frombelow.services import clock
from tests.api.conftest import World, signable_petition
from tests.api.founding_matrix import founding_rows
from tests.api.rights_matrix import rights_rows

# Marked, so that `make test` runs them again on PostgreSQL.
pytestmark = pytest.mark.django_db

# Reading an internal item of docks (or of the council above it): its members read, others not.
READ = {"other": 403, "anonymous": 401, "member": 200, "delegate": 200, "officer": 200}
# Keeping docks' roll (it holds members' contact details): its elected membership officer alone.
KEEPER = {"anonymous": 401, "other": 403, "member": 403, "delegate": 403, "officer": 200}
# Asking about oneself: every account, no visitor.
OWN = {"anonymous": 401, "other": 200, "member": 200, "delegate": 200, "officer": 200}
# The council's secretary's acts (schedule, agenda, open, decide, close): the officer, whom its
# delegations elected; its delegates cast but do not chair, and docks' members read the council,
# so they are refused for the act, not for reading.
SECRETARY = {"anonymous": 401, "other": 403, "member": 403, "delegate": 403, "officer": 200}


@dataclass(frozen=True)
class Endpoint:
    """One endpoint, how to call it in the world, and the status each role gets, in order."""

    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World], Any] | None = None


ENDPOINTS: dict[str, Endpoint] = {
    "me": Endpoint("GET", lambda w: "/me", OWN),
    # What needs me and my notices: every account asks about itself.
    "my work": Endpoint("GET", lambda w: "/me/work", OWN),
    "my notices": Endpoint("GET", lambda w: "/me/notices", OWN),
    "choose notices": Endpoint(
        "PUT", lambda w: "/me/notices", OWN, lambda w: {"wanted": ["digest", "vote-opened"]}
    ),
    "bodies": Endpoint("GET", lambda w: "/bodies", OWN),
    "body": Endpoint("GET", lambda w: "/bodies/docks", READ),
    "council": Endpoint("GET", lambda w: "/bodies/federation", READ),
    "roll": Endpoint("GET", lambda w: "/bodies/docks/members", READ),
    "decisions": Endpoint("GET", lambda w: "/bodies/docks/decisions", READ),
    "statements": Endpoint("GET", lambda w: "/bodies/docks/statements", READ),
    "petitions": Endpoint("GET", lambda w: "/bodies/docks/petitions", READ),
    "record": Endpoint("GET", lambda w: "/bodies/docks/record", READ),
    "motions": Endpoint("GET", lambda w: "/bodies/docks/motions", READ),
    "motion": Endpoint("GET", lambda w: f"/motions/{w.motion.pk}", READ),
    "vote": Endpoint("GET", lambda w: f"/votes/{w.vote.pk}", READ),
    "tally": Endpoint("GET", lambda w: f"/votes/{w.vote.pk}/tally", READ),
    # A counted secret vote's ballot list, and finding one's ballot in it: for its readers.
    "published ballots": Endpoint("GET", lambda w: f"/votes/{_counted_secret(w)}/ballots", READ),
    "find a ballot": Endpoint(
        "POST",
        lambda w: f"/votes/{_counted_secret(w)}/ballots/find",
        READ,
        lambda w: {"tracker": "0" * 64},
    ),
    # A roll-call vote has no such list (its ballots name their voters): its readers are
    # refused, saying so (tests/api/test_ballot_list.py: a secret vote before its count).
    "ballots of a roll-call vote": Endpoint(
        "GET",
        lambda w: f"/votes/{w.vote.pk}/ballots",
        {**READ, "member": 409, "delegate": 409, "officer": 409},
    ),
    "session": Endpoint("GET", lambda w: f"/sessions/{w.session.pk}", READ),
    "schedule session": Endpoint(
        "POST",
        lambda w: "/bodies/federation/sessions",
        {**SECRETARY, "officer": 201},
        lambda w: {"title": "Winter", "starts_at": "2030-01-15T18:00:00Z"},
    ),
    "add item": Endpoint(
        "POST",
        lambda w: f"/sessions/{w.drafting.pk}/items",
        {**SECRETARY, "officer": 201},
        lambda w: {"motion": w.spare.pk},
    ),
    "send agenda": Endpoint("POST", lambda w: f"/sessions/{w.drafting.pk}/agenda", SECRETARY),
    "open session": Endpoint("POST", lambda w: f"/sessions/{w.due.pk}/open", SECRETARY),
    "close session": Endpoint("POST", lambda w: f"/sessions/{w.meeting.pk}/close", SECRETARY),
    "decide item": Endpoint(
        "POST",
        lambda w: f"/items/{w.hearing.items.get().pk}/decision",
        {**SECRETARY, "officer": 201},
    ),
    "put election to session": Endpoint(
        "POST",
        lambda w: f"/sessions/{w.hearing.pk}/elections",
        {**SECRETARY, "officer": 201},
        lambda w: {"election": _council_nominating(w)},
    ),
    "decide election in session": Endpoint(
        "POST",
        lambda w: f"/sessions/{w.hearing.pk}/elections/{w.auditor.pk}/decision",
        {**SECRETARY, "officer": 201},
    ),
    "ratifications": Endpoint("GET", lambda w: "/bodies/docks/ratifications", READ),
    "propose mandate": Endpoint(
        "POST",
        lambda w: f"/items/{w.session.items.get().pk}/mandate-motions",
        # Docks' members propose docks' mandate; a member of the mines reads no federation.
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"body": "docks", "mandate": "bound"},
    ),
    "propose ratification": Endpoint(
        "POST",
        lambda w: f"/decisions/{w.provisional.pk}/ratify-motions",
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"body": "docks"},
    ),
    "election": Endpoint("GET", lambda w: f"/elections/{w.election.pk}", READ),
    "petition": Endpoint("GET", lambda w: f"/petitions/{w.petition.pk}", READ),
    "referendum": Endpoint("GET", lambda w: f"/referendums/{w.referendum.pk}", READ),
    "vote in referendum": Endpoint(
        "POST",
        lambda w: f"/referendums/{w.referendum.pk}/ballots",
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"option": "yes"},
    ),
    "count referendum": Endpoint(
        "POST",
        lambda w: f"/referendums/{w.referendum.pk}/count",
        # Those who read the federation may ask; it is open for three weeks yet, so each is told
        # when it closes, and nothing is counted. The mines read no federation.
        {"other": 403, "anonymous": 401, "member": 409, "delegate": 409, "officer": 409},
    ),
    "decision": Endpoint("GET", lambda w: f"/decisions/{w.decision.pk}", READ),
    "dissent": Endpoint(
        "POST",
        lambda w: f"/decisions/{w.decision.pk}/dissents",
        # Only the minority dissents: the member voted no; the delegate and officer voted yes.
        {"other": 403, "anonymous": 401, "delegate": 403, "officer": 403, "member": 201},
        lambda w: {"text": "A rota ignores night shifts"},
    ),
    "opt out": Endpoint(
        "POST",
        lambda w: f"/decisions/{w.decision.pk}/opt-outs",
        {"other": 403, "anonymous": 401, "delegate": 403, "officer": 403, "member": 201},
        lambda w: {"reason": "night shifts"},
    ),
    "tokens": Endpoint("GET", lambda w: "/tokens", OWN),
    "issue token": Endpoint(
        "POST",
        lambda w: "/tokens",
        # With a bearer token no one mints another (see test_endpoints for the session).
        {"anonymous": 401, "other": 403, "member": 403, "delegate": 403, "officer": 403},
        lambda w: {"name": "another"},
    ),
    "revoke token": Endpoint(
        "DELETE",
        lambda w: f"/tokens/{w.tokens['member'].split('_')[1]}",
        # Only its owner revokes a token; the others have no token of that prefix.
        {"anonymous": 401, "other": 404, "delegate": 404, "officer": 404, "member": 200},
    ),
    # A token confirms another only from the person's own session: every token is refused.
    "confirm token": Endpoint(
        "POST",
        lambda w: f"/tokens/{w.tokens['member'].split('_')[1]}/confirm",
        {"anonymous": 401, "other": 403, "delegate": 403, "officer": 403, "member": 403},
    ),
    "propose": Endpoint(
        "POST",
        lambda w: "/bodies/docks/motions",
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"title": "Canteen", "text": "Open a canteen"},
    ),
    "submit": Endpoint(
        "POST",
        lambda w: f"/motions/{w.draft.pk}/submit",
        # Only the draft's proposer (the officer) submits it.
        {"other": 403, "anonymous": 401, "member": 403, "delegate": 403, "officer": 200},
    ),
    "support": Endpoint(
        "POST",
        lambda w: f"/motions/{w.draft.pk}/support",
        # The proposer cannot count as their own supporter.
        {"other": 403, "anonymous": 401, "officer": 409, "member": 201, "delegate": 201},
    ),
    "amend": Endpoint(
        "POST",
        lambda w: f"/motions/{w.debated.pk}/amendments",
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"text": "We strike on Monday"},
    ),
    "edit": Endpoint(
        "PATCH",
        lambda w: f"/motions/{w.draft.pk}",
        # Only the draft's proposer (the officer) edits it.
        {"other": 403, "anonymous": 401, "member": 403, "delegate": 403, "officer": 200},
        lambda w: {"text": "We picket at dawn"},
    ),
    "withdraw": Endpoint(
        "POST",
        lambda w: f"/motions/{w.draft.pk}/withdraw",
        {"other": 403, "anonymous": 401, "member": 403, "delegate": 403, "officer": 200},
    ),
    "withdraw amendment": Endpoint(
        "POST",
        lambda w: f"/amendments/{w.amendment.pk}/withdraw",
        # Only its proposer (the member) withdraws an amendment.
        {"other": 403, "anonymous": 401, "delegate": 403, "officer": 403, "member": 200},
    ),
    "put to the vote": Endpoint(
        "POST",
        lambda w: f"/motions/{w.tabled.pk}/votes",
        # Docks' elected secretary (the officer) alone puts a motion to the vote.
        {"other": 403, "anonymous": 401, "member": 403, "delegate": 403, "officer": 201},
        lambda w: {"closes_at": (w.vote.opened_at + timedelta(days=30)).isoformat()},
    ),
    "put an amendment to the vote": Endpoint(
        "POST",
        lambda w: f"/amendments/{w.amendment.pk}/votes",
        {"other": 403, "anonymous": 401, "member": 403, "delegate": 403, "officer": 201},
        lambda w: {"closes_at": (w.vote.opened_at + timedelta(days=30)).isoformat()},
    ),
    "enter a tally": Endpoint(
        "POST",
        lambda w: f"/votes/{w.meeting_vote.pk}/tally",
        # Only the elected secretary (the officer) enters a meeting's tally.
        {"other": 403, "anonymous": 401, "member": 403, "delegate": 403, "officer": 201},
        lambda w: {"counts": [{"ranking": [["yes"]], "count": 1}], "attendance": [w.member.pk]},
    ),
    "change a secret ballot": Endpoint(
        "POST",
        lambda w: f"/votes/{w.vote.pk}/ballots/change",
        # Whoever holds a secret ballot's tracker; the world's vote is a roll-call, refused.
        {"other": 403, "anonymous": 401, "member": 409, "delegate": 409, "officer": 409},
        lambda w: {"tracker": "0" * 64, "ranking": [["no"]]},
    ),
    "close a vote early": Endpoint(
        "POST",
        lambda w: f"/votes/{w.vote.pk}/close",
        # Only the elected secretary (the officer), and only where docks' statute lets them,
        # which it does not: refused, saying so (tests/api/test_motion_acts.py closes one).
        {"other": 403, "anonymous": 401, "member": 403, "delegate": 403, "officer": 409},
    ),
    "report progress": Endpoint(
        "POST",
        lambda w: f"/decisions/{w.decision.pk}/progress",
        # Only those the decision named (the member) report on carrying it out.
        {"other": 403, "anonymous": 401, "delegate": 403, "officer": 403, "member": 201},
        lambda w: {"text": "The rota is drafted"},
    ),
    "cast": Endpoint(
        "POST",
        lambda w: f"/votes/{w.vote.pk}/ballots",
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"ranking": [["yes"]]},
    ),
    "rank": Endpoint(
        "POST",
        lambda w: f"/elections/{w.election.pk}/ballots",
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"ranking": [[w.officer.pk], [w.member.pk]]},
    ),
    "preview roll": Endpoint(
        "POST",
        lambda w: "/bodies/docks/roll/preview",
        KEEPER,
        lambda w: {"csv": "name,email\nOlga Paz,olga@example.org\n"},
    ),
    "import roll": Endpoint(
        "POST",
        lambda w: "/bodies/docks/roll/import",
        {**KEEPER, "officer": 201},
        lambda w: {"token": w.roll_token},
    ),
    "export roll": Endpoint("GET", lambda w: "/bodies/docks/roll.csv", KEEPER),
    "invite again": Endpoint(
        "POST",
        lambda w: f"/bodies/docks/roll/members/{_invitee(w)}/invitation",
        {**KEEPER, "officer": 202},
    ),
    "sign": Endpoint(
        "POST",
        lambda w: f"/petitions/{_signable(w)}/signatures",
        # A member under the council signs its open petition, and reaches its threshold (10% of
        # six): the referendum opens, and later signers are told so. A member of the mines reads
        # no federation. (The world's own petitions reached theirs on their opener's signature.)
        {"other": 403, "anonymous": 401, "member": 201, "officer": 409, "delegate": 409},
    ),
    "elections": Endpoint("GET", lambda w: "/bodies/docks/elections", READ),
    "call election": Endpoint(
        "POST",
        lambda w: "/bodies/docks/elections",
        # Any member may call it; once called, the election is under way for the next.
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 409, "officer": 409},
        lambda w: {"office": "treasurer"},
    ),
    "stand": Endpoint(
        "POST",
        lambda w: f"/elections/{_nominating(w)}/candidacies",
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"statement": "Open books"},
    ),
    "withdraw candidacy": Endpoint(
        "POST",
        lambda w: f"/elections/{_nominating(w, standing=True)}/withdrawal",
        # Only the member stands; the others have no candidacy to withdraw.
        {"other": 403, "anonymous": 401, "delegate": 409, "officer": 409, "member": 201},
    ),
    "open election": Endpoint(
        "POST",
        lambda w: f"/elections/{_nominating(w, standing=True)}/vote",
        # Any member may close the nominations; once open, the vote cannot open again.
        {"other": 403, "anonymous": 401, "member": 201, "delegate": 409, "officer": 409},
        lambda w: {"closes_at": (clock.now() + timedelta(days=8)).isoformat()},
    ),
    "resign": Endpoint(
        "POST",
        lambda w: f"/terms/{w.term.pk}/resignation",
        # Resigning is the holder's own act: the delegate's term, by the delegate alone.
        {"other": 403, "anonymous": 401, "member": 403, "officer": 403, "delegate": 201},
    ),
}

# Founding from nothing, applying to join, leaving, a council's founding, the open sign-up.
ENDPOINTS.update(founding_rows(Endpoint))
# Petitions, tendencies and due process.
ENDPOINTS.update(rights_rows(Endpoint))


def _nominating(world: World, *, standing: bool = False) -> int:
    """Return docks' election of a treasurer taking candidacies (the member standing in it if
    `standing`), made directly so that making it is no act the matrix counts."""
    election, _ = Election.objects.get_or_create(
        body=world.docks,
        office="treasurer",
        defaults={"seats": 1, "called_at": clock.now()},
    )
    if standing:
        Candidacy.objects.get_or_create(
            election=election, member=world.member, defaults={"stood_at": clock.now()}
        )
    return election.pk


def _council_nominating(world: World) -> int:
    """Return the council's election of a treasurer with the member standing, taking
    candidacies, made directly so that making it is no act the matrix counts."""
    election, _ = Election.objects.get_or_create(
        body=world.fed.council,
        office="treasurer",
        defaults={"seats": 1, "called_at": clock.now()},
    )
    Candidacy.objects.get_or_create(
        election=election, member=world.member, defaults={"stood_at": clock.now()}
    )
    return election.pk


def _counted_secret(world: World) -> int:
    """Return the vote of an election of docks, secret and counted when the world was built."""
    election = Election.objects.filter(
        body=world.docks, vote__ballot_kind="secret", vote__decision__isnull=False
    ).earliest("pk")
    assert election.vote_id is not None
    return election.vote_id


def _signable(world: World) -> int:
    return signable_petition(world)


def _invitee(world: World) -> int:
    """Return a member of docks with an address and no account, whom the officer may invite."""
    invitee = world.fed.members["docks"][0]
    Member.objects.filter(pk=invitee.pk).update(email="invitee@example.org")
    return invitee.pk


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_each_role_gets_what_the_access_rules_allow(world: World, name: str) -> None:
    endpoint = ENDPOINTS[name]
    answers = {}
    for role in endpoint.expected:
        before = RecordEntry.objects.count()
        body = endpoint.body(world) if endpoint.body else None
        response = world.client(role).call(endpoint.method, endpoint.path(world), body)
        answers[role] = response.status_code
        if response.status_code >= 400:
            assert response.json()["detail"], f"{name} refused {role} without saying why"
            assert RecordEntry.objects.count() == before, f"{name} refused {role} but recorded"
    assert answers == endpoint.expected


def test_the_matrix_covers_every_endpoint_of_the_document(world: World) -> None:
    from tests.api.conftest import served_document

    documented = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in served_document()["paths"].items()
        for method in operations
    }
    covered = {(e.method, _template(e.path(world))) for e in ENDPOINTS.values()}
    # The health check answers everyone (test_health).
    assert documented - covered == {("GET", "/health")}


def _template(path: str) -> str:
    from tests.api.conftest import _template as template
    from tests.api.conftest import served_document

    return template(path, served_document()).removeprefix("/api/v1")
