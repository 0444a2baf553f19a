"""Issue 12's story from nothing, walked in a real browser on an empty database: twelve people
found three union sections, each electing its membership officer and secretary; an officer imports
a roll; the sections found a federation and elect their delegates; a tendency forms and publishes a
statement; the federation's delegates meet to elect its secretary, who calls its first congress,
where mandates decided below are cast; members recall a delegate by petition and the substitute
sits; members petition a referendum, which opens by itself and is rolled up the federation. At the
end the record is exported and verified.

Each person acts in their own browser, signed in once; nothing is made by a seeder or a service
call. The scheduler's runs (`frombelow notify`: invitations, motions and elections due, votes
counted at their close) are its functions called as it would call them, once the clock has moved.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from frombelow.cli.main import main
from frombelow.db.models import Body, Decision, Election, Motion, Referendum, Session, Term, Vote
from frombelow.services import deciding, digest, elections, invites, notices
from frombelow.services.standing import DELEGATE, MEMBERSHIP_OFFICER, SECRETARY
from tests.browser.conftest import DESKTOP, ENGLISH_DESKTOP, check_pages, see, visited
from tests.services.world import Clock

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "an injury to one 1905"
FEDERATION = ("North Side Workers' Federation", "north-side")
TENDENCY = "Rank and File"


@dataclass(frozen=True)
class Section:
    """A union section to found: its name and short name, and its four founders, convenor first;
    the second is elected its membership officer, the third its secretary, the fourth its
    delegate to the federation."""

    name: str
    slug: str
    founders: tuple[str, str, str, str]

    @property
    def officer(self) -> str:
        return self.founders[1]

    @property
    def secretary(self) -> str:
        return self.founders[2]

    @property
    def delegate(self) -> str:
        return self.founders[3]


DEPOT = Section(
    "Bus drivers of North Depot",
    "north-depot",
    ("Ana Ruiz", "Berta Sol", "Carlos Mar", "Diego Paz"),
)
HOSPITAL = Section(
    "Cleaners of the General Hospital",
    "general-hospital",
    ("Elena Gil", "Fermín Roca", "Gloria Vega", "Hugo León"),
)
WAREHOUSE = Section(
    "Pickers of the Port Warehouse",
    "port-warehouse",
    ("Inés Moro", "Jaime Cano", "Karen Ortiz", "Luis Prieto"),
)
SECTIONS = (DEPOT, HOSPITAL, WAREHOUSE)
# The roll North Depot's membership officer imports: seven more drivers, the depot's eleven then
# large enough that a recall needs two signatures (the statute's tenth, rounded up).
ROLL = (
    "name,email,member number\n"
    "Marta Núñez,marta@example.org,D-105\n"
    "Nicolás Ferrer,nicolas@example.org,D-106\n"
    "Olga Ibáñez,,D-107\n"
    "Pedro Salas,,D-108\n"
    "Quima Roig,,D-109\n"
    "Rafael Soto,,D-110\n"
    "Sara Lago,,D-111\n"
)


def email_of(name: str) -> str:
    """Return the person's address: their first name, unaccented, at example.org."""
    first = unicodedata.normalize("NFKD", name.split()[0]).encode("ascii", "ignore").decode()
    return f"{first.lower()}@example.org"


@dataclass
class Crowd:
    """Each person's own browser, signed in once and kept: no one borrows another's session.

    Like the `page` fixture, each tab fails the story on a refused script or style, and every
    page `see` noted in it is checked by axe-core at the end.
    """

    browser: Any
    served: str
    tabs: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # The `page` fixture's tab, which that fixture closes and checks itself.
    lent: set[str] = field(default_factory=set)

    def adopt(self, name: str, tab: Any) -> None:
        """Give the person the `page` fixture's tab."""
        self.tabs[name] = tab
        self.lent.add(name)

    def open(self, name: str) -> Any:
        """Open a new browser for the person."""
        context = self.browser.new_context(viewport=DESKTOP, base_url=self.served, locale="en-GB")
        tab = context.new_page()
        tab.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.tabs[name] = tab
        return tab

    def __getitem__(self, name: str) -> Any:
        return self.tabs[name]

    def close(self) -> None:
        """Close every browser, then check every page they were seen on for accessibility."""
        states = []
        for name, tab in self.tabs.items():
            if name in self.lent:
                continue
            states.append((tab.context.storage_state(), visited(tab)))
            tab.context.close()
        assert self.problems == [], self.problems
        for state, seen in states:
            if seen:
                check_pages(self.browser, self.served, ENGLISH_DESKTOP, state, seen)


@pytest.fixture
def crowd(browser: Any, served: str) -> Iterator[Crowd]:
    people = Crowd(browser, served)
    yield people
    people.close()


def scheduler(clock: Clock) -> None:
    """Run what `frombelow notify` runs each minute, in its order."""
    deciding.close_due_votes(clock.now)
    deciding.open_due_motions(clock.now)
    elections.open_due_elections(clock.now)
    invites.send_due_invitations()
    notices.send_closing_notices()
    notices.send_due_notices()
    digest.send_digests()


def path_in(body: str, pattern: str) -> str:
    """Return the first link's path in an e-mail's body that matches `pattern`."""
    match = re.search(rf"https?://[^/\s]+({pattern})", body)
    assert match is not None, body
    return match.group(1)


def mail_to(name: str) -> str:
    """Return the body of the latest e-mail sent to the person."""
    sent = [m for m in mail.outbox if m.to == [email_of(name)]]
    assert sent, name
    return str(sent[-1].body)


def status(tab: Any, text: str) -> None:
    """Wait for the page's message to say `text`."""
    expect(tab.get_by_role("status")).to_contain_text(text)


def set_password(tab: Any, button: str) -> None:
    """Choose the password twice on an invitation's or a sign-up's page, and send it."""
    tab.get_by_label("New password").fill(PASSWORD)
    tab.get_by_label("The same password again").fill(PASSWORD)
    tab.get_by_role("button", name=button).click()


def sign_up(tab: Any, name: str) -> None:
    """Make an account by confirming one's address, as the installation's open sign-up allows."""
    tab.goto("/")
    tab.get_by_role("link", name="Make an account").click()
    tab.get_by_label("Your name").fill(name)
    tab.get_by_label("Your e-mail address").fill(email_of(name))
    tab.get_by_role("button", name="Send me the link").click()
    status(tab, "We sent a link to the address you gave.")
    tab.goto(path_in(mail_to(name), r"/accounts/sign-up/[^/\s]+/"))
    set_password(tab, "Make my account and sign in")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Found or join an assembly")


def convene(tab: Any, section: Section, *, shown: bool = False) -> None:
    """Convene the section's founding from the union section's template, all four founding it."""
    tab.get_by_role("link", name="Convene the founding of an assembly").click()
    tab.get_by_label("Union section").check()
    tab.get_by_role("button", name="Fill the rules from this template").click()
    tab.get_by_label("Name of the assembly").fill(section.name)
    tab.get_by_label("Short name, for its address").fill(section.slug)
    tab.get_by_label("Founders needed, you among them").fill("4")
    # Its officers and its delegate are elected by STV (one seat: with substitutes in order).
    tab.get_by_label("How one seat is elected").select_option(
        label="single transferable vote (Scottish rules)"
    )
    tab.get_by_label("The founders to invite, one a line").fill(
        "\n".join(f"{n} <{email_of(n)}>" for n in section.founders[1:])
    )
    if shown:
        see(tab, "nothing-convene")
    tab.get_by_role("button", name="Convene the founding", exact=True).click()
    status(tab, "The founding is convened")


def accept_invitation(crowd: Crowd, name: str) -> Any:
    """Set one's password from the invitation, in one's own browser, and accept to found."""
    tab = crowd.open(name)
    body = mail_to(name)
    tab.goto(path_in(body, r"/accounts/invitation/[^/\s]+/[^/\s]+/"))
    set_password(tab, "Set my password and sign in")
    expect(tab.get_by_role("heading", level=1)).to_contain_text(name)
    tab.goto(path_in(body, r"/foundings/\d+/"))
    tab.get_by_role("button", name="Accept to found it").click()
    status(tab, "You have accepted to found it.")
    return tab


def stand(tab: Any, election: Election, *, tendency: str = "", statement: str = "") -> None:
    """Stand in the election from its page."""
    tab.goto(f"/elections/{election.pk}/")
    if statement:
        tab.get_by_label("Your statement to the electors (optional)").fill(statement)
    if tendency:
        tab.get_by_label("Stand for a tendency (optional)").select_option(label=tendency)
    tab.get_by_role("button", name="Stand", exact=True).click()
    status(tab, "You stand in this election.")


def rank(tab: Any, election: Election, *names: str) -> None:
    """Number the candidates in one's order of preference and cast the ballot."""
    tab.goto(f"/elections/{election.pk}/")
    for place, name in enumerate(names, start=1):
        tab.get_by_role("spinbutton", name=name).fill(str(place))
    tab.get_by_role("button", name="Cast my ballot").click()
    status(tab, "Your ballot is cast")


def submit(tab: Any) -> None:
    """Submit for debate the motion whose page is open."""
    tab.get_by_role("button", name="Submit for debate").click()
    status(tab, "The motion is submitted for debate.")


def vote(tab: Any, motion: Motion, choice: str) -> None:
    """Cast `choice` on the motion's page."""
    tab.goto(f"/motions/{motion.pk}/")
    # By role: the form to change a secret ballot, folded away, has its own choices.
    tab.get_by_role("radio", name=choice, exact=True).check()
    tab.get_by_role("button", name="Cast my ballot").click()
    status(tab, "Your ballot is cast.")


def counted(clock: Clock, *votes: Vote) -> None:
    """Let the clock pass the votes' end: the scheduler counts them."""
    clock.now = max(v.closes_at for v in votes if v.closes_at) + timedelta(minutes=1)
    scheduler(clock)
    for one in votes:
        assert Decision.objects.filter(vote=one).exists(), one.question


def motion_vote(motion: Motion) -> Vote:
    """Return the vote the motion is open in."""
    return Vote.objects.get(motion=motion, amendment__isnull=True)


def test_twelve_people_found_a_union_from_nothing_to_its_first_congress(
    page: Any,
    crowd: Crowd,
    clock: Clock,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.FROMBELOW_OPEN_SIGN_UP = True
    assert not Body.objects.exists()  # nothing at all: no body, no member, no seeder

    # 1. Each convenor makes an account and convenes the founding of a union section, inviting
    # three workmates; `frombelow notify` sends the invitations; each sets a password from hers
    # and accepts by her own act. The fourth acceptance founds the section.
    crowd.adopt(DEPOT.founders[0], page)
    for section in SECTIONS:
        convenor = section.founders[0]
        tab = crowd.tabs.get(convenor) or crowd.open(convenor)
        sign_up(tab, convenor)
        convene(tab, section, shown=section is DEPOT)
    scheduler(clock)
    for section in SECTIONS:
        for name in section.founders[1:]:
            accept_invitation(crowd, name)
        assert Body.objects.filter(slug=section.slug).exists()

    # Nobody is appointed: the elections of the first officers are called as each section is
    # founded; founders stand, the nominations close and the votes open by themselves, and the
    # founders elect their membership officer and secretary (a fifth of four is one ballot).
    first = [
        (Election.objects.get(body__slug=section.slug, office=office), name)
        for section in SECTIONS
        for office, name in ((MEMBERSHIP_OFFICER, section.officer), (SECRETARY, section.secretary))
    ]
    for election, name in first:
        stand(crowd[name], election)
    clock.advance(days=14, minutes=1)
    scheduler(clock)
    for election, name in first:
        rank(crowd[name], election, name)
    for election, _ in first:
        election.refresh_from_db()
    counted(clock, *(e.vote for e, _ in first if e.vote is not None))
    carlos = crowd[DEPOT.secretary]
    carlos.goto(f"/bodies/{DEPOT.slug}/")
    officers = carlos.get_by_role("region", name="Delegates and officers")
    expect(officers).to_contain_text(f"{DEPOT.officer} · membership officer")
    expect(officers).to_contain_text(f"{DEPOT.secretary} · secretary")
    expect(officers).not_to_contain_text(DEPOT.founders[0])
    see(carlos, "nothing-founded")

    # 2. North Depot's membership officer imports the depot's roll: a preview, then one act.
    berta = crowd[DEPOT.officer]
    berta.goto(f"/bodies/{DEPOT.slug}/")
    berta.get_by_role("link", name="The membership roll").click()
    berta.get_by_label("Roll file (CSV, UTF-8)").set_input_files(
        {"name": "depot.csv", "mimeType": "text/csv", "buffer": ROLL.encode()}
    )
    berta.get_by_role("button", name="Preview the import").click()
    expect(berta.get_by_role("status")).to_contain_text("7 people will be admitted.")
    see(berta, "nothing-roll-preview", posted=True)
    berta.get_by_role("button", name="Admit 7 people").click()
    status(berta, "7 members admitted.")
    expect(berta.get_by_role("main")).to_contain_text("11 members on the roll.")

    # 3. North Depot proposes founding the federation with the other two; each section proposes
    # the same motion to itself and decides it by its own vote.
    ana = crowd[DEPOT.founders[0]]
    ana.goto(f"/bodies/{DEPOT.slug}/")
    ana.get_by_text("Propose founding a council").click()
    ana.get_by_label("Name of the council").fill(FEDERATION[0])
    ana.get_by_label("Short name, for its address").fill(FEDERATION[1])
    for section in (HOSPITAL, WAREHOUSE):
        ana.get_by_label(section.name).check()
    ana.get_by_role("button", name="Propose the founding").click()
    status(ana, "The founding is proposed")
    founding_page = ana.url
    ana.get_by_role("link", name="its motion").click()
    submit(ana)
    for section in (HOSPITAL, WAREHOUSE):
        tab = crowd[section.founders[0]]
        tab.goto(f"/bodies/{section.slug}/")
        tab.get_by_role("region", name="Councils being founded").get_by_role(
            "link", name=FEDERATION[0]
        ).click()
        tab.get_by_role("button", name=f"Propose it in {section.name}").click()
        status(tab, "The founding is proposed to your body")
        tab.get_by_role("listitem").filter(has_text=section.name).get_by_role(
            "link", name="its motion"
        ).click()
        submit(tab)
    foundings = list(Motion.objects.filter(kind=Motion.Kind.FOUND_COUNCIL))
    assert len(foundings) == 3
    # No secretary puts them: they open by themselves at the statute's deadline.
    clock.advance(days=14, minutes=1)
    scheduler(clock)
    # A fifth of each section votes at least: three of North Depot's eleven.
    voters = {DEPOT.slug: DEPOT.founders[:3], HOSPITAL.slug: HOSPITAL.founders[:1]}
    voters[WAREHOUSE.slug] = WAREHOUSE.founders[:1]
    for motion in foundings:
        for name in voters[motion.body.slug]:
            vote(crowd[name], motion, "yes")
    counted(clock, *(motion_vote(m) for m in foundings))
    federation = Body.objects.get(slug=FEDERATION[1], kind=Body.Kind.COUNCIL)
    ana.goto(founding_page)
    expect(ana.get_by_role("main")).to_contain_text("founded")
    carried = ana.get_by_role("region", name="Founding bodies").locator(".badge.carried")
    expect(carried).to_have_count(3)
    see(ana, "nothing-federation-founded")

    # Each section's delegation falls due as the federation is founded, and the scheduler calls
    # the elections; their nominations close and their votes open by themselves. North Depot's
    # two candidates are ranked, counted by STV as its statute says; the one not elected is the
    # substitute.
    delegations = {
        s.slug: Election.objects.get(body__slug=s.slug, office=DELEGATE, council=federation)
        for s in SECTIONS
    }
    diego = crowd[DEPOT.delegate]
    diego.goto(f"/bodies/{DEPOT.slug}/")
    elections_box = diego.get_by_role("region", name="Elections")
    expect(elections_box).to_contain_text("taking candidacies")
    stand(diego, delegations[DEPOT.slug], statement="Every mandate reported back within a week.")
    stand(ana, delegations[DEPOT.slug])
    for section in (HOSPITAL, WAREHOUSE):
        stand(crowd[section.delegate], delegations[section.slug])
    clock.advance(days=14, minutes=1)
    scheduler(clock)
    rank(ana, delegations[DEPOT.slug], DEPOT.founders[0], DEPOT.delegate)
    for name in (DEPOT.officer, DEPOT.secretary):
        rank(crowd[name], delegations[DEPOT.slug], DEPOT.delegate, DEPOT.founders[0])
    for section in (HOSPITAL, WAREHOUSE):
        rank(crowd[section.delegate], delegations[section.slug], section.delegate)
    for election in delegations.values():
        election.refresh_from_db()
    counted(clock, *(e.vote for e in delegations.values() if e.vote is not None))
    diego.goto(f"/elections/{delegations[DEPOT.slug].pk}/")
    result = diego.get_by_role("region", name="Result")
    expect(result).to_contain_text(f"Elected: {DEPOT.delegate}")
    expect(result).to_contain_text(f"Substitutes, in order: {DEPOT.founders[0]}")
    expect(diego.get_by_role("main")).to_contain_text("single transferable vote (Scottish rules)")
    see(diego, "nothing-delegation-elected")

    # 4. A tendency forms across the sections and publishes a statement to the federation.
    elena = crowd[HOSPITAL.founders[0]]
    elena.goto("/tendencies/")
    elena.get_by_label("Its name").fill(TENDENCY)
    elena.get_by_role("button", name="Found the tendency").click()
    status(elena, "The tendency is founded; you adhere to it.")
    ines = crowd[WAREHOUSE.founders[0]]
    ines.goto("/tendencies/")
    ines.get_by_role("link", name=TENDENCY).click()
    ines.get_by_role("button", name="Join this tendency").click()
    status(ines, "You adhere to this tendency.")
    elena.reload()
    elena.get_by_text("Publish a statement").click()
    elena.get_by_label("To the body").select_option(label=FEDERATION[0])
    elena.get_by_label("Title").fill("One federation, one strike fund")
    elena.get_by_label("Text").fill("Every section pays in, every section draws on it.")
    elena.get_by_role("button", name="Publish the statement").click()
    status(elena, "The statement is published.")
    elena.goto(f"/bodies/{FEDERATION[1]}/")
    statements = elena.get_by_role("region", name="Tendencies' statements")
    expect(statements).to_contain_text("One federation, one strike fund")
    see(elena, "nothing-statement")

    # 5. With no secretary yet, the delegates meet to elect one: Hugo calls the election and the
    # meeting; Elena stands for her tendency; each delegation casts in the session.
    hugo = crowd[HOSPITAL.delegate]
    hugo.goto(f"/bodies/{FEDERATION[1]}/")
    hugo.get_by_text("Call an election").click()
    hugo.get_by_label("Office (for example secretary, treasurer, delegate)").fill(SECRETARY)
    hugo.get_by_role("button", name="Call the election").click()
    status(hugo, "The election is called.")
    secretary_election = Election.objects.get(body=federation, office=SECRETARY)
    stand(elena, secretary_election, tendency=TENDENCY, statement="Agendas down on time, always.")
    hugo.goto(f"/bodies/{FEDERATION[1]}/")
    hugo.get_by_text("Schedule a session").click()
    hugo.get_by_label("Title of the session").fill("Founding meeting")
    meets = clock.now + timedelta(days=2)
    hugo.get_by_label("Starts at").fill(meets.strftime("%Y-%m-%dT%H:%M"))
    hugo.get_by_role("button", name="Schedule the session").click()
    status(hugo, "The session is scheduled.")
    meeting = hugo.url
    clock.now = meets
    hugo.reload()
    hugo.get_by_role("button", name="Open the session").click()
    status(hugo, "The session is open")
    hugo.get_by_label("An election of the council taking candidacies").select_option(
        label="secretary"
    )
    hugo.get_by_role("button", name="Put the election to the vote").click()
    status(hugo, "The election is put to the session")
    for section in SECTIONS:
        delegate = crowd[section.delegate]
        delegate.goto(meeting)
        delegate.get_by_label(HOSPITAL.founders[0], exact=True).check()
        delegate.get_by_role("button", name="Cast for my delegation").click()
        status(delegate, "Your delegation's vote is cast.")
    hugo.reload()
    hugo.get_by_role("button", name="Decide the election").click()
    status(hugo, "The election is decided.")
    expect(hugo.get_by_role("main")).to_contain_text(f"Elected: {HOSPITAL.founders[0]}")
    see(hugo, "nothing-secretary-elected")
    # Elected, the secretary closes the meeting: a delegate's meeting acts end with the vacancy.
    elena.goto(meeting)
    elena.get_by_role("button", name="Close the session").click()
    status(elena, "The session is closed.")

    # The federation's first congress: a delegate's motion; the secretary schedules the
    # congress, puts the motion on its agenda and sends it down by the deadline.
    hugo.goto(f"/bodies/{FEDERATION[1]}/")
    hugo.get_by_text("Propose a motion").click()
    hugo.get_by_label("Title", exact=True).fill("A common strike fund")
    hugo.get_by_label("Text", exact=True).fill("Each section pays a tenth of its dues into it.")
    hugo.get_by_role("button", name="Propose the draft").click()
    status(hugo, "Your motion is proposed.")
    submit(hugo)
    fund = Motion.objects.get(title="A common strike fund")
    elena.goto(f"/bodies/{FEDERATION[1]}/")
    elena.get_by_text("Schedule a session").click()
    elena.get_by_label("Title of the session").fill("First congress")
    starts = clock.now + timedelta(days=20)
    elena.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    elena.get_by_role("button", name="Schedule the session").click()
    status(elena, "The session is scheduled.")
    congress = Session.objects.get(title="First congress")
    elena.get_by_label("A submitted motion of the council").select_option(label=fund.title)
    elena.get_by_role("button", name="Put it on the agenda").click()
    status(elena, "The motion is on the agenda.")
    elena.get_by_role("button", name="Send the agenda down").click()
    status(elena, "The agenda is sent down")

    # Each section decides its delegation's mandate by its own vote: North Depot binds it, the
    # hospital splits its weight as it votes, the warehouse leaves it to its delegate.
    mandates = {}
    for section, kind in ((DEPOT, "bound"), (HOSPITAL, "proportional"), (WAREHOUSE, "free")):
        tab = crowd[section.secretary]
        tab.goto(f"/sessions/{congress.pk}/")
        tab.get_by_text("Propose your body's mandate on this item").click()
        tab.get_by_label(re.compile(f"^{kind}:")).check()
        tab.get_by_role("button", name="Propose the mandate").click()
        status(tab, "The mandate is proposed")
        submit(tab)
        mandates[section.slug] = Motion.objects.get(
            kind=Motion.Kind.DECIDE_MANDATE, body__slug=section.slug
        )
    clock.advance(days=14, minutes=1)
    scheduler(clock)
    ballots = {
        DEPOT.slug: [(n, "yes") for n in DEPOT.founders[:3]],
        HOSPITAL.slug: [(HOSPITAL.secretary, "yes"), (HOSPITAL.officer, "no")],
        WAREHOUSE.slug: [(WAREHOUSE.secretary, "yes")],
    }
    for slug, cast in ballots.items():
        for name, choice in cast:
            vote(crowd[name], mandates[slug], choice)
    counted(clock, *(motion_vote(m) for m in mandates.values()))
    assert clock.now < starts

    # The congress opens: the bound and proportional votes are derived; the warehouse's delegate
    # casts; the secretary decides the item and closes the congress.
    clock.now = starts
    elena.goto(f"/sessions/{congress.pk}/")
    elena.get_by_role("button", name="Open the session").click()
    status(elena, "The session is open; the mandated votes are derived.")
    luis = crowd[WAREHOUSE.delegate]
    luis.goto(f"/sessions/{congress.pk}/")
    luis.get_by_label("yes", exact=True).check()
    luis.get_by_role("button", name="Cast for my delegation").click()
    status(luis, "Your delegation's vote is cast.")
    elena.reload()
    elena.get_by_role("button", name="Decide the item").click()
    status(elena, "The item is decided.")
    table = elena.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile(DEPOT.name))).to_contain_text("Bound")
    expect(table.get_by_role("row", name=re.compile(HOSPITAL.name))).to_contain_text("yes 2, no 2")
    expect(table.get_by_role("row", name=re.compile(WAREHOUSE.name))).to_contain_text("yes 4")
    see(elena, "nothing-congress-decided")
    elena.get_by_role("button", name="Close the session").click()
    status(elena, "The session is closed.")
    decision = Decision.objects.get(vote__item__motion=fund)
    assert decision.outcome == Decision.Outcome.CARRIED

    # 6. North Depot's members petition to recall their delegate, with their reason; the second
    # signature reaches the threshold and opens the recall vote by itself.
    berta.goto(f"/bodies/{DEPOT.slug}/")
    berta.get_by_role("link", name=f"Petition to recall {DEPOT.delegate}").click()
    berta.get_by_label("Why should they be recalled?").fill(
        "He has not reported back to the depot on the congress."
    )
    berta.get_by_role("button", name="Open the petition and sign it").click()
    status(berta, "The petition is open, with your signature.")
    expect(berta.get_by_role("main")).to_contain_text("1 of 2 signatures needed")
    petition = berta.url
    carlos.goto(petition)
    carlos.get_by_role("button", name="Sign the petition").click()
    status(carlos, "Your signature is counted.")
    expect(carlos.get_by_role("main")).to_contain_text("threshold reached")
    see(carlos, "nothing-recall-petition")
    carlos.get_by_role("link", name=f"Recall {DEPOT.delegate}").click()
    recall = Motion.objects.get(kind=Motion.Kind.RECALL)
    for name in DEPOT.founders[:3]:
        vote(crowd[name], recall, "yes")
    counted(clock, motion_vote(recall))
    ana.goto(f"/bodies/{DEPOT.slug}/")
    officers = ana.get_by_role("region", name="Delegates and officers")
    expect(officers).to_contain_text(f"{DEPOT.founders[0]} · delegate → {FEDERATION[0]}")
    expect(officers).to_contain_text("substitute")
    expect(officers).not_to_contain_text(DEPOT.delegate)
    see(ana, "nothing-substitute-sits")
    seated = Term.objects.get(body__slug=DEPOT.slug, office=DELEGATE, substitute_for__isnull=False)
    assert seated.holder.name == DEPOT.founders[0]

    # 7. Members across the federation petition a referendum: the second signature opens it;
    # members vote, it is counted at its close and its result rolled up the federation.
    fermin = crowd[HOSPITAL.officer]
    fermin.goto(f"/bodies/{FEDERATION[1]}/")
    fermin.get_by_role("link", name="All petitions, and how to open one").click()
    question = "Shall the federation call a one-day strike on 1 May?"
    fermin.get_by_label("The question every member under this council is asked").fill(question)
    fermin.get_by_role("button", name="Open the petition and sign it").click()
    status(fermin, "The petition is open, with your signature.")
    jaime = crowd[WAREHOUSE.officer]
    jaime.goto(fermin.url)
    jaime.get_by_role("button", name="Sign the petition").click()
    status(jaime, "Your signature is counted.")
    jaime.get_by_role("link", name=question).click()  # what the petition opened, by itself
    expect(jaime.get_by_role("heading", level=1)).to_have_text(question)
    referendum = Referendum.objects.get(question=question)
    for name, choice in (
        (HOSPITAL.officer, "yes"),
        (WAREHOUSE.secretary, "no"),
        (DEPOT.founders[0], "yes"),
    ):
        tab = crowd[name]
        tab.goto(f"/referendums/{referendum.pk}/")
        tab.get_by_label(choice, exact=True).check()
        tab.get_by_role("button", name="Cast my ballot").click()
        status(tab, "Your ballot is cast.")
    clock.now = referendum.closes_at + timedelta(minutes=1)
    fermin.goto(f"/referendums/{referendum.pk}/")
    fermin.get_by_role("button", name="Count the referendum").click()
    status(fermin, "The referendum is counted.")
    rolled = fermin.get_by_role("region", name="Result, rolled up the federation")
    expect(rolled).to_contain_text("carried")
    for section in SECTIONS:
        expect(rolled).to_contain_text(section.name)
    see(fermin, "nothing-referendum")

    # 8. The record of it all is exported, and verified from the export alone.
    out = tmp_path / "record"
    capsys.readouterr()
    assert main(["record", "export", str(out)]) == 0
    assert main(["record", "verify", str(out)]) == 0
    said = capsys.readouterr().out
    assert "1 council elections recounted" in said  # the secretary's, from the delegates' casts
    assert "1 council items: 3 delegation votes" in said
    assert said.endswith("the record holds\n")
