"""Issue 12's union from nothing to its first congress, through the API alone.

From an empty migrated database (no seeder, no scene): twelve people make their accounts and
found three assemblies, each electing its membership officer and secretary; an officer imports a
roll; the assemblies found a council and elect their delegates by STV; a tendency forms and
publishes a statement; the council elects its secretary and holds its first congress; members
recall a delegate and the substitute sits; members petition a referendum, which opens by itself,
is voted, counted and rolled up. `frombelow record export` and `record verify` pass at the end.

Every act of a person is an HTTP request with their own bearer token, checked against the OpenAPI
document; nothing else reads or changes the state. Time passes as in the browser stories: the
clock moves, and the scheduler (`frombelow notify`) does what it does when it runs, between the
requests.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from frombelow.cli.main import main
from frombelow.db.models import Body, Member
from frombelow.services import deciding, elections, invites
from tests.api.conftest import ApiClient
from tests.api.story import ok
from tests.scenarios.record_world import signing_each_entry
from tests.services.world import Clock

pytestmark = pytest.mark.django_db

PASSWORD = "solidarity forever 1912"
# Each assembly's four founders, its convenor first; then its membership officer and secretary.
ASSEMBLIES = {
    "docks": ("Dockers of Pier 4", ["Ana Ruiz", "Berta Sol", "Carlos Mar", "Dora Paz"]),
    "rail": ("Rail depot", ["Elena Gil", "Fran Oto", "Gil Vera", "Hugo Rey"]),
    "clerks": ("Port clerks", ["Ines Mora", "Juan Ros", "Kira Diaz", "Luis Cano"]),
}
OFFICERS = {"docks": ("Berta", "Carlos"), "rail": ("Fran", "Gil"), "clerks": ("Juan", "Kira")}
# The union section's template, changed: all four founders found their assembly, a single seat
# is filled by STV, and a recall is asked by a quarter of the members (more than its opener).
RULES: dict[str, Any] = {
    "min_founders": 4,
    "single_seat_method": "stv-scottish",
    "recall_petition": {"share": "1/4", "count": None, "whichever": "smaller"},
}
# The rest of the docks, in the roll the section kept before it used frombelow.
ROLL = (
    "name,email,member_number\n"
    "Mar Toro,mar@example.org,5\n"
    "Nico Sanz,nico@example.org,6\n"
    "Olga Vidal,olga@example.org,7\n"
)
# The council's first statute: its member bodies give it their strike fund to decide, and a
# referendum is asked by a fifth of the members under it.
COUNCIL_RULES: dict[str, Any] = {
    "competences": ["strike-fund"],
    "referendum_petition_members": {"share": "1/5", "count": None, "whichever": "smaller"},
}


def address(name: str) -> str:
    return name.split()[0].lower() + "@example.org"


def scheduler(now: datetime) -> None:
    """Run what `frombelow notify` runs each minute (src/frombelow/cli/notify.py): count the
    votes due, open the motions no secretary put, call and open the elections due, send the
    invitations due."""
    deciding.close_due_votes(now)
    deciding.open_due_motions(now)
    elections.open_due_elections(now)
    invites.send_due_invitations()


def sign_up(name: str) -> ApiClient:
    """Make the person's account by the API's open sign-up, and give them a token.

    The API has no sign-in of its own: a token is issued from a signed-in session only, so that a
    leaked token mints no more (docs/api.md). The person signs in once on the sign-in page, over
    HTTP, as a script's owner does, and asks the API for their token with that session.
    """
    visitor, email = ApiClient(None), address(name)
    ok(visitor.call("POST", "/sign-up", {"name": name, "email": email}), 202)
    (link,) = [m for m in mail.outbox if m.to == [email]]
    match = re.search(r"/accounts/sign-up/([^/\s]+)/", str(link.body))
    assert match is not None, link.body
    confirm = {"token": match.group(1), "password": PASSWORD}
    assert ok(visitor.call("POST", "/sign-up/confirm", confirm))["id"] == email
    session = ApiClient(None)
    session.client = Client()
    signed_in = session.client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.content
    return ApiClient(ok(session.call("POST", "/tokens", {"name": "story"}))["token"])


class Union:
    """The people, by first name: their clients and member ids."""

    def __init__(self) -> None:
        names = [n for _, founders in ASSEMBLIES.values() for n in founders]
        with override_settings(FROMBELOW_OPEN_SIGN_UP=True):
            self.clients = {name.split()[0]: sign_up(name) for name in names}
        self.ids = {n: ok(c.call("GET", "/me"), 200)["id"] for n, c in self.clients.items()}

    def __getitem__(self, first_name: str) -> ApiClient:
        return self.clients[first_name]

    def founders(self, slug: str) -> list[ApiClient]:
        return [self[n.split()[0]] for n in ASSEMBLIES[slug][1]]


def decide(clock: Clock, motions: list[tuple[ApiClient, int, dict[ApiClient, str]]]) -> None:
    """Put each submitted motion to the vote once the statute's notice has passed (by its body's
    secretary, the first client), cast its ballots, and let the scheduler count it at its end."""
    clock.advance(hours=48)
    closes = clock.now + timedelta(hours=72)
    for secretary, motion, ballots in motions:
        put = {"mode": "online", "closes_at": closes.isoformat()}
        vote = ok(secretary.call("POST", f"/motions/{motion}/votes", put))["id"]
        for client, choice in ballots.items():
            ok(client.call("POST", f"/votes/{vote}/ballots", {"ranking": [[choice]]}))
    clock.now = closes + timedelta(minutes=1)
    scheduler(clock.now)
    for secretary, motion, _ in motions:
        decision = ok(secretary.call("GET", f"/motions/{motion}"), 200)["decision"]
        assert decision is not None
        assert decision["outcome"] == "carried"


def found_the_assemblies(union: Union, clock: Clock) -> None:
    """Each convenor proposes a first statute from the union section's template and invites the
    other three; each accepts by their own act, and the fourth acceptance founds the assembly.
    Its founders elect its first officers at once: nobody is appointed, the convenor included."""
    for slug, (name, founders) in ASSEMBLIES.items():
        convenor, *others = (n.split()[0] for n in founders)
        convened = {
            "name": name,
            "slug": slug,
            "template": "union-section",
            "rules": RULES,
            "founders": [{"name": n, "email": address(n)} for n in founders[1:]],
        }
        founding = ok(union[convenor].call("POST", "/foundings", convened))
        assert (founding["status"], founding["needed"]) == ("open", 3)
        for first_name in others:
            (invited,) = ok(union[first_name].call("GET", "/foundings"), 200)
            answered = ok(union[first_name].call("POST", f"/foundings/{invited['id']}/accept"))
        assert (answered["status"], answered["body"]) == ("founded", slug)

        called = ok(union[convenor].call("GET", f"/bodies/{slug}/elections"), 200)
        assert sorted(e["office"] for e in called) == ["membership-officer", "secretary"]
        officer, secretary = OFFICERS[slug]
        for election in called:
            path = f"/elections/{election['id']}"
            who = officer if election["office"] == "membership-officer" else secretary
            ok(union[who].call("POST", f"{path}/candidacies", {"statement": "I will serve."}))
            # A founder closes the nominations and opens the vote at once.
            closes = {"closes_at": (clock.now + timedelta(days=3)).isoformat()}
            ok(union[convenor].call("POST", f"{path}/vote", closes))
            for client in union.founders(slug):
                ok(client.call("POST", f"{path}/ballots", {"ranking": [[union.ids[who]]]}))
    clock.advance(days=3)
    scheduler(clock.now)
    for slug, (officer, secretary) in OFFICERS.items():
        held = ok(union[officer].call("GET", f"/bodies/{slug}"), 200)["officers"]
        assert sorted((t["office"], t["holder"]) for t in held) == [
            ("membership-officer", union.ids[officer]),
            ("secretary", union.ids[secretary]),
        ]


def import_the_roll(union: Union, clock: Clock) -> None:
    """Docks' membership officer imports the rest of the section: the preview stores nothing,
    the import admits every row, and the scheduler sends their invitations."""
    berta = union["Berta"]
    preview = ok(berta.call("POST", "/bodies/docks/roll/preview", {"csv": ROLL}), 200)
    assert [r["name"] for r in preview["admit"]] == ["Mar Toro", "Nico Sanz", "Olga Vidal"]
    assert preview["refused"] == []
    ok(berta.call("POST", "/bodies/docks/roll/import", {"token": preview["token"]}))
    scheduler(clock.now)
    invited = {"mar@example.org", "nico@example.org", "olga@example.org"}
    assert invited <= {m.to[0] for m in mail.outbox}
    assert len(ok(union["Ana"].call("GET", "/bodies/docks/members"), 200)) == 7


def found_the_council(union: Union, clock: Clock) -> None:
    """Each assembly decides by its own vote to found the council with the others: Ana proposes
    it to the docks, Elena and Ines the very same council to theirs; the last carried founds it."""
    council = {
        "name": "Transport federation",
        "slug": "transport",
        "rules": COUNCIL_RULES,
        "founders": list(ASSEMBLIES),
    }
    first = ok(union["Ana"].call("POST", "/bodies/docks/council-foundings", council))["id"]
    proposed = {"docks": ("Ana", first)}
    for slug, first_name in (("rail", "Elena"), ("clerks", "Ines")):
        second = {"body": slug}
        made = ok(union[first_name].call("POST", f"/council-foundings/{first}/motions", second))
        proposed[slug] = (first_name, made["id"])
    for proposer, motion in proposed.values():
        ok(union[proposer].call("POST", f"/motions/{motion}/submit"), 200)
    decide(
        clock,
        [
            (union[OFFICERS[slug][1]], motion, dict.fromkeys(union.founders(slug), "yes"))
            for slug, (_, motion) in proposed.items()
        ],
    )
    state = ok(union["Ines"].call("GET", f"/council-foundings/{first}"), 200)
    assert state["council"] == "transport"
    assert {b["status"] for b in state["founders"]} == {"carried"}


def elect_the_delegates(union: Union, clock: Clock) -> dict[str, dict[str, Any]]:
    """Each delegation falls due at once and is called by itself; at the docks Ana and Dora
    stand, so that the count ranks a substitute. Nominations close and the votes open by
    themselves, members rank, and the count seats the delegates. Return each body's seat."""
    scheduler(clock.now)
    candidates = {"docks": ["Ana", "Dora"], "rail": ["Elena"], "clerks": ["Ines"]}
    elected: dict[str, int] = {}
    for slug, standing in candidates.items():
        listed = ok(union[standing[0]].call("GET", f"/bodies/{slug}/elections"), 200)
        (due,) = [e for e in listed if e["office"] == "delegate" and e["taking_candidacies"]]
        assert due["council"] == "transport"
        for first_name in standing:
            statement = {"statement": f"{first_name} reports back after every session."}
            ok(union[first_name].call("POST", f"/elections/{due['id']}/candidacies", statement))
        elected[slug] = due["id"]
    due = ok(union["Ana"].call("GET", f"/elections/{elected['docks']}"), 200)
    clock.now = datetime.fromisoformat(due["nominations_close"])
    scheduler(clock.now)
    rankings = {
        "docks": {
            "Ana": ["Ana", "Dora"],
            "Berta": ["Ana"],
            "Carlos": ["Ana", "Dora"],
            "Dora": ["Dora", "Ana"],
        },
        "rail": {voter: ["Elena"] for voter in ("Elena", "Fran", "Gil", "Hugo")},
        "clerks": {voter: ["Ines"] for voter in ("Ines", "Juan", "Kira")},
    }
    for slug, election in elected.items():
        for voter, ranking in rankings[slug].items():
            ranked = {"ranking": [[union.ids[c]] for c in ranking]}
            ok(union[voter].call("POST", f"/elections/{election}/ballots", ranked))
    opened = ok(union["Ana"].call("GET", f"/elections/{elected['docks']}"), 200)
    vote = ok(union["Ana"].call("GET", f"/votes/{opened['vote']}"), 200)
    clock.now = datetime.fromisoformat(vote["closes_at"])
    scheduler(clock.now)
    counted = ok(union["Ana"].call("GET", f"/elections/{elected['docks']}"), 200)
    labels = {c["member"]: c["label"] for c in counted["candidates"]}
    assert counted["result"]["method"] == "stv-scottish"
    assert counted["elected"] == [labels[union.ids["Ana"]]]
    assert len(labels) == 2  # Dora, ranked below her, is the substitute
    seats = {}
    for slug, standing in candidates.items():
        (seat,) = ok(union[standing[0]].call("GET", f"/bodies/{slug}"), 200)["delegates"]
        assert (seat["council"], seat["holder"]) == ("transport", union.ids[standing[0]])
        seats[slug] = seat
    return seats


def form_a_tendency(union: Union) -> None:
    """Dora forms a tendency, Hugo of the rail depot joins it, and it speaks to the council."""
    tendency = ok(union["Dora"].call("POST", "/tendencies", {"name": "Rank and File"}))["slug"]
    ok(union["Hugo"].call("POST", f"/tendencies/{tendency}/adherence"))
    said = {"body": "transport", "title": "One port, one union", "text": "Federate the port."}
    ok(union["Hugo"].call("POST", f"/tendencies/{tendency}/statements", said))
    (published,) = ok(union["Kira"].call("GET", "/bodies/transport/statements"), 200)
    assert (published["tendency"], published["title"], published["text"]) == (
        tendency,
        said["title"],
        said["text"],
    )
    (listed,) = ok(union["Luis"].call("GET", "/tendencies"), 200)
    assert listed["adherents"] == 2


def elect_the_secretary(union: Union, clock: Clock) -> None:
    """The council has no secretary yet, so its delegates meet to elect one: Ana schedules a
    session starting now and opens it; Gil of the rail depot stands; each delegation casts; the
    new secretary closes the session."""
    ana = union["Ana"]
    meeting = {"title": "To elect our secretary", "starts_at": clock.now.isoformat()}
    session = ok(ana.call("POST", "/bodies/transport/sessions", meeting))
    assert session["secretary"] is None
    path = f"/sessions/{session['id']}"
    ok(ana.call("POST", f"{path}/open"), 200)
    called = ok(ana.call("POST", "/bodies/transport/elections", {"office": "secretary"}))
    standing = ok(union["Gil"].call("POST", f"/elections/{called['id']}/candidacies", {}))
    (label,) = [c["label"] for c in standing["candidates"]]
    (in_session,) = ok(ana.call("POST", f"{path}/elections", {"election": called["id"]}))[
        "elections"
    ]
    for delegate in ("Ana", "Elena", "Ines"):
        cast = {"ranking": [[label]]}
        ok(union[delegate].call("POST", f"/votes/{in_session['vote']}/ballots", cast))
    ok(ana.call("POST", f"{path}/elections/{called['id']}/decision"))
    closed = ok(union["Gil"].call("POST", f"{path}/close"), 200)
    assert closed["secretary"] == union.ids["Gil"]
    assert closed["closed_at"] is not None


def hold_the_congress(union: Union, clock: Clock) -> None:
    """Elena proposes a strike fund to the council; its secretary schedules the congress, puts
    the motion on the agenda and sends it down by the mandate deadline. Each member body votes
    its mandate: the docks bind their delegate, the rail depot splits its weight as it votes, the
    clerks leave theirs free. At the congress the mandated votes are derived, the clerks' free
    delegate casts, the secretary decides the item and closes the congress."""
    elena, gil = union["Elena"], union["Gil"]
    fund = {"title": "A strike fund", "text": "Each section pays in.", "matter": "strike-fund"}
    motion = ok(elena.call("POST", "/bodies/transport/motions", fund))["id"]
    ok(elena.call("POST", f"/motions/{motion}/submit"), 200)
    starts = clock.now + timedelta(days=30)
    scheduled = {"title": "First congress", "starts_at": starts.isoformat()}
    path = f"/sessions/{ok(gil.call('POST', '/bodies/transport/sessions', scheduled))['id']}"
    item = ok(gil.call("POST", f"{path}/items", {"motion": motion}))["id"]
    sent = ok(gil.call("POST", f"{path}/agenda"), 200)
    assert sent["agenda_sent_at"] <= sent["agenda_deadline"]

    mandates = {}
    for slug, proposer, kind in (
        ("docks", "Carlos", "bound"),
        ("rail", "Fran", "proportional"),
        ("clerks", "Juan", "free"),
    ):
        asked = {"body": slug, "mandate": kind}
        mandate = ok(union[proposer].call("POST", f"/items/{item}/mandate-motions", asked))["id"]
        ok(union[proposer].call("POST", f"/motions/{mandate}/submit"), 200)
        mandates[slug] = mandate
    three_to_one = ["yes", "yes", "yes", "no"]
    decide(
        clock,
        [
            (
                union[OFFICERS[slug][1]],
                mandates[slug],
                dict(zip(union.founders(slug), three_to_one, strict=True)),
            )
            for slug in ASSEMBLIES
        ],
    )

    clock.now = starts
    opened = ok(gil.call("POST", f"{path}/open"), 200)
    ((table, vote),) = [(i["mandates"], i["vote"]) for i in opened["items"]]
    assert {row["member_body"]: row["votes"] for row in table} == {
        "docks": {"yes": 7},  # bound: all its seven members' weight
        "rail": {"yes": 3, "no": 1, "abstain": 0},
        "clerks": None,  # free: its delegate casts
    }
    ok(union["Ines"].call("POST", f"/votes/{vote}/ballots", {"ranking": [["yes"]]}))
    decided = ok(gil.call("POST", f"/items/{item}/decision"))
    assert (decided["outcome"], decided["provisional"]) == ("carried", False)
    assert ok(gil.call("POST", f"{path}/close"), 200)["closed_at"] is not None


def recall_the_delegate(union: Union, clock: Clock, seat: dict[str, Any]) -> None:
    """Ana stops reporting back. Berta opens a recall petition, stating why, and signs it by
    opening it; Carlos's signature reaches a quarter of the docks and the recall vote opens by
    itself; a second petition on the same term is refused meanwhile. The docks recall her, and
    Dora, the substitute her election ranked, takes the seat."""
    berta, carlos = union["Berta"], union["Carlos"]
    recall = {"kind": "recall", "term": seat["id"], "reason": "No report from the congress."}
    petition = ok(berta.call("POST", "/bodies/docks/petitions", recall))
    assert (petition["signatures"], petition["required"], petition["opened_by"]) == (
        1,
        2,
        union.ids["Berta"],
    )
    reached = ok(carlos.call("POST", f"/petitions/{petition['id']}/signatures"))
    assert reached["opened_motion"] is not None
    again = union["Dora"].call("POST", "/bodies/docks/petitions", recall)
    assert again.status_code == 409, again.json()
    (vote,) = ok(berta.call("GET", f"/motions/{reached['opened_motion']}"), 200)["votes"]
    for voter, choice in (("Berta", "yes"), ("Carlos", "yes"), ("Dora", "yes"), ("Ana", "no")):
        ok(union[voter].call("POST", f"/votes/{vote}/ballots", {"ranking": [[choice]]}))
    clock.now = datetime.fromisoformat(ok(berta.call("GET", f"/votes/{vote}"), 200)["closes_at"])
    scheduler(clock.now)
    (sits,) = ok(berta.call("GET", "/bodies/docks"), 200)["delegates"]
    assert (sits["council"], sits["holder"]) == ("transport", union.ids["Dora"])


def ask_a_referendum(union: Union, clock: Clock) -> None:
    """Hugo asks every member under the council whether to join the general strike; Kira's and
    Luis's signatures reach a fifth of them and the referendum opens by itself. Members vote;
    once it has closed, a member asks for the count, and each body's result is rolled up."""
    hugo = union["Hugo"]
    ask = {"kind": "referendum", "question": "Join the general strike?", "reason": "Wages."}
    asked = ok(hugo.call("POST", "/bodies/transport/petitions", ask))
    assert (asked["signatures"], asked["required"]) == (1, 3)  # a fifth of fifteen
    for signer in ("Kira", "Luis"):
        signed = ok(union[signer].call("POST", f"/petitions/{asked['id']}/signatures"))
    referendum = f"/referendums/{signed['opened_referendum']}"
    opened = ok(hugo.call("GET", referendum), 200)
    assert (opened["electorate"], opened["from_below"], opened["result"]) == (15, True, None)
    for voter in ("Ana", "Berta", "Carlos", "Elena", "Fran", "Ines", "Juan", "Kira"):
        ok(union[voter].call("POST", f"{referendum}/ballots", {"option": "yes"}))
    for voter in ("Gil", "Luis"):
        ok(union[voter].call("POST", f"{referendum}/ballots", {"option": "no"}))
    clock.now = datetime.fromisoformat(opened["closes_at"])
    counted = ok(hugo.call("POST", f"{referendum}/count"))["result"]
    assert (counted["turnout"], counted["outcome"]) == (10, "carried")
    assert counted["by_body"] == {
        "docks": {"yes": 3, "no": 0, "abstain": 0, "electorate": 7},
        "rail": {"yes": 2, "no": 1, "abstain": 0, "electorate": 4},
        "clerks": {"yes": 3, "no": 1, "abstain": 0, "electorate": 4},
        "transport": {"yes": 8, "no": 2, "abstain": 0, "electorate": 15},
    }
    assert ok(union["Luis"].call("GET", referendum), 200)["result"] == counted


def test_a_union_from_nothing_to_its_first_congress_through_the_api(
    clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    signing_each_entry(monkeypatch, tmp_path)
    assert not Body.objects.exists()
    assert not Member.objects.exists()
    union = Union()
    assert all(not ok(c.call("GET", "/me"), 200)["bodies"] for c in union.clients.values())

    found_the_assemblies(union, clock)
    import_the_roll(union, clock)
    found_the_council(union, clock)
    seats = elect_the_delegates(union, clock)
    form_a_tendency(union)
    elect_the_secretary(union, clock)
    hold_the_congress(union, clock)
    recall_the_delegate(union, clock, seats["docks"])
    ask_a_referendum(union, clock)

    # The record of it all, exported and verified by the commands an auditor runs.
    export = str(tmp_path / "export")
    assert main(["record", "export", export]) == 0
    assert main(["record", "verify", export]) == 0
    verified = capsys.readouterr().out
    assert "the record holds" in verified
    assert "1 council items: 3 delegation votes" in verified
    assert "1 council elections recounted" in verified
