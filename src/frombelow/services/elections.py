"""Elections of delegates and officers by the body they serve, and the terms they give.

There is no appointment: a term begins only when an election's count elects its holder (or ranks
them as the substitute who takes an emptied seat). A term ends on a date fixed when it began, or
sooner by recall, resignation or death; nothing extends it. Rules of terms, rotation and
substitutes are the core's (`frombelow.core.terms`); counts are the counting engine's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q

from frombelow.core import terms as core
from frombelow.core.errors import DecisionError, StandingError, TermError
from frombelow.core.record.entry import format_timestamp
from frombelow.core.voting import substitute_order
from frombelow.db.mapping import (
    DELEGATE,
    office_key,
    read_result,
    read_statute,
    read_term,
    read_vacancy_reason,
)
from frombelow.db.models import (
    Body,
    Candidacy,
    Decision,
    Election,
    Member,
    Session,
    Substitute,
    Tendency,
    Term,
    TermEnd,
    Vote,
    Withdrawal,
)
from frombelow.services import clock, notices
from frombelow.services.motion_kinds import SYSTEM
from frombelow.services.queries.bodies import councils_at, statute_of
from frombelow.services.queries.elections import candidacies_in
from frombelow.services.queries.terms import election_statuses, history
from frombelow.services.record import Actor, append_entry
from frombelow.services.sessions import council_electorate
from frombelow.services.standing import (
    SECRETARY,
    electors_at,
    is_eligible,
    require_officer,
    require_participant,
    terms_held,
)
from frombelow.services.votes import create_vote
from frombelow.services.weights import representation_at

# The longest statement a candidate may give, in characters: a page, not a book.
STATEMENT_LENGTH = 4000


def candidate_label(member: Member) -> str:
    """Name a candidate on the ballot, uniquely."""
    return f"{member.name} #{member.pk}"


def _seats(body: Body, office: str, council: Body | None, seats: int | None) -> int:
    if office != DELEGATE:
        if council is not None:
            raise DecisionError("only delegates sit in a council; an officer serves their body")
        return 1 if seats is None else seats
    if council is None or not councils_at(body, clock.now()).filter(pk=council.pk).exists():
        raise StandingError(
            "%(body)r elects delegates only to a council it is a member of", body=body.slug
        )
    if seats is not None:
        raise DecisionError("a delegation's seats come from the council's statute, not by hand")
    representation = representation_at(council, clock.now(), seed=None)
    return representation.delegation(body.slug).seats


@transaction.atomic(durable=True)
def call_election(
    *,
    actor: Actor,
    body: Body,
    office: str,
    council: Body | None = None,
    seats: int | None = None,
) -> Election:
    """Call an election of the body's delegates to a council, or of one of its officers."""
    require_participant(actor, body, clock.now(), "calling an election")
    if not office or office != office.strip().lower():
        raise DecisionError("an office is named in lower case, not %(office)r", office=office)
    filled = _seats(body, office, council, seats)
    if filled < 1:
        raise DecisionError("an election fills at least one seat")
    if (
        Election.objects.filter(
            body=body, office=office, council=council, vote__decision__isnull=True
        )
        .exclude(vote__isnull=True)
        .exists()
        or Election.objects.filter(
            body=body, office=office, council=council, vote__isnull=True
        ).exists()
    ):
        raise DecisionError(
            "an election of %(office)r in %(body)r is already under way",
            office=office,
            body=body.slug,
        )
    election = Election.objects.create(
        body=body, office=office, council=council, seats=filled, called_at=clock.now()
    )
    append_entry(
        actor=actor,
        action="election.called",
        subject=f"election:{election.pk}",
        body=body,
        data={"office": office, "council": council.slug if council else None, "seats": filled},
    )
    notices.after_commit(partial(notices.candidacies_open, election.pk))
    return election


@transaction.atomic(durable=True)
def stand(
    *,
    actor: Actor,
    election: Election,
    tendency: Tendency | None = None,
    statement: str = "",
) -> Candidacy:
    """Stand as a candidate with a statement (perhaps for one's tendency), within rotation."""
    if not isinstance(actor, Member):
        raise StandingError("only a member stands in an election")
    body, now = election.body, clock.now()
    if election.vote_id is not None:
        raise DecisionError("the election's vote has opened: candidacies are closed")
    statement = statement.strip()
    if len(statement) > STATEMENT_LENGTH:
        raise DecisionError(
            "a candidate's statement is at most %(most)s characters, not %(length)s",
            most=STATEMENT_LENGTH,
            length=len(statement),
        )
    if not is_eligible(actor, body, now):
        raise StandingError(
            "%(member)s cannot stand in %(body)r: they are not a member there",
            member=actor.name,
            body=body.slug,
        )
    if (
        tendency is not None
        and not tendency.adherences.filter(member=actor, left_at__isnull=True).exists()
    ):
        raise StandingError(
            "%(member)s does not adhere to %(tendency)s, which cannot propose them",
            member=actor.name,
            tendency=tendency.name,
        )
    core.check_rotation(
        statute_of(body),
        history(body, election.office, election.council),
        actor.pk,
        office_key(election.office, election.council),
        body.slug,
    )
    try:
        with transaction.atomic():
            candidacy = Candidacy.objects.create(
                election=election,
                member=actor,
                tendency=tendency,
                stood_at=now,
                statement=statement,
            )
    except IntegrityError:
        # One candidacy per member and election, kept with its withdrawal: a withdrawal is final.
        if election.candidacies.filter(member=actor, withdrawal__isnull=False).exists():
            raise DecisionError(
                "%(member)s withdrew from this election and cannot stand in it again",
                member=actor.name,
            ) from None
        raise DecisionError(
            "%(member)s already stands in this election", member=actor.name
        ) from None
    append_entry(
        actor=actor,
        action="candidate.stood",
        subject=f"election:{election.pk}",
        body=body,
        data={"tendency": tendency.slug if tendency else None, "statement": statement},
    )
    return candidacy


@transaction.atomic(durable=True)
def withdraw_candidacy(*, actor: Actor, election: Election) -> Withdrawal:
    """Withdraw one's own candidacy while nominations are open."""
    if not isinstance(actor, Member):
        raise StandingError("only a member withdraws their candidacy")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.vote_id is not None:
        raise DecisionError(
            "the election's vote has opened: a candidacy can no longer be withdrawn"
        )
    candidacy = election.candidacies.filter(member=actor, withdrawal__isnull=True).first()
    if candidacy is None:
        raise DecisionError("%(member)s does not stand in this election", member=actor.name)
    withdrawal = Withdrawal.objects.create(candidacy=candidacy, withdrawn_at=clock.now())
    append_entry(
        actor=actor,
        action="candidate.withdrew",
        subject=f"election:{election.pk}",
        body=election.body,
        data={"candidacy": candidacy.pk},
    )
    return withdrawal


def standing_candidates(election: Election) -> list[Member]:
    """Return the members who stand and have not withdrawn, in the order they stood."""
    return [c.member for c in candidacies_in(election)]


@transaction.atomic(durable=True)
def open_election(
    *,
    actor: Actor,
    election: Election,
    closes_at: datetime | None = None,
    ballot_kind: str = Vote.BallotKind.SECRET,
    mode: str = Vote.Mode.ONLINE,
    session: Session | None = None,
) -> Vote:
    """Open the vote of an election among its candidates, by the statute's method.

    A council elects in session, its delegations casting; an assembly's members cast their own.
    """
    election = Election.objects.select_for_update().get(pk=election.pk)
    body, now = election.body, clock.now()
    if election.vote_id is not None:
        raise DecisionError("the election's vote is already open")
    candidates = standing_candidates(election)
    if not candidates:
        raise DecisionError("no one stands: the election cannot open")
    method = statute_of(body).election_method(election.seats)
    if body.kind == Body.Kind.COUNCIL:
        delegations = council_electorate(actor, body, session)
        electors: list[Member] = []
    else:
        if session is not None:
            raise DecisionError("an assembly's members vote themselves, not in a council session")
        if mode == Vote.Mode.MEETING:
            require_officer(actor, body, SECRETARY, now, "putting an election to a meeting")
        else:
            require_participant(actor, body, now, "opening an election")
        electors = electors_at(body, now)
        delegations = []
    vote = create_vote(
        actor=actor,
        body=body,
        question=f"Election of {office_key(election.office, election.council)}",
        method=method,
        options=[candidate_label(m) for m in candidates],
        ballot_kind=ballot_kind,
        mode=mode,
        closes_at=closes_at,
        seats=election.seats,
        session=session,
        electors=electors,
        delegations=delegations,
    )
    election.vote = vote
    election.save(update_fields=["vote"])
    return vote


def nominations_close(election: Election) -> datetime:
    """Return when the election's nominations close and its vote opens by itself."""
    return election.called_at + timedelta(days=statute_of(election.body).nomination_days)


def is_under_way(body: Body, office: str, council: Body | None) -> bool:
    """Tell whether an election of the office is called and not yet counted."""
    return Election.objects.filter(
        Q(vote__isnull=True) | Q(vote__decision__isnull=True),
        body=body,
        office=office,
        council=council,
    ).exists()


@transaction.atomic(durable=True)
def _call_due(body: Body, office: str, council: Body | None, seats: int, now: datetime) -> None:
    """Call, as the system, an election that the dates say is due."""
    if is_under_way(body, office, council):
        return
    election = Election.objects.create(
        body=body, office=office, council=council, seats=seats, called_at=now
    )
    append_entry(
        actor=SYSTEM,
        action="election.called",
        subject=f"election:{election.pk}",
        body=body,
        data={
            "office": office,
            "council": council.slug if council else None,
            "seats": seats,
            "because": "due",
        },
    )


@transaction.atomic(durable=True)
def _open_due(election: Election, now: datetime) -> Vote | None:
    """Open, as the system, the vote of an election whose nominations have closed."""
    election = Election.objects.select_for_update().select_related("body").get(pk=election.pk)
    candidates = standing_candidates(election)
    if election.vote_id is not None or not candidates:
        # No one stands yet: it stays open for candidacies, and shows as due to every member.
        return None
    body = election.body
    statute = statute_of(body)
    vote = create_vote(
        actor=SYSTEM,
        body=body,
        question=f"Election of {office_key(election.office, election.council)}",
        method=statute.election_method(election.seats),
        options=[candidate_label(m) for m in candidates],
        ballot_kind=Vote.BallotKind.SECRET,
        closes_at=now + timedelta(days=statute.election_voting_days),
        seats=election.seats,
        electors=electors_at(body, now),
    )
    election.vote = vote
    election.save(update_fields=["vote"])
    return vote


def open_due_elections(now: datetime) -> int:
    """Call every assembly's election that is due, and open every vote whose nominations closed.

    Nobody has to act and nobody can postpone: this runs from `frombelow notify`. A council
    elects in its sessions, where its delegations cast, so only assemblies' elections open here.
    Return how many elections were called or opened.
    """
    acted = 0
    for body in Body.objects.filter(kind=Body.Kind.ASSEMBLY).order_by("pk"):
        sits_in = set(councils_at(body, now).values_list("pk", flat=True))
        for office in election_statuses(body, now):
            if office.status.status == "not due" or office.seats < 1:
                continue
            if office.council is not None and office.council.pk not in sits_in:
                # A council the body has left: its delegation there is over, not due.
                continue
            if not is_under_way(body, office.office, office.council):
                _call_due(body, office.office, office.council, office.seats, now)
                acted += 1
    waiting = Election.objects.filter(
        vote__isnull=True, body__kind=Body.Kind.ASSEMBLY
    ).select_related("body")
    for election in waiting.order_by("pk"):
        if nominations_close(election) <= now and _open_due(election, now) is not None:
            acted += 1
    return acted


def seat_elected(decision: Decision) -> list[Term]:
    """Begin the terms of those the count elected, and rank the substitutes, as the count says."""
    vote = decision.vote
    election = Election.objects.get(vote=vote)
    body = election.body
    statute = read_statute(vote.statute.rules)
    by_label = {candidate_label(c.member): c.member for c in election.candidacies.all()}
    start = decision.decided_at
    end = start + timedelta(days=statute.max_term_days)
    past = history(body, election.office, election.council)
    key = office_key(election.office, election.council)
    terms: list[Term] = []
    for label in decision.winners:
        holder = by_label[label]
        core.begin_term(
            statute,
            holder=holder.pk,
            office=key,
            body=body.slug,
            start=start,
            end=end,
            election=str(election.pk),
            history=past,
        )
        terms.append(
            Term.objects.create(
                body=body,
                office=election.office,
                council=election.council,
                holder=holder,
                election=election,
                started_at=start,
                ends_at=end,
            )
        )
    order = substitute_order(read_result(decision.count)) if decision.count else ()
    Substitute.objects.bulk_create(
        Substitute(election=election, member=by_label[label], rank=rank)
        for rank, label in enumerate(order, start=1)
    )
    append_entry(
        actor="system",
        action="election.counted",
        subject=f"election:{election.pk}",
        body=body,
        data={
            "decision": decision.pk,
            "elected": [t.holder_id for t in terms],
            "substitutes": [by_label[label].pk for label in order],
            "term_ends_at": format_timestamp(end),
        },
    )
    return terms


def held(term: Term) -> Term:
    """Lock a term and refuse it unless it is held now."""
    term = (
        Term.objects.select_for_update(of=("self",))
        .select_related("body", "council")
        .get(pk=term.pk)
    )
    if not Term.objects.filter(terms_held(clock.now()), pk=term.pk).exists():
        raise TermError(
            "%(holder)s's term as %(office)s is not held now: nothing to end",
            holder=term.holder.name,
            office=term.office,
        )
    return term


def succession(term: Term) -> tuple[core.Substitutes, set[int]]:
    """Return the election's substitutes for the term's seat, and who among them cannot take it
    now: those who already had a seat from the election, or are no longer eligible."""
    election = term.election
    substitutes = core.Substitutes(
        str(election.pk),
        office_key(term.office, term.council),
        term.body.slug,
        tuple(election.substitutes.order_by("rank").values_list("member_id", flat=True)),
    )
    unavailable = set(Term.objects.filter(election=election).values_list("holder_id", flat=True))
    now = clock.now()
    unavailable |= {
        m.pk
        for m in Member.objects.filter(pk__in=substitutes.order)
        if not is_eligible(m, term.body, now)
    }
    return substitutes, unavailable


def store_vacancy(term: Term, vacated: core.Term, successor: core.Term | None) -> Term | None:
    """Store what the core decided: the term cut short, and the substitute's term if any."""
    assert vacated.vacated_at is not None
    assert vacated.vacated_because is not None
    TermEnd.objects.create(term=term, ended_at=vacated.vacated_at, reason=vacated.vacated_because)
    if successor is None:
        return None
    return Term.objects.create(
        body=term.body,
        office=term.office,
        council=term.council,
        holder_id=successor.holder,
        election=term.election,
        substitute_for=term,
        started_at=successor.start,
        ends_at=successor.end,
    )


def vacate(term: Term, reason: str) -> Term | None:
    """Cut a held term short (resignation, death) and seat the first substitute available.

    Return the substitute's term, or None when no substitute is left (a by-election is then owed,
    and shows as overdue).
    """
    term = held(term)
    vacated = core.vacate(read_term(term), clock.now(), read_vacancy_reason(reason))
    substitutes, unavailable = succession(term)
    seated = store_vacancy(term, vacated, core.take_seat(vacated, substitutes, unavailable).term)
    append_entry(
        actor="system",
        action="term.ended",
        subject=f"term:{term.pk}",
        body=term.body,
        data={
            "holder": term.holder_id,
            "office": vacated.office,
            "reason": reason,
            "substitute": seated.holder_id if seated else None,
            "substitute_term": seated.pk if seated else None,
        },
    )
    return seated


@transaction.atomic(durable=True)
def resign(*, actor: Actor, term: Term) -> Term | None:
    """Resign one's own term; the first substitute takes the seat at once."""
    if not isinstance(actor, Member) or actor.pk != term.holder_id:
        raise StandingError("resigning is the holder's own act")
    return vacate(term, TermEnd.Reason.RESIGNATION)
