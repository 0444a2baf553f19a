"""The demo federation: a confederation's first year, acted out through the services.

Every act of the demo (admissions, elections, foundings, sessions, mandates, petitions, ballots)
goes through the same service a real member's act would, so the record holds the demo's history
exactly as it would hold a real one. Nothing here writes a governed row by hand; only the demo's
three login accounts are made here, since accounts are not acts of self-government.

Dates: the history is replayed on a clock of its own that starts `HISTORY_DAYS` before midnight
(UTC) of the day the demo is seeded and only moves forward, each chapter set so many days before
that day; so seeding twice on one day gives the same dates, and on any day it is seeded each login
has work open that day and for the days after it. The first section's secretary's term ends 20
days after it, and the election of their successor, called by itself when it fell due, takes
candidacies for 12 more days; of the section's two latest motions the secretary put one to the
vote the day before (open for six more days) and the other waits for them, its notice passed; the
regional federation's session opened the day before, every mandate decided, one delegate's cast
still due; a petition to the region is some signatures short; and the referendum that the
confederation's petition opened ten days before stays open for eleven more. Every other term runs
for most of a year. Names and sizes come from a `random.Random` seeded with `seed`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from frombelow.core.statutes import PetitionThreshold, Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import (
    Body,
    Decision,
    Election,
    Item,
    Member,
    Motion,
    Referendum,
    Session,
    Tendency,
    Vote,
)
from frombelow.services import (
    bodies,
    clock,
    deciding,
    decisions,
    elections,
    motions,
    petitions,
    referendums,
    sessions,
    tendencies,
    votes,
)
from frombelow.services.queries.bodies import member_bodies_at
from frombelow.services.queries.terms import terms_held_by
from frombelow.services.record import append_entry, one_checkpoint
from frombelow.services.standing import DELEGATE, MEMBERSHIP_OFFICER, SECRETARY, office_words

CONFEDERATION = "confederation"  # the demo's top council; its presence means the demo is there
DEMO_PASSWORD = "frombelow-demo"  # documented: the three demo logins share it
LOGINS = ("member", "delegate", "officer")
# The history starts this many days before the day of seeding (at midnight, UTC), and its
# chapters begin so many days before that day: the first section's secretary, elected in its
# first week, holds office until 20 days after it.
HISTORY_DAYS = 352
FEDERATING_DAYS = 100  # the sections found tendencies, elect their officers and federate
AGENDA_DAYS = 20  # the regional session's agenda goes down to its member bodies
PETITION_DAYS = 10  # the referendum's petition opens
ELECTION_DAYS = 9  # the first section's secretary election falls due and is called
SECTION_DAYS = 4  # the first section's last two motions are submitted, a day apart
SESSION_DAYS = 14  # the regional session's votes stay open this long after that day
FULL_MEMBERS = 5000
FULL_SECTIONS = 40

FIRST_NAMES = (
    "Ada", "Amir", "Ana", "Bea", "Bruno", "Chen", "Clara", "Dario", "Dina", "Emil", "Esra",
    "Farah", "Felix", "Greta", "Hugo", "Ines", "Ivan", "Jana", "Jonas", "Kemal", "Lena", "Luis",
    "Maja", "Marek", "Nadia", "Nils", "Olga", "Omar", "Paula", "Rosa", "Sami", "Sofia", "Tariq",
    "Teresa", "Uma", "Vera", "Wim", "Yara", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Berg", "Costa", "Demir", "Esposito", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi",
    "Santos", "Tanaka", "Urban", "Varga", "Weber", "Xu", "Yilmaz", "Zielinski",
)  # fmt: skip
REGIONS = ("North", "South", "East", "West")
INDUSTRIES = ("Transport", "Health", "Education", "Manufacturing")
NEIGHBOURHOODS = ("Old Town", "Riverside", "Hillside", "Harbour")
TENDENCIES = (
    ("Rank and File", "rank-and-file", "Every decision from the sections, none from the top."),
    ("Green Unionism", "green-unionism", "No just transition without the workers who make it."),
    ("Syndicalist Current", "syndicalist", "The union is the seed of the society to come."),
)


class DemoError(RuntimeError):
    """The database holds part of a demo, or something that is not the demo, where it goes."""


@dataclass(frozen=True)
class DemoReport:
    """What seeding did: whether it made the demo, and the logins to try it with."""

    created: bool
    members: int
    bodies: int
    logins: Mapping[str, str] = field(default_factory=dict)  # username -> member's name
    password: str = DEMO_PASSWORD
    # username -> the offices and seats they hold now, in words ("secretary of ...")
    offices: Mapping[str, list[str]] = field(default_factory=dict)


class _HistoryClock:
    """The services' clock while the demo is replayed: it moves only when the demo moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@contextmanager
def _replaying(start: datetime) -> Iterator[_HistoryClock]:
    """Let the services read the history's clock, and give them back the real one after."""
    real: Callable[[], datetime] = clock.now
    history = _HistoryClock(start)
    clock.now = history
    try:
        yield history
    finally:
        clock.now = real


# How each database commits without waiting for its disk, and how it goes back to waiting.
_UNSYNCED = {
    # WAL with NORMAL: a commit is atomic and consistent, and reaches the disk with the WAL's next
    # sync; FULL (the setting) syncs at every commit.
    "sqlite": ("PRAGMA synchronous=NORMAL", "PRAGMA synchronous=FULL"),
    # Asynchronous commit: a crash may lose the last commits, never corrupt or half-apply one.
    "postgresql": ("SET synchronous_commit TO off", "RESET synchronous_commit"),
}


@contextmanager
def _unsynced_commits() -> Iterator[None]:
    """Let the seeding's acts commit without waiting for the disk, one by one.

    Each act is still its own transaction, atomic, with its record entries. The first commit
    after this (the seeding's checkpoint) waits for the disk again, and with it every commit
    before it: SQLite's sync of its log and PostgreSQL's flush of its WAL cover all that
    precedes them. A crash half-way loses at most the seeding's last acts, which a half-seeded
    database cannot tell from a seeding stopped there.
    """
    off, on = _UNSYNCED.get(connection.vendor, ("", ""))
    if connection.in_atomic_block:
        # Within a caller's transaction (a test's) nothing commits before the caller does, and
        # SQLite refuses to change its safety level there.
        off = on = ""
    if off:
        with connection.cursor() as cursor:
            cursor.execute(off)
    try:
        yield
    finally:
        if on:
            with connection.cursor() as cursor:
                cursor.execute(on)


def is_seeded() -> bool:
    """Tell whether the demo federation is in the database."""
    return Body.objects.filter(slug=CONFEDERATION).exists()


def seed_demo(*, seed: int = 1, scale: float = 1.0) -> DemoReport:
    """Create the demo federation once; a second call finds it there and changes nothing."""
    if is_seeded():
        accounts = get_user_model().objects.filter(username__in=LOGINS)
        if accounts.count() != len(LOGINS):
            raise DemoError(
                f"a body {CONFEDERATION!r} exists but the demo's logins do not: an earlier "
                "seeding stopped half-way or the database holds another federation; seed an "
                "empty database"
            )
        return DemoReport(
            False, Member.objects.count(), Body.objects.count(), _logins(), offices=_offices()
        )
    if not 0 < scale <= 1:
        raise DemoError(f"the scale is a share of the full demo in (0, 1], not {scale}")
    # The day of seeding by the services' clock (a test may set it): its midnight, in UTC.
    today = clock.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if Body.objects.exists():
        raise DemoError(
            "the database holds bodies but not the demo: an earlier seeding stopped half-way or "
            "the database holds another federation; seed an empty database"
        )
    # One checkpoint after the seeding (its thousands of acts are one write batch to a reader),
    # signed once the acts' commits stop skipping the disk wait, so that it makes them durable.
    with (
        _replaying(today - timedelta(days=HISTORY_DAYS)) as history,
        one_checkpoint(),
        _unsynced_commits(),
    ):
        _Demo(random.Random(seed), history, scale).act()
        if history.now > today:
            raise DemoError(f"the demo's history ran past the day of seeding, to {history.now}")
    return DemoReport(
        True, Member.objects.count(), Body.objects.count(), _logins(), offices=_offices()
    )


def _logins() -> dict[str, str]:
    names = dict(
        Member.objects.filter(user__username__in=LOGINS).values_list("user__username", "name")
    )
    return {login: names[login] for login in LOGINS if login in names}


def _offices() -> dict[str, list[str]]:
    """Say what each login holds now: their offices and delegations, by the terms they hold."""
    now = clock.now()
    held: dict[str, list[str]] = {}
    for member in Member.objects.filter(user__username__in=LOGINS).select_related("user"):
        assert member.user is not None
        held[member.user.get_username()] = [
            f"delegate of {t.body.name} to {t.council.name}"
            if t.council is not None
            else f"{office_words(t.office)} of {t.body.name}"
            for t in sorted(terms_held_by(member, now), key=lambda t: (t.started_at, t.pk))
        ]
    return {login: held[login] for login in LOGINS if login in held}


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


SECTION_STATUTE = Statute(
    election_notice_days=30,
    # An election called when it falls due takes candidacies three weeks and votes one: it is
    # decided before the term ends (21 + 7 < 30).
    nomination_days=21,
    # Besides the assembly's own vote, the membership officer it elected admits members.
    officer_admits_members=True,
)
# Members hear of a motion this long before its vote opens, under every assembly's statute.
NOTICE_HOURS = SECTION_STATUTE.min_notice_hours
FEDERATION_STATUTE = Statute(mandate_deadline_days=14)
CONFEDERATION_STATUTE = Statute(
    mandate_deadline_days=14,
    member_counting="once",  # a section in a regional and an industrial federation counts once
    double_majority=True,
    # One in twenty members, or 25, whichever is smaller, opens a referendum from below.
    referendum_petition_members=PetitionThreshold(Fraction(1, 20), 25, "smaller"),
)
# What the logins' regional federation has on the agenda of its session open on the day of
# seeding: (title, text). The logins' section leaves the first to its delegate and binds them on
# the second.
REGIONAL_ITEMS = (
    (
        "A hardship fund for the region's strikers",
        "Each section of the region pays into a fund that tides strikers over a stoppage.",
    ),
    (
        "One May Day march for the whole region",
        "The sections of the region march together on May Day, behind one banner.",
    ),
)
SECTION_MOTIONS = (
    (
        "A solidarity levy for the cleaners' strike",
        "Each member gives one euro a week to the cleaners on strike at the central depot.",
    ),
    (
        "General meetings on Saturdays, with childcare",
        "Our general meetings move to Saturday mornings, with childcare in the next room.",
    ),
)


@dataclass(frozen=True)
class _Sitting:
    """A council's motion for a session, and each member body's mandate: (kind, against)."""

    council: Body
    title: str
    mandates: Mapping[Body, tuple[str, bool]]
    motion: Mapping[str, object]


def _close(vote: Vote) -> Decision:
    """Count an assembly's online vote at its end, as the system does."""
    return deciding.close_vote(actor="system", vote=vote)


def _no_votes(kind: str, against: bool) -> int:
    """Return how many of an assembly's voters vote no on its mandate: most, where it is
    `against`; one, where the mandate splits the delegation's votes in proportion; else none."""
    return 6 if against else (1 if kind == "proportional" else 0)


class _Demo:
    """One replay of the demo's history; each method is one chapter of it, in order."""

    def __init__(self, rng: random.Random, history: _HistoryClock, scale: float) -> None:
        self.rng, self.clock, self.scale = rng, history, scale
        self.seeding_day = history.now + timedelta(days=HISTORY_DAYS)
        self.sections: list[Body] = []
        self.neighbourhoods: list[Body] = []
        self.rolls: dict[Body, list[Member]] = {}
        self.federations: list[Body] = []
        self.founders: dict[Body, list[Body]] = {}  # each federation's member bodies
        self.delegates: dict[tuple[Body, Body], Member] = {}  # (member body, council) -> delegate
        self.secretaries: dict[Body, Member] = {}  # each assembly's and each council's
        self.tendencies: list[Tendency] = []
        self.confederation: Body | None = None
        self.regional_session: Session | None = None

    def act(self) -> None:
        self.found_assemblies()
        self.elect_the_first_secretary()
        self.on(FEDERATING_DAYS)  # the year in which the sections federate
        self.found_tendencies()
        self.elect_officers()
        self.found_federations()
        self.elect_delegates()
        self.elect_council_secretaries()
        self.found_confederation()
        self.hold_congress()
        self.send_the_regional_agenda()
        self.petition_for_referendum()
        self.call_the_election_due()
        self.debate_in_the_section()
        self.open_the_regional_session()
        self.make_logins()

    def on(self, days_before: int) -> None:
        """Move the clock to midnight, that many days before the day of seeding."""
        moment = self.seeding_day - timedelta(days=days_before)
        if self.clock.now > moment:
            raise DemoError(
                f"the demo's history reached {self.clock.now} before a chapter set for {moment}"
            )
        self.clock.now = moment

    # Chapter 1: members and their assemblies.

    def _names(self, n: int) -> list[str]:
        names = []
        for i in range(n):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            names.append(f"{first} {last} {i + 1:04d}")  # a number keeps namesakes apart
        return names

    def found_assemblies(self) -> None:
        total = max(120, round(FULL_MEMBERS * self.scale))
        n_sections = max(8, round(FULL_SECTIONS * self.scale))
        people = bodies.register_members(actor="system", names=self._names(total))
        in_neighbourhoods = max(40, total // 25)
        section_people, own = (
            people[: total - in_neighbourhoods],
            people[total - in_neighbourhoods :],
        )
        # Sections of uneven sizes, each at least ten, as real sections are.
        shares = [self.rng.uniform(0.5, 1.5) for _ in range(n_sections)]
        sizes = [max(10, int(len(section_people) * w / sum(shares))) for w in shares]
        sizes[-1] = len(section_people) - sum(sizes[:-1])
        ends = [sum(sizes[: k + 1]) for k in range(n_sections)]
        rolls = [section_people[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
        for i, roll in enumerate(rolls):
            region, industry = self._section_place(i)
            name = f"{INDUSTRIES[industry]} workers {REGIONS[region]} {i // 16 + 1}"
            self.sections.append(self._assembly(name, f"section-{i + 1:02d}", roll))
        # The three logins are members of the first section: its secretary and membership
        # officer, its delegate to its regional federation, and a member with no office.
        first = rolls[0]
        self.officer, self.member, self.delegate = first[0], first[2], first[3]
        # A neighbourhood assembly gathers its own people and some union members who live there.
        per = len(own) // len(NEIGHBOURHOODS)
        for j, name in enumerate(NEIGHBOURHOODS):
            mine = own[j * per : (j + 1) * per] + self.rng.sample(section_people, max(2, per // 2))
            self.neighbourhoods.append(self._assembly(f"{name} assembly", _slug(name), mine))

    @staticmethod
    def _section_place(i: int) -> tuple[int, int]:
        """Return the section's region and industry: every region meets every industry."""
        return i % len(REGIONS), (i + i // len(REGIONS)) % len(INDUSTRIES)

    def _assembly(self, name: str, slug: str, roll: list[Member]) -> Body:
        body = bodies.found_assembly(
            actor=roll[0], name=name, slug=slug, founders=roll, statute=SECTION_STATUTE
        )
        self.rolls[body] = roll
        return body

    # Chapter 2: officers and tendencies.

    def _voters(self, body: Body, n: int = 7) -> list[Member]:
        """Sample the body's voters; the member login's ballots are left for whoever tries it."""
        roll = [m for m in self.rolls[body] if m != self.member]
        return self.rng.sample(roll, min(n, len(roll)))

    def _elect(
        self,
        body: Body,
        office: str,
        candidates: Sequence[Member],
        *,
        council: Body | None = None,
        proposed: Mapping[Member, Tendency] | None = None,
    ) -> Vote:
        """Call an assembly's election, let the candidates stand (some proposed by a tendency)
        and open its vote, in which four voters in five rank the first candidate first: the
        seat goes where the demo says."""
        election = elections.call_election(
            actor=candidates[0], body=body, office=office, council=council
        )
        for candidate in candidates:
            tendency = (proposed or {}).get(candidate)
            elections.stand(actor=candidate, election=election, tendency=tendency)
        vote = elections.open_election(
            actor=candidates[0], election=election, closes_at=self.clock.now + timedelta(days=7)
        )
        for k, voter in enumerate(self._voters(body)):
            order = list(candidates)
            self.rng.shuffle(order)
            if k % 5 != 4:
                order.remove(candidates[0])
                order.insert(0, candidates[0])
            ranking = [[elections.candidate_label(m)] for m in order]
            votes.cast_ballot(actor=voter, vote=vote, ranking=ranking)
        return vote

    @staticmethod
    def _elected(vote: Vote) -> Member:
        """Count an election of one seat at its end; return whom it elected."""
        _close(vote)
        (term,) = Election.objects.get(vote=vote).terms.all()
        return term.holder

    def elect_the_first_secretary(self) -> None:
        # The first section elects its secretary a week after its founding, for the statute's
        # year: the term ends after the day of seeding, within the statute's notice, so that the
        # election of their successor is due.
        section = self.sections[0]
        vote = self._elect(section, SECRETARY, [self.officer])
        self.clock.advance(days=7)
        self.secretaries[section] = self._elected(vote)

    def found_tendencies(self) -> None:
        for k, (name, slug, text) in enumerate(TENDENCIES):
            founder = self.rolls[self.sections[k + 1]][1]
            tendency = tendencies.found_tendency(actor=founder, name=name, slug=slug)
            for section in self.sections[k + 1 :: 3]:
                tendencies.adhere(actor=self.rolls[section][2], tendency=tendency)
            tendencies.publish_statement(
                actor=founder,
                tendency=tendency,
                body=self.sections[k + 1],
                title=f"What {name} stands for",
                text=text,
            )
            self.tendencies.append(tendency)

    def elect_officers(self) -> None:
        """Every other assembly elects its secretary; the first section its membership officer."""
        opened = [
            (section, self._elect(section, SECRETARY, self.rolls[section][:2]))
            for section in self.sections[1:] + self.neighbourhoods
        ]
        membership = self._elect(self.sections[0], MEMBERSHIP_OFFICER, [self.officer])
        self.clock.advance(days=7)
        for section, vote in opened:
            self.secretaries[section] = self._elected(vote)
        self._elected(membership)

    # Chapter 3: federating.

    def _submit(self, body: Body, title: str, **motion: object) -> Motion:
        """Propose and submit a motion in an assembly, by its secretary."""
        return _propose(self.secretaries[body], body, title, motion)

    def _put(self, motion: Motion, *, no: int = 0, days: int = 7) -> Vote:
        """Put a submitted motion to its assembly's vote, once its notice has passed, as the
        secretary; a fifth of the roll votes (well above the statute's quorum, a tenth by
        default), the secretary first, and `no` of them against."""
        body = motion.body
        secretary = self.secretaries[body]
        vote = votes.open_vote(
            actor=secretary, motion=motion, closes_at=self.clock.now + timedelta(days=days)
        )
        turnout = max(8, len(self.rolls[body]) // 5)
        voters = dict.fromkeys([secretary, *self._voters(body, turnout)])
        for k, voter in enumerate(voters):
            choice = "no" if 0 < k <= no else "yes"
            votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
        return vote

    def found_federations(self) -> None:
        regional: dict[int, list[Body]] = {r: [] for r in range(len(REGIONS))}
        industrial: dict[int, list[Body]] = {i: [] for i in range(len(INDUSTRIES))}
        for i, section in enumerate(self.sections):
            region, industry = self._section_place(i)
            regional[region].append(section)
            industrial[industry].append(section)
        for j, hood in enumerate(self.neighbourhoods):
            regional[j % len(REGIONS)].append(hood)
        plan = [(f"{REGIONS[r]} regional federation", m) for r, m in regional.items()]
        plan += [(f"{INDUSTRIES[i]} federation", m) for i, m in industrial.items()]
        submitted = []
        for name, members in plan:
            details = {"slug": _slug(name), "statute": statute_json(FEDERATION_STATUTE)}
            made = [
                self._submit(
                    b, f"Found the {name}", kind=Motion.Kind.FOUND_COUNCIL, details=details
                )
                for b in members
            ]
            submitted.append((name, members, made))
        self.clock.advance(hours=NOTICE_HOURS)
        opened = [
            (name, members, [self._put(m) for m in made]) for name, members, made in submitted
        ]
        self.clock.advance(days=7)
        for name, members, founding_votes in opened:
            council = bodies.found_council(
                actor=self.secretaries[members[0]],
                name=name,
                slug=_slug(name),
                decisions=[_close(v) for v in founding_votes],
                statute=FEDERATION_STATUTE,
            )
            self.federations.append(council)
            self.founders[council] = members

    def elect_delegates(self) -> None:
        # A section sends its secretary to its regional federation and, to its industrial one, a
        # member a tendency proposed; the logins' section sends that member to both.
        opened = []
        for f, council in enumerate(self.federations):
            regional = f < len(REGIONS)
            for k, body in enumerate(self.founders[council]):
                rival = self.rolls[body][3 if regional else 4]
                tendency = self.tendencies[k % len(self.tendencies)]
                if not tendency.adherences.filter(member=rival).exists():
                    tendencies.adhere(actor=rival, tendency=tendency)
                secretary = self.secretaries[body]
                first = regional and body != self.sections[0]
                candidates = [secretary, rival] if first else [rival, secretary]
                vote = self._elect(
                    body, DELEGATE, candidates, council=council, proposed={rival: tendency}
                )
                opened.append((body, council, vote))
        self.clock.advance(days=7)
        for body, council, vote in opened:
            self.delegates[(body, council)] = self._elected(vote)

    def _chair(self, council: Body) -> Member:
        """Return the delegate of the council's first member body, who proposes its motions."""
        members = member_bodies_at(council, self.clock.now).order_by("pk")
        return self.delegates[(members[0], council)]

    def _elect_in_session(
        self,
        council: Body,
        session: Session,
        office: str,
        candidate: Member,
        presiding: Member,
        upper: Body | None = None,
    ) -> None:
        """Elect the one candidate to a council's office (or its delegation to the `upper`
        council) in its open session: a delegate calls it, `presiding` opens and counts it, and
        every delegation casts for the candidate."""
        election = elections.call_election(
            actor=self._chair(council), body=council, office=office, council=upper
        )
        elections.stand(actor=candidate, election=election)
        vote = elections.open_election(
            actor=presiding,
            election=election,
            session=session,
            closes_at=self.clock.now + timedelta(days=1),
        )
        for body in member_bodies_at(council, self.clock.now).order_by("pk"):
            sessions.cast_for_delegation(
                actor=self.delegates[(body, council)],
                vote=vote,
                ranking=[[elections.candidate_label(candidate)]],
            )
        deciding.close_session_vote(actor=presiding, vote=vote)

    def _first_session(self, council: Body, candidate: Member) -> None:
        """Hold a council's first session, which elects its secretary: while it has none, one
        of its delegates (its chair) calls, opens and presides it; the secretary closes it."""
        chair = self._chair(council)
        session = sessions.schedule_session(
            actor=chair,
            council=council,
            title=f"{council.name}: election of our secretary",
            starts_at=self.clock.now,
        )
        sessions.open_session(actor=chair, session=session)
        self._elect_in_session(council, session, SECRETARY, candidate, chair)
        self.secretaries[council] = candidate
        sessions.close_session(actor=candidate, session=session)

    def _second(self, council: Body) -> Member:
        """Return the delegate of the council's second member body, whom it elects secretary."""
        members = member_bodies_at(council, self.clock.now).order_by("pk")
        return self.delegates[(members[1], council)]

    def elect_council_secretaries(self) -> None:
        # The logins' regional federation elects the officer login its secretary, who then runs
        # its session from the pages: closes its items and the session, sends its agendas.
        for council in self.federations:
            elected = self.officer if council == self.federations[0] else self._second(council)
            self._first_session(council, elected)

    def _mandate(self, body: Body, item: Item, kind: str) -> Motion:
        """Submit an assembly's motion deciding its mandate on a council's item."""
        return self._submit(
            body,
            f"Our mandate on {item.motion.title}",
            kind=Motion.Kind.DECIDE_MANDATE,
            details={"mandate": kind},
            council_item=item,
        )

    def _councils_decide(self, sittings: Sequence[_Sitting]) -> list[Decision]:
        """Put each council's motion through a session of its own, side by side: the agenda
        its secretary sends down, each member body's mandate by its own vote, the derived
        votes, the free casts."""
        opened = []
        for s in sittings:
            secretary = self.secretaries[s.council]
            made = _propose(self._chair(s.council), s.council, s.title, s.motion)
            session = sessions.schedule_session(
                actor=secretary,
                council=s.council,
                title=f"{s.council.name}: {s.title}",
                starts_at=self.clock.now + timedelta(days=15),
            )
            item = sessions.add_item(actor=secretary, session=session, motion=made)
            sessions.send_agenda(actor=secretary, session=session)
            opened.append((s, session, item))
        mandates = [
            (self._mandate(body, item, kind), _no_votes(kind, against))
            for s, _, item in opened
            for body, (kind, against) in s.mandates.items()
        ]
        self.clock.advance(hours=NOTICE_HOURS)
        mandate_votes = [self._put(motion, no=no, days=5) for motion, no in mandates]
        self.clock.advance(days=7)
        for vote in mandate_votes:
            _close(vote)
        self.clock.now = max(session.starts_at for _, session, _ in opened)
        made_decisions = []
        for s, session, item in opened:
            secretary = self.secretaries[s.council]
            sessions.open_session(actor=secretary, session=session)
            vote = Vote.objects.get(item=item)
            for body, (kind, _) in s.mandates.items():
                if kind == "free":  # the sections that left it to their delegate
                    delegate = self.delegates[(body, s.council)]
                    sessions.cast_for_delegation(actor=delegate, vote=vote, ranking=[["yes"]])
            made_decisions.append(deciding.close_session_vote(actor=secretary, vote=vote))
            sessions.close_session(actor=secretary, session=session)
        return made_decisions

    def found_confederation(self) -> None:
        details = {"slug": CONFEDERATION, "statute": statute_json(CONFEDERATION_STATUTE)}
        founding = self._councils_decide(
            [
                _Sitting(
                    council,
                    "Found the confederation",
                    dict.fromkeys(self.founders[council], ("bound", False)),
                    {"kind": Motion.Kind.FOUND_COUNCIL, "details": details},
                )
                for council in self.federations
            ]
        )
        self.confederation = bodies.found_council(
            actor=self._chair(self.federations[0]),
            name="The Confederation",
            slug=CONFEDERATION,
            decisions=founding,
            statute=CONFEDERATION_STATUTE,
        )

    # Chapter 4: the congress.

    def hold_congress(self) -> None:
        confederation = self.confederation
        assert confederation is not None
        # Each federation elects its chair its delegate to the confederation, at a session.
        for council in self.federations:
            secretary = self.secretaries[council]
            session = sessions.schedule_session(
                actor=secretary,
                council=council,
                title=f"{council.name}: election of our delegate to the confederation",
                starts_at=self.clock.now,
            )
            sessions.open_session(actor=secretary, session=session)
            chair = self._chair(council)
            self._elect_in_session(council, session, DELEGATE, chair, secretary, confederation)
            self.delegates[(council, confederation)] = chair
            sessions.close_session(actor=secretary, session=session)
        self._first_session(confederation, self._second(confederation))
        self.clock.advance(days=1)
        secretary = self.secretaries[confederation]
        motion = _propose(
            self._chair(confederation),
            confederation,
            "A confederal strike fund of one hour's pay a month",
            {"text": "Each section pays one hour's pay per member a month into a strike fund."},
        )
        congress = sessions.schedule_session(
            actor=secretary,
            council=confederation,
            title="First congress of the confederation",
            starts_at=self.clock.now + timedelta(days=32),
        )
        item = sessions.add_item(actor=secretary, session=congress, motion=motion)
        sessions.send_agenda(actor=secretary, session=congress)
        # Each federation decides its mandate in its own session, from its sections' mandates:
        # bound, proportional or left free, and in most federations one section bound against.
        kinds = ("bound", "proportional", "free")
        self._councils_decide(
            [
                _Sitting(
                    council,
                    f"Our mandate on {motion.title}",
                    {
                        # The first section bound by its vote is bound against the fund.
                        b: (kinds[(f + k) % 3], k == (-f) % 3)
                        for k, b in enumerate(self.founders[council])
                    },
                    {
                        "kind": Motion.Kind.DECIDE_MANDATE,
                        "details": {"mandate": kinds[f % 2]},  # bound or proportional
                        "council_item": item,
                    },
                )
                for f, council in enumerate(self.federations)
            ]
        )
        self.clock.now = congress.starts_at
        sessions.open_session(actor=secretary, session=congress)
        vote = Vote.objects.get(item=item)
        decision = deciding.close_session_vote(actor=secretary, vote=vote)
        sessions.close_session(actor=secretary, session=congress)
        # A member of a section that voted against the fund says why, beside the decision.
        dissenter = self.rolls[self.founders[self.federations[0]][0]][5]
        decisions.dissent(
            actor=dissenter,
            decision=decision,
            text="An hour a month is more than the lowest paid can give; make it a share of pay.",
        )
        self.clock.advance(days=1)

    # Chapter 5: the weeks before the day of seeding, whose work is still open on that day.

    def send_the_regional_agenda(self) -> None:
        # The logins' regional federation calls a session for the day before seeding; its
        # first delegate proposes two motions, its secretary sends the agenda down, and each
        # member body votes its mandate on each item: the logins' section leaves the first to
        # its delegate and binds them on the second, the others bind, split in proportion or
        # leave free in turn.
        self.on(AGENDA_DAYS)
        council = self.federations[0]
        secretary = self.secretaries[council]
        session = sessions.schedule_session(
            actor=secretary,
            council=council,
            title=f"{council.name}: spring session",
            starts_at=self.seeding_day - timedelta(days=1),
        )
        items = [
            sessions.add_item(
                actor=secretary,
                session=session,
                motion=_propose(self._chair(council), council, title, {"text": text}),
            )
            for title, text in REGIONAL_ITEMS
        ]
        sessions.send_agenda(actor=secretary, session=session)
        kinds = ("bound", "proportional", "free")
        mandates = []
        for k, body in enumerate(self.founders[council]):
            for n, item in enumerate(items):
                kind = ("free", "bound")[n] if body == self.sections[0] else kinds[(k + n) % 3]
                mandates.append((self._mandate(body, item, kind), _no_votes(kind, False)))
        self.clock.advance(hours=NOTICE_HOURS)
        mandate_votes = [self._put(motion, no=no, days=5) for motion, no in mandates]
        self.clock.advance(days=5)
        for vote in mandate_votes:
            _close(vote)
        self.regional_session = session

    def petition_for_referendum(self) -> None:
        confederation = self.confederation
        assert confederation is not None
        # The petition comes ten days before the day of seeding, so that the referendum it
        # opens stays open for eleven more days.
        self.on(PETITION_DAYS)
        # Enough signers, a few from each section, to reach the threshold at any scale.
        signers = [m for s in self.sections for m in self.rolls[s][6:12]]
        petition = petitions.open_petition(
            actor=signers[0],
            kind="referendum",
            body=confederation,
            question="Should the confederation join the general strike for the 32-hour week?",
            text="We ask every member, not only the congress, to decide this.",
        )
        for signer in signers[1:]:
            petition.refresh_from_db()
            if petition.reached_at is not None:
                break
            self.clock.advance(minutes=17)
            petitions.sign_petition(actor=signer, petition=petition)
        referendum = Referendum.objects.get(petition=petition)
        self.clock.advance(hours=2)
        everyone = sorted(
            {m for roll in self.rolls.values() for m in roll if m != self.member},
            key=lambda m: m.pk,
        )
        for voter in self.rng.sample(everyone, min(150, len(everyone) // 4)):
            option = self.rng.choices(("yes", "no", "abstain"), (6, 3, 1))[0]
            referendums.cast_referendum_ballot(actor=voter, referendum=referendum, option=option)
            self.clock.advance(minutes=3)

    def call_the_election_due(self) -> None:
        # The first section's secretary's term ends within the statute's notice: the election
        # of their successor falls due and is called by itself (as `frombelow notify` does
        # every minute), and a member stands with a statement. Nominations stay open.
        self.on(ELECTION_DAYS)
        elections.open_due_elections(self.clock.now)
        section = self.sections[0]
        election = Election.objects.get(body=section, office=SECRETARY, vote__isnull=True)
        self.clock.advance(days=1)
        elections.stand(
            actor=self.rolls[section][1],
            election=election,
            statement="I will keep our meetings short and our minutes on time.",
        )

    def debate_in_the_section(self) -> None:
        # Two motions of the first section: one its secretary put to the vote the day before
        # seeding, open for a week; one submitted since, its notice passed, waiting for them.
        self.on(SECTION_DAYS)
        section = self.sections[0]
        roll = self.rolls[section]
        made = []
        for proposer, (title, text) in zip(roll[6:8], SECTION_MOTIONS, strict=True):
            made.append(_propose(proposer, section, title, {"text": text}))
            self.clock.advance(days=1)
        self.on(1)
        self._put(made[0], no=2)
        # A petition to the region for a referendum, a few signatures short of its threshold.
        council = self.federations[0]
        others = [self.rolls[b][8] for b in self.founders[council][1:]]
        petition = petitions.open_petition(
            actor=others[0],
            kind="referendum",
            body=council,
            question="Should the region stop work for a day against the rent rises?",
            text="Rents rose by a fifth this year; we ask every member of the region to decide.",
        )
        for signer in others[1:]:
            if petition.required - petition.signatures.count() <= 2:
                break
            self.clock.advance(minutes=41)
            petitions.sign_petition(actor=signer, petition=petition)

    def open_the_regional_session(self) -> None:
        # The regional federation's secretary opens the session the day before seeding, its
        # votes open for two weeks; every delegation free on an item casts, but the logins'
        # section's, whose delegate has not yet cast on the first item.
        session = self.regional_session
        assert session is not None
        council = self.federations[0]
        self.clock.advance(hours=1)
        sessions.open_session(
            actor=self.secretaries[council],
            session=session,
            closes_at=self.seeding_day + timedelta(days=SESSION_DAYS),
        )
        by_pk = {b.pk: b for b in self.founders[council]}
        for vote in Vote.objects.filter(session=session).order_by("pk"):
            for body in sessions.casts_awaited(vote):
                if body == self.sections[0].pk:
                    continue
                self.clock.advance(minutes=7)
                sessions.cast_for_delegation(
                    actor=self.delegates[(by_pk[body], council)],
                    vote=vote,
                    ranking=[[self.rng.choice(("yes", "yes", "no"))]],
                )

    # Chapter 6: three logins to try the demo with.

    def make_logins(self) -> None:
        for username, person in zip(
            LOGINS, (self.member, self.delegate, self.officer), strict=True
        ):
            link_login(person, username, DEMO_PASSWORD)


def _propose(proposer: Member, body: Body, title: str, motion: Mapping[str, object]) -> Motion:
    """Propose and submit a motion in the body."""
    fields = dict(motion)
    text = str(fields.pop("text", title))
    made = motions.propose_motion(
        actor=proposer,
        body=body,
        title=title,
        text=text,
        **fields,  # type: ignore[arg-type]  # each chapter names propose_motion's own keywords
    )
    return motions.submit_motion(actor=proposer, motion=made)


@transaction.atomic(durable=True)
def link_login(member: Member, username: str, password: str) -> None:
    """Give the member a login with this username and password (a demo's account)."""
    user = get_user_model().objects.create_user(username=username, password=password)
    member.user = user
    member.save(update_fields=["user"])
    append_entry(
        actor="system",
        action="member.login_linked",
        subject=f"member:{member.pk}",
        data={"username": username},
    )
