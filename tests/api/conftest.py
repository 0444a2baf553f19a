"""A small federation with accounts for the API tests: a member, an officer and a delegate of the
docks assembly, a member of another body, and an anonymous visitor; every response is checked
against the OpenAPI document. The officer is the federation's elected secretary too, who acts for
it in its sessions."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs; only `validate` is used
import pytest
from django.contrib.auth.models import User
from django.test import Client

from frombelow.core.statutes import Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import (
    Amendment,
    Body,
    Decision,
    Election,
    Member,
    Motion,
    Petition,
    Referendum,
    Session,
    Term,
    Vote,
)
from frombelow.services import clock as services_clock
from frombelow.services import deciding, elections, motions, petitions, roll, sessions, votes
from frombelow.services.standing import MEMBERSHIP_OFFICER, SECRETARY
from frombelow.services.tokens import issue_token
from tests.services.conftest import clock  # noqa: F401  (the services' clock, as a fixture)
from tests.services.world import (
    Clock,
    Federation,
    assembly,
    council_motion,
    council_session,
    elect_one,
    elect_secretary,
    federation,
    people,
    propose,
    vote_in,
)
from tests.support.once import Built, built_for_the_module

ROLES = ("member", "other", "delegate", "officer", "anonymous")
# A roll for docks' membership officer to import.
NEWCOMERS = "name,email,member_number\nNuria Vega,nuria@example.org,31\n"


@dataclass
class World:
    """The federation, the docks assembly's open items, and a client per role."""

    fed: Federation
    docks: Body
    mines: Body
    member: Member
    officer: Member
    delegate: Member
    other: Member
    motion: Motion  # a submitted motion of docks, open to vote
    draft: Motion  # a draft of docks, open to support
    debated: Motion  # a submitted motion of docks, not yet put to the vote, open to amend
    amendment: Amendment  # the member's amendment to `debated`, open to withdraw or put
    tabled: Motion  # a submitted motion of docks with no amendment, to put to the vote
    meeting_vote: Vote  # docks' vote at a meeting, whose secretary (the officer) enters the tally
    vote: Vote  # the vote on `motion`
    decision: Decision  # docks' decision, carried by the officer and delegate against the member,
    # which the member carries out (reporting progress)
    petition: Petition  # a recall petition against docks' delegate
    term: Term  # the delegate's term
    election: Election  # docks' election of a secretary, open to vote
    session: Session  # a session of the council with one item on its agenda, sent down
    drafting: Session  # a session whose agenda is not sent yet: one item, and `spare` to add
    spare: Motion  # a submitted motion of the council on no agenda
    due: Session  # a session due to open now, with nothing on its agenda
    hearing: Session  # an open session: its one item (raised there) voted by both delegations,
    # and `auditor`, the council's election, cast by both too
    auditor: Election
    meeting: Session  # an open session whose one item is decided, provisionally
    provisional: Decision  # the council's decision in `meeting`, awaiting ratification
    referendum: Referendum  # a referendum under the council, opened from below
    tokens: dict[str, str]
    roll_token: str  # the officer's preview of NEWCOMERS for docks, not yet imported

    def client(self, role: str) -> ApiClient:
        """Return a client that asks as `role`, with its bearer token."""
        return ApiClient(self.tokens.get(role))


class ApiClient:
    """A test client that sends a bearer token and checks every answer against the document."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        """Send a request to /api/v1 and return the response, checked against the document."""
        send = getattr(self.client, method.lower())
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = send(f"/api/v1{path}", **kwargs)
        kind = response["Content-Type"].split(";")[0]
        if kind != "application/json":
            # A file (the roll's CSV): the document must name its type for this status.
            check_content_type(method, path, response.status_code, kind)
            return response
        check_against_document(method, path, response.status_code, response.json())
        return response


@functools.cache
def served_document() -> dict[str, Any]:
    """Return the OpenAPI document as the API serves it to clients."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _template(path: str, document: dict[str, Any]) -> str:
    """Find the document's path template that `path` matches."""
    parts = path.split("?")[0].strip("/").split("/")
    for template in document["paths"]:
        pieces = template.removeprefix("/api/v1").strip("/").split("/")
        if len(pieces) == len(parts) and all(
            t.startswith("{") or t == p for t, p in zip(pieces, parts, strict=True)
        ):
            return str(template)
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check_against_document(method: str, path: str, status: int, payload: Any) -> None:
    """Validate an answer against the schema the OpenAPI document gives for it."""
    document = served_document()
    operation = document["paths"][_template(path, document)][method.lower()]
    responses = operation["responses"]
    if status == 500:
        assert payload == {"error": "internal", "detail": "internal error"}
        return
    assert str(status) in responses, f"{method} {path} answered {status}, not documented"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(payload, {**schema, "components": document["components"]})


def check_content_type(method: str, path: str, status: int, kind: str) -> None:
    """Check that the document gives an answer of this status and content type."""
    document = served_document()
    responses = document["paths"][_template(path, document)][method.lower()]["responses"]
    assert kind in responses.get(str(status), {}).get("content", {}), (
        f"{method} {path} answered {status} as {kind}, not documented"
    )


def _account(member: Member, role: str) -> str:
    # Accounts are not yet made by a service (the accounts issue); the test links one directly.
    user = User.objects.create_user(username=role, password=None)
    Member.objects.filter(pk=member.pk).update(user=user)
    return issue_token(user=user, name=f"{role} tests")[1]


def _session_now(secretary: Member, fed: Federation, clock: Clock, title: str) -> Session:  # noqa: F811
    """Schedule a session of the council starting now, with nothing on its agenda."""
    return sessions.schedule_session(
        actor=secretary, council=fed.council, title=title, starts_at=clock.now
    )


@pytest.fixture(scope="module")
def built_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[Built[World]]:
    """Build the world once for the module's tests (see tests/support/once.py)."""
    with built_for_the_module(django_db_blocker, build_world) as built:
        yield built


@pytest.fixture
def world(built_world: Built[World], clock: Clock, db: None) -> World:  # noqa: F811
    """The world as built, for this test: its own copy, its clock where the build left it."""
    return built_world.fresh(clock)


def build_world(clock: Clock) -> World:  # noqa: F811
    """Build the federation, an officer, a motion open to vote, a draft, a recall petition."""
    fed = federation(clock)
    docks = fed.assemblies["docks"]
    crew = fed.members["docks"]
    mines = assembly("mines", people("Miner", 2))
    officer = elect_one(clock, docks, MEMBERSHIP_OFFICER, crew[1], crew).holder
    # Docks lets its membership officer admit members, so that the roll can be imported.
    vote_in(
        clock,
        propose(
            docks,
            crew[0],
            "Our officer admits",
            kind=Motion.Kind.AMEND_STATUTE,
            details={"statute": statute_json(Statute(officer_admits_members=True))},
        ),
        dict.fromkeys(crew, "yes"),
    )
    roll_token = roll.preview_roll(actor=officer, assembly=docks, data=NEWCOMERS).token
    decision = vote_in(
        clock,
        propose(docks, crew[1], "Rota", opt_out_allowed=True, implementers=[crew[2]]),
        {crew[0]: "yes", crew[1]: "yes", crew[2]: "no"},
    )
    motion = motions.submit_motion(
        actor=crew[2],
        motion=motions.propose_motion(actor=crew[2], body=docks, title="Strike", text="We strike"),
    )
    banner = motions.submit_motion(
        actor=crew[0],
        motion=motions.propose_motion(actor=crew[0], body=docks, title="Banner", text="Red"),
    )
    draft = motions.propose_motion(actor=crew[1], body=docks, title="Picket", text="We picket")
    debated = motions.submit_motion(
        actor=crew[2],
        motion=motions.propose_motion(actor=crew[2], body=docks, title="Wages", text="Raise"),
    )
    amendment = motions.propose_amendment(actor=crew[2], motion=debated, text="Raise by 5%")
    tabled = motions.submit_motion(
        actor=crew[2],
        motion=motions.propose_motion(actor=crew[2], body=docks, title="Canteen", text="Open"),
    )
    # The membership officer is docks' secretary too, who puts its motions to the vote, online
    # or at a meeting; the election's days give members the statute's notice of them.
    elect_one(clock, docks, SECRETARY, officer, crew)
    vote = votes.open_vote(actor=officer, motion=motion, closes_at=clock.now + timedelta(days=7))
    meeting_vote = votes.open_vote(actor=officer, motion=banner, mode=Vote.Mode.MEETING)
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    petition = petitions.open_petition(
        actor=crew[2],
        kind=Petition.Kind.RECALL,
        body=docks,
        question="Recall",
        term=term,
        text="Absent from every meeting",
    )
    election = elections.call_election(actor=crew[2], body=docks, office="secretary")
    for candidate in crew[1:]:
        elections.stand(actor=candidate, election=election)
    elections.open_election(
        actor=crew[2], election=election, closes_at=clock.now + timedelta(days=3)
    )
    # The federation's delegations elect docks' officer their secretary, who acts for the
    # council in its sessions (the delegate only casts).
    elect_secretary(clock, fed.council, officer)
    session, _ = council_session(
        clock, fed.council, officer, [council_motion(fed, "Federal strike")]
    )
    spare = council_motion(fed, "Hardship fund")
    drafting = sessions.schedule_session(
        actor=officer,
        council=fed.council,
        title="Autumn",
        starts_at=clock.now + timedelta(days=30),
    )
    sessions.add_item(actor=officer, session=drafting, motion=council_motion(fed, "Canteens"))
    due, hearing, meeting = (
        _session_now(officer, fed, clock, t) for t in ("Due", "Hearing", "Meeting")
    )
    provisional = None
    for opened, title in ((hearing, "Solidarity"), (meeting, "Picket lines")):
        sessions.open_session(actor=officer, session=opened)
        raised = sessions.add_item(actor=officer, session=opened, motion=council_motion(fed, title))
        on_it = Vote.objects.get(item=raised)
        for delegate in fed.delegates.values():
            sessions.cast_for_delegation(actor=delegate, vote=on_it, ranking=[["yes"]])
        if opened == meeting:
            provisional = deciding.close_session_vote(actor=officer, vote=on_it)
    # The hearing votes on the council's auditor too: every delegation has cast.
    auditor = elections.call_election(
        actor=fed.delegates["docks"], body=fed.council, office="auditor"
    )
    elections.stand(actor=crew[2], election=auditor)
    in_session = elections.open_election(
        actor=officer, election=auditor, session=hearing, closes_at=clock.now + timedelta(days=1)
    )
    for delegate in fed.delegates.values():
        sessions.cast_for_delegation(
            actor=delegate, vote=in_session, ranking=[[elections.candidate_label(crew[2])]]
        )
    assert provisional is not None
    assert provisional.provisional
    # Its opener's signature reaches 10% of six: the referendum opens.
    asked = petitions.open_petition(
        actor=crew[2], kind=Petition.Kind.REFERENDUM, body=fed.council, question="General strike?"
    )
    roles = {
        "member": crew[2],
        "officer": officer,
        "delegate": fed.delegates["docks"],
        "other": mines.memberships.earliest("pk").member,
    }
    tokens = {role: _account(m, role) for role, m in roles.items()}
    return World(
        fed=fed,
        docks=docks,
        mines=mines,
        member=roles["member"],
        officer=officer,
        delegate=roles["delegate"],
        other=roles["other"],
        motion=motion,
        draft=draft,
        debated=debated,
        amendment=amendment,
        tabled=tabled,
        meeting_vote=meeting_vote,
        vote=vote,
        decision=decision,
        petition=petition,
        term=term,
        election=Election.objects.get(pk=election.pk),
        session=session,
        drafting=drafting,
        spare=spare,
        due=due,
        hearing=hearing,
        auditor=Election.objects.get(pk=auditor.pk),
        meeting=meeting,
        provisional=provisional,
        referendum=Referendum.objects.get(petition=asked),
        tokens=tokens,
        roll_token=roll_token,
    )


def signable_petition(world: World) -> int:
    """Return an open referendum petition to the council with no signature yet, made directly so
    that making it is no act a test counts (the world's own petitions reached their thresholds on
    their openers' signatures)."""
    petition, _ = Petition.objects.get_or_create(
        kind=Petition.Kind.REFERENDUM,
        body=world.fed.council,
        question="Cut the dues?",
        defaults={
            "opened_by": world.officer,
            "opened_at": services_clock.now(),
            "entitled": 6,
            "required": 6,
        },
    )
    return petition.pk
