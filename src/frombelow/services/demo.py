"""The demo federation: a confederation's first year, acted out through the services.

Every act of the demo (admissions, elections, foundings, sessions, mandates, petitions, ballots)
goes through the same service a real member's act would, so the record holds the demo's history
exactly as it would hold a real one. Nothing here writes a governed row by hand; only the demo's
three login accounts are made here, since accounts are not acts of self-government.

Dates: the history is replayed on a clock of its own that starts `HISTORY_DAYS` before midnight
(UTC) of the day the demo is seeded and only moves forward, so that seeding twice on one day gives
the same dates, and on any day the state the demo promises holds "now": one section's secretary's
term ended some weeks ago with no election (overdue), every other term runs for most of a year, and
the referendum the petition opened ten days before stays open for eleven more days. Names and
sizes come from a `random.Random` seeded with `seed`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from frombelow.core.statutes import PetitionThreshold, Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import (
    Body,
    Decision,
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
from frombelow.services.record import append_entry, one_checkpoint
from frombelow.services.standing import DELEGATE, SECRETARY

CONFEDERATION = "confederation"  # the demo's top council; its presence means the demo is there
DEMO_PASSWORD = "frombelow-demo"  # documented: the three demo logins share it
LOGINS = ("member", "delegate", "officer")
HISTORY_DAYS = 430  # the history starts this many days before the day of seeding
PETITION_DAYS = 10  # the referendum's petition is opened this many days before that day
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
        return DemoReport(False, Member.objects.count(), Body.objects.count(), _logins())
    if not 0 < scale <= 1:
        raise DemoError(f"the scale is a share of the full demo in (0, 1], not {scale}")
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
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
    return DemoReport(True, Member.objects.count(), Body.objects.count(), _logins())


def _logins() -> dict[str, str]:
    names = dict(
        Member.objects.filter(user__username__in=LOGINS).values_list("user__username", "name")
    )
    return {login: names[login] for login in LOGINS if login in names}


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


SECTION_STATUTE = Statute(election_notice_days=30)
FEDERATION_STATUTE = Statute(mandate_deadline_days=14)
CONFEDERATION_STATUTE = Statute(
    mandate_deadline_days=14,
    member_counting="once",  # a section in a regional and an industrial federation counts once
    double_majority=True,
    # One in twenty members, or 25, whichever is smaller, opens a referendum from below.
    referendum_petition_members=PetitionThreshold(Fraction(1, 20), 25, "smaller"),
)


@dataclass(frozen=True)
class _Sitting:
    """A council's motion for a session, and each member body's mandate: (kind, against)."""

    council: Body
    title: str
    mandates: Mapping[Body, tuple[str, bool]]
    motion: Mapping[str, object]


class _Demo:
    """One replay of the demo's history; each method is one chapter of it, in order."""

    def __init__(self, rng: random.Random, history: _HistoryClock, scale: float) -> None:
        self.rng, self.clock, self.scale = rng, history, scale
        self.start = history.now
        self.sections: list[Body] = []
        self.neighbourhoods: list[Body] = []
        self.rolls: dict[Body, list[Member]] = {}
        self.federations: list[Body] = []
        self.founders: dict[Body, list[Body]] = {}  # each federation's member bodies
        self.delegates: dict[tuple[Body, Body], Member] = {}  # (member body, council) -> delegate
        self.secretaries: dict[Body, Member] = {}
        self.tendencies: list[Tendency] = []
        self.confederation: Body | None = None

    def act(self) -> None:
        self.found_assemblies()
        self.elect_the_first_secretary()
        self.clock.advance(days=330)  # the year in which the sections federate
        self.found_tendencies()
        self.elect_secretaries()
        self.found_federations()
        self.elect_delegates()
        self.found_confederation()
        self.hold_congress()
        self.petition_for_referendum()
        self.make_logins()

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
        roll = self.rolls[body]
        return self.rng.sample(roll, min(n, len(roll)))

    def _elect(
        self,
        body: Body,
        office: str,
        candidates: Sequence[Member],
        *,
        council: Body | None = None,
        tendency: Tendency | None = None,
    ) -> tuple[Vote, list[Member]]:
        """Call an assembly's election, let the candidates stand and open it; return the vote."""
        election = elections.call_election(
            actor=candidates[0], body=body, office=office, council=council
        )
        for k, candidate in enumerate(candidates):
            elections.stand(actor=candidate, election=election, tendency=tendency if k else None)
        vote = elections.open_election(
            actor=candidates[0], election=election, closes_at=self.clock.now + timedelta(days=7)
        )
        voters = self._voters(body)
        for voter in voters:
            order = list(candidates)
            self.rng.shuffle(order)
            # Most voters rank the first candidate first: the seat goes where the demo says.
            if self.rng.random() < 0.8:
                order.remove(candidates[0])
                order.insert(0, candidates[0])
            ranking = [[elections.candidate_label(m)] for m in order]
            votes.cast_ballot(actor=voter, vote=vote, ranking=ranking)
        return vote, voters

    def elect_the_first_secretary(self) -> None:
        # The first section elects its secretary now and, a year on, has not elected again: its
        # election is overdue when the demo is seeded.
        section = self.sections[0]
        vote, _ = self._elect(section, SECRETARY, self.rolls[section][:1])
        self.clock.advance(days=7)
        deciding.close_vote(actor="system", vote=vote)
        self.secretaries[section] = self.rolls[section][0]

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

    def elect_secretaries(self) -> None:
        opened = []
        for section in self.sections[1:] + self.neighbourhoods:
            roll = self.rolls[section]
            opened.append((section, *self._elect(section, SECRETARY, roll[:2])))
        self.clock.advance(days=7)
        for section, vote, _ in opened:
            deciding.close_vote(actor="system", vote=vote)
            (term,) = vote.election.terms.all()
            self.secretaries[section] = term.holder

    # Chapter 3: federating.

    def _decide(
        self, body: Body, title: str, *, no: int = 0, days: int = 7, **motion: object
    ) -> Callable[[], Decision]:
        """Propose a motion in an assembly and open its vote; return what closes it."""
        proposer = self.secretaries.get(body, self.rolls[body][0])
        made = _propose(proposer, body, title, motion)
        vote = votes.open_vote(
            actor=proposer, motion=made, closes_at=self.clock.now + timedelta(days=days)
        )
        # A fifth of the roll votes, well above the statute's quorum (a tenth by default).
        turnout = max(8, len(self.rolls[body]) // 5)
        voters = dict.fromkeys([proposer, *self._voters(body, turnout)])  # the proposer first
        for k, voter in enumerate(voters):
            choice = "no" if 0 < k <= no else "yes"
            votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
        return lambda: deciding.close_vote(actor="system", vote=vote)

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
        pending = []
        for name, members in plan:
            slug = _slug(name)
            details = {"slug": slug, "statute": statute_json(FEDERATION_STATUTE)}
            closes = [
                self._decide(
                    b, f"Found the {name}", kind=Motion.Kind.FOUND_COUNCIL, details=details
                )
                for b in members
            ]
            pending.append((name, slug, members, closes))
        self.clock.advance(days=7)
        for name, slug, members, closes in pending:
            founding = [close() for close in closes]
            council = bodies.found_council(
                actor=self.secretaries[members[0]],
                name=name,
                slug=slug,
                decisions=founding,
                statute=FEDERATION_STATUTE,
            )
            self.federations.append(council)
            self.founders[council] = members

    def elect_delegates(self) -> None:
        opened = []
        for council in self.federations:
            for k, body in enumerate(self.founders[council]):
                roll = self.rolls[body]
                # The secretary stands, and a rival proposed by a tendency where one is there.
                rival = roll[3 + self.federations.index(council) % 2]
                tendency = self.tendencies[k % len(self.tendencies)]
                if not tendency.adherences.filter(member=rival).exists():
                    tendencies.adhere(actor=rival, tendency=tendency)
                candidates = [self.secretaries[body], rival]
                vote, _ = self._elect(
                    body, DELEGATE, candidates, council=council, tendency=tendency
                )
                opened.append((body, council, vote))
        self.clock.advance(days=7)
        for body, council, vote in opened:
            deciding.close_vote(actor="system", vote=vote)
            (term,) = vote.election.terms.all()
            self.delegates[(body, council)] = term.holder

    def _chair(self, council: Body) -> Member:
        members = member_bodies_at(council, self.clock.now).order_by("pk")
        return self.delegates[(members[0], council)]

    def _councils_decide(self, sittings: Sequence[_Sitting]) -> list[Decision]:
        """Put each council's motion through a session of its own, side by side: the agenda,
        each member body's mandate by its own vote, the derived votes, the free casts."""
        opened = []
        for s in sittings:
            chair = self._chair(s.council)
            made = _propose(chair, s.council, s.title, s.motion)
            session = sessions.schedule_session(
                actor=chair,
                council=s.council,
                title=f"{s.council.name}: {s.title}",
                starts_at=self.clock.now + timedelta(days=15),
            )
            item = sessions.add_item(actor=chair, session=session, motion=made)
            sessions.send_agenda(actor=chair, session=session)
            opened.append((s, chair, session, item))
        closes = [
            self._mandate(body, item, kind, against)
            for s, _, _, item in opened
            for body, (kind, against) in s.mandates.items()
        ]
        self.clock.advance(days=7)
        for close in closes:
            close()
        self.clock.now = max(session.starts_at for _, _, session, _ in opened)
        made_decisions = []
        for s, chair, session, item in opened:
            sessions.open_session(actor=chair, session=session)
            vote = Vote.objects.get(item=item)
            for body, (kind, _) in s.mandates.items():
                if kind == "free":  # the sections that left it to their delegate
                    delegate = self.delegates[(body, s.council)]
                    sessions.cast_for_delegation(actor=delegate, vote=vote, ranking=[["yes"]])
            made_decisions.append(deciding.close_session_vote(actor=chair, vote=vote))
            sessions.close_session(actor=chair, session=session)
        return made_decisions

    def _mandate(self, body: Body, item: Item, kind: str, against: bool) -> Callable[[], Decision]:
        """Open the assembly's vote on its mandate; a section `against` mostly votes no."""
        return self._decide(
            body,
            f"Our mandate on {item.motion.title}",
            no=6 if against else (1 if kind == "proportional" else 0),
            days=5,
            kind=Motion.Kind.DECIDE_MANDATE,
            details={"mandate": kind},
            council_item=item,
        )

    def _elect_in_session(self, council: Body, session: Session, upper: Body) -> None:
        chair = self._chair(council)
        election = elections.call_election(
            actor=chair, body=council, office=DELEGATE, council=upper
        )
        elections.stand(actor=chair, election=election)
        vote = elections.open_election(
            actor=chair,
            election=election,
            session=session,
            closes_at=self.clock.now + timedelta(days=1),
        )
        for body in self.founders[council]:
            sessions.cast_for_delegation(
                actor=self.delegates[(body, council)],
                vote=vote,
                ranking=[[elections.candidate_label(chair)]],
            )
        deciding.close_session_vote(actor=chair, vote=vote)
        self.delegates[(council, upper)] = chair

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
        # Each federation elects its delegate to the confederation at a session of its own.
        for council in self.federations:
            chair = self._chair(council)
            session = sessions.schedule_session(
                actor=chair,
                council=council,
                title=f"{council.name}: election of our delegate to the confederation",
                starts_at=self.clock.now,
            )
            sessions.open_session(actor=chair, session=session)
            self._elect_in_session(council, session, confederation)
            sessions.close_session(actor=chair, session=session)
        self.clock.advance(days=1)
        chair = self.delegates[(self.federations[0], confederation)]
        motion = _propose(
            chair,
            confederation,
            "A confederal strike fund of one hour's pay a month",
            {"text": "Each section pays one hour's pay per member a month into a strike fund."},
        )
        congress = sessions.schedule_session(
            actor=chair,
            council=confederation,
            title="First congress of the confederation",
            starts_at=self.clock.now + timedelta(days=32),
        )
        item = sessions.add_item(actor=chair, session=congress, motion=motion)
        sessions.send_agenda(actor=chair, session=congress)
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
        sessions.open_session(actor=chair, session=congress)
        vote = Vote.objects.get(item=item)
        decision = deciding.close_session_vote(actor=chair, vote=vote)
        sessions.close_session(actor=chair, session=congress)
        # A member of a section that voted against the fund says why, beside the decision.
        dissenter = self.rolls[self.founders[self.federations[0]][0]][5]
        decisions.dissent(
            actor=dissenter,
            decision=decision,
            text="An hour a month is more than the lowest paid can give; make it a share of pay.",
        )
        self.clock.advance(days=1)

    # Chapter 5: a referendum from below.

    def petition_for_referendum(self) -> None:
        confederation = self.confederation
        assert confederation is not None
        # Whenever the congress ended, the petition comes ten days before the day of seeding,
        # so that the referendum it opens stays open for eleven more days.
        seeding_day = self.start + timedelta(days=HISTORY_DAYS)
        self.clock.now = max(self.clock.now, seeding_day - timedelta(days=PETITION_DAYS))
        # Enough signers, a few from each section, to reach the threshold at any scale.
        signers = [m for s in self.sections for m in self.rolls[s][6:12]]
        petition = petitions.open_petition(
            actor=signers[0],
            kind="referendum",
            body=confederation,
            question="Should the confederation join the general strike for the 32-hour week?",
            text="We ask every member, not only the congress, to decide this.",
        )
        for signer in signers:
            petition.refresh_from_db()
            if petition.reached_at is not None:
                break
            self.clock.advance(minutes=17)
            petitions.sign_petition(actor=signer, petition=petition)
        referendum = Referendum.objects.get(petition=petition)
        self.clock.advance(hours=2)
        everyone = sorted({m for roll in self.rolls.values() for m in roll}, key=lambda m: m.pk)
        for voter in self.rng.sample(everyone, min(150, len(everyone) // 4)):
            option = self.rng.choices(("yes", "no", "abstain"), (6, 3, 1))[0]
            referendums.cast_referendum_ballot(actor=voter, referendum=referendum, option=option)
            self.clock.advance(minutes=3)

    # Chapter 6: three logins to try the demo with.

    def make_logins(self) -> None:
        first = self.sections[0]
        regional = self.federations[0]
        delegate = self.delegates[(self.sections[0], regional)]
        officer = self.secretaries[self.sections[1]]
        member = next(m for m in self.rolls[first] if m not in (delegate, officer))
        for username, person in zip(LOGINS, (member, delegate, officer), strict=True):
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
