"""What needs a member now: the one read behind their home page, `GET /api/v1/me/work` and the
daily digest, so that the three never disagree (issue 11).

As a member: the open votes on their roll, elections taking candidacies they may stand in,
petitions they may sign, their assemblies' mandates and ratifications still to decide. As a
delegate: their councils' sessions, the mandates their bodies gave them, the casts due from them.
As secretary of a body: the motions to put to the vote, the votes to count or to tally, the
elections due, the agendas to send down, the sessions to open, run and close. As membership
officer: who applied to join. And the decisions past their date that they carry out, or that
their body took. Nothing is offered that the member may not do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from frombelow.db.models import (
    Body,
    DelegateCast,
    Election,
    Implementation,
    Mandate,
    Member,
    MembershipApplication,
    Motion,
    Petition,
    Referendum,
    Session,
    Term,
    Vote,
)
from frombelow.services.motions import debated_since, notice_ends
from frombelow.services.queries import work as reads
from frombelow.services.queries.bodies import statute_of
from frombelow.services.queries.members import bodies_of
from frombelow.services.queries.work import Agenda, Awaited, DueOffice, Ratifying
from frombelow.services.sessions import casts_awaited
from frombelow.services.standing import MEMBERSHIP_OFFICER, SECRETARY, office_words, takes_part


@dataclass(frozen=True)
class CastDue:
    """A vote of an open session on which the member casts for their delegation."""

    vote: Vote
    body: Body  # the member body the delegate sits for
    left: int  # how many of the delegation's casts are still awaited


@dataclass(frozen=True)
class Work:
    """What needs one member at one moment, by the part they play."""

    # As a member.
    open_votes: list[Vote]
    referendums: list[Referendum]
    candidacies: list[Election]
    petitions: list[Petition]
    mandates_awaited: list[Awaited]
    ratifications: list[Ratifying]
    # As a delegate.
    seats: list[Term]
    sessions: list[Session]
    mandates: list[Mandate]
    casts: list[CastDue]
    # As secretary of a body.
    secretary_of: list[Body]
    motions_to_put: list[Motion]
    votes_to_close: list[Vote]
    elections_due: list[DueOffice]
    agendas: list[Agenda]
    sessions_to_run: list[Session]  # of the councils they are secretary of: to open or run
    # Decisions past their date: those the member carries out, and (as secretary) their body's.
    overdue: list[Implementation]
    overdue_in_bodies: list[Implementation]
    # As membership officer of an assembly whose statute lets them admit: who applied to join.
    applications: list[MembershipApplication]

    @property
    def as_member(self) -> bool:
        """Whether anything needs the member as a member."""
        return bool(
            self.open_votes
            or self.referendums
            or self.candidacies
            or self.petitions
            or self.mandates_awaited
            or self.ratifications
        )

    @property
    def as_delegate(self) -> bool:
        """Whether anything needs the member as a delegate."""
        return bool(self.sessions or self.mandates or self.casts)

    @property
    def as_officer(self) -> bool:
        """Whether anything needs the member as an officer: secretary or membership officer."""
        return self.as_secretary or bool(self.applications)

    @property
    def as_secretary(self) -> bool:
        """Whether anything needs the member as secretary."""
        return bool(
            self.motions_to_put
            or self.votes_to_close
            or self.elections_due
            or self.agendas
            or self.sessions_to_run
            or self.overdue_in_bodies
        )

    def __bool__(self) -> bool:
        return self.as_member or self.as_delegate or self.as_officer or bool(self.overdue)


def work_of(
    member: Member, at: datetime, bodies: tuple[list[Body], list[Body]] | None = None
) -> Work:
    """Gather what needs the member at `at`; `bodies` are their assemblies and councils, if the
    caller has read them already (`queries.members.bodies_of`)."""
    assemblies, councils = bodies if bodies is not None else bodies_of(member, at)
    suspended = reads.suspended_in(member, assemblies, at)
    acting = [a for a in assemblies if a.pk not in suspended]
    seats = reads.seats_of(member, at)
    sessions = reads.sessions_of({t.council_id for t in seats if t.council_id is not None})
    # A secretary acts by holding the office (`standing.require_officer`); calling an election
    # is an act of those who take part in the body (`elections.call_election`).
    secretary_of = reads.offices_of(member, SECRETARY, at)
    calling = [b for b in secretary_of if takes_part(member, b, at)]
    assemblies_served = [b for b in secretary_of if b.kind == Body.Kind.ASSEMBLY]
    councils_served = [b for b in secretary_of if b.kind == Body.Kind.COUNCIL]
    return Work(
        open_votes=reads.open_votes_of(member, at),
        referendums=reads.referendums_of(member, councils, at),
        candidacies=reads.candidacies_open_to(member, [*assemblies, *councils]),
        petitions=reads.petitions_to_sign(member, [*assemblies, *councils]),
        mandates_awaited=reads.mandates_awaited(acting, at),
        ratifications=reads.ratifications_awaited(acting, at),
        seats=seats,
        sessions=sessions,
        mandates=reads.mandates_held(sessions, {t.body_id for t in seats}),
        casts=_casts_due(member, seats, sessions, at),
        secretary_of=secretary_of,
        motions_to_put=_motions_to_put(assemblies_served, at),
        votes_to_close=reads.votes_to_close(assemblies_served, at),
        elections_due=reads.elections_due(calling, at),
        agendas=reads.agendas_to_send(councils_served, at),
        sessions_to_run=reads.sessions_to_run(councils_served, at),
        overdue=reads.overdue_carried_by(member, at),
        overdue_in_bodies=reads.overdue_in(secretary_of, at, but_for=member),
        applications=reads.applications_waiting(_admitting(member, at)),
    )


def _admitting(member: Member, at: datetime) -> list[Body]:
    """Return the assemblies whose membership officer the member is, and whose statute lets
    them admit (`bodies.require_admitting_officer`)."""
    return [
        body
        for body in reads.offices_of(member, MEMBERSHIP_OFFICER, at)
        if body.kind == Body.Kind.ASSEMBLY and statute_of(body).officer_admits_members
    ]


def _motions_to_put(assemblies: list[Body], at: datetime) -> list[Motion]:
    """Return the submitted motions of these assemblies that their secretary may put to the vote
    now: the statute's notice has passed (`votes.open_vote`), and no amendment is being voted."""
    statutes = {body.pk: statute_of(body) for body in assemblies}
    return [
        motion
        for motion in reads.motions_to_put(assemblies)
        if notice_ends(statutes[motion.body_id], debated_since(motion)) <= at
    ]


def _casts_due(
    member: Member, seats: list[Term], sessions: list[Session], at: datetime
) -> list[CastDue]:
    """Return the open votes of the delegate's sessions where their delegation awaits a cast and
    they have not cast (`sessions.casts_awaited`: no cast against a binding mandate)."""
    votes = reads.session_votes_open(sessions, at)
    if not votes:
        return []
    cast = set(
        DelegateCast.objects.filter(vote__in=votes, delegate=member).values_list(
            "vote_id", flat=True
        )
    )
    seat_in: dict[int, list[Body]] = {}
    for term in seats:
        if term.council_id is not None:
            seat_in.setdefault(term.council_id, []).append(term.body)
    due = []
    for vote in votes:
        bodies = seat_in.get(vote.body_id, [])
        # A delegate sits for one delegation; sitting for two, every cast is refused.
        if vote.pk in cast or len(bodies) != 1:
            continue
        left = casts_awaited(vote).get(bodies[0].pk, 0)
        if left > 0:
            due.append(CastDue(vote, bodies[0], left))
    return due


@dataclass(frozen=True)
class Entry:
    """One thing that needs the member, in a flat list for the API and the digest."""

    role: str  # "member", "delegate" or "officer"
    what: str  # the kind of work: "vote", "candidacy", "cast", "agenda", ...
    id: int  # of the vote, election, petition, session, item, motion, body or decision
    title: str  # what it is about, in the active language where words are ours
    body: str  # the body's name
    when: datetime | date | None  # when it closes or starts, or the day it was due by
    page: str  # where on the site to do it: a path


def _vote_page(vote: Vote) -> str:
    if vote.motion_id is not None:
        return reverse("web:motion", args=[vote.motion_id])
    election = getattr(vote, "election", None)
    if election is not None:
        return reverse("web:election", args=[election.pk])
    return reverse("web:body", args=[vote.body.slug])


def office_title(office: str, council: Body | None) -> str:
    """Name an office in the active language, with the council a delegation sits in."""
    words = _(office_words(office))
    return f"{words} → {council.name}" if council is not None else words


def entries(work: Work) -> Iterator[Entry]:
    """List the member's work as entries, by role, in the order the home page shows it."""
    for vote in work.open_votes:
        yield Entry(
            "member",
            "vote",
            vote.pk,
            vote.question,
            vote.body.name,
            vote.closes_at,
            _vote_page(vote),
        )
    for r in work.referendums:
        page = reverse("web:referendum", args=[r.pk])
        yield Entry("member", "referendum", r.pk, r.question, r.council.name, r.closes_at, page)
    for election in work.candidacies:
        page = reverse("web:election", args=[election.pk]) + "#stand-h"
        title = office_title(election.office, election.council)
        yield Entry("member", "candidacy", election.pk, title, election.body.name, None, page)
    for p in work.petitions:
        page = reverse("web:petition", args=[p.pk])
        yield Entry("member", "petition", p.pk, p.question, p.body.name, None, page)
    for awaited in work.mandates_awaited:
        item = awaited.item
        page = reverse("web:session", args=[item.session_id]) + f"#item-{item.pk}"
        starts = item.session.starts_at
        yield Entry(
            "member", "mandate", item.pk, item.motion.title, awaited.body.name, starts, page
        )
    for answer in work.ratifications:
        decision = answer.decision
        page = reverse("web:session", args=[answer.session.pk])
        title = decision.motion.title if decision.motion else decision.vote.question
        yield Entry(
            "member", "ratification", decision.pk, title, answer.body.name, decision.ratify_by, page
        )
    for s in work.sessions:
        page = reverse("web:session", args=[s.pk])
        yield Entry("delegate", "session", s.pk, s.title, s.body.name, s.starts_at, page)
    for m in work.mandates:
        item = m.item
        page = reverse("web:session", args=[item.session_id]) + f"#item-{item.pk}"
        yield Entry(
            "delegate",
            "mandate-held",
            item.pk,
            item.motion.title,
            m.member_body.name,
            item.session.starts_at,
            page,
        )
    for c in work.casts:
        page = reverse("web:session", args=[c.vote.session_id])
        yield Entry(
            "delegate", "cast", c.vote.pk, c.vote.question, c.body.name, c.vote.closes_at, page
        )
    for motion in work.motions_to_put:
        page = reverse("web:motion", args=[motion.pk])
        yield Entry("officer", "motion", motion.pk, motion.title, motion.body.name, None, page)
    for vote in work.votes_to_close:
        yield Entry(
            "officer",
            "count",
            vote.pk,
            vote.question,
            vote.body.name,
            vote.closes_at,
            _vote_page(vote),
        )
    for due in work.elections_due:
        page = reverse("web:body", args=[due.body.slug]) + "#elections-h"
        title = office_title(due.office.office, due.office.council)
        yield Entry(
            "officer",
            "election-due",
            due.body.pk,
            title,
            due.body.name,
            due.office.status.since,
            page,
        )
    for agenda in work.agendas:
        s = agenda.session
        page = reverse("web:session", args=[s.pk])
        yield Entry("officer", "agenda", s.pk, s.title, s.body.name, agenda.send_by, page)
    for s in work.sessions_to_run:
        page = reverse("web:session", args=[s.pk])
        yield Entry("officer", "session-to-run", s.pk, s.title, s.body.name, s.starts_at, page)
    for application in work.applications:
        assembly = application.assembly
        page = reverse("web:body", args=[assembly.slug]) + "#applications-h"
        yield Entry(
            "officer",
            "application",
            application.pk,
            application.member.name,
            assembly.name,
            application.applied_at,
            page,
        )
    for role, overdue in (("member", work.overdue), ("officer", work.overdue_in_bodies)):
        for implementation in overdue:
            decision = implementation.decision
            page = reverse("web:motion", args=[decision.motion_id]) + "#implementation-h"
            title = decision.motion.title if decision.motion else decision.vote.question
            yield Entry(
                role, "overdue", decision.pk, title, decision.body.name, implementation.due_on, page
            )


def link(page: str) -> str:
    """Return a page's full address, for mail."""
    return settings.FROMBELOW_BASE_URL.rstrip("/") + page
