"""Reads of what needs a member now: as a member, a delegate, an officer (issue 11).

Each read asks a fixed number of queries for one member, whatever the size of the roll: the home
page, the API and the daily digest ask them for one member at a time (`services.work`). Each
offers only what the member may do: a vote on their roll, an election they may stand in, a
petition they may sign; a body they are suspended in offers them nothing to act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from frombelow.db.models import (
    Affiliation,
    Amendment,
    Ballot,
    Body,
    Candidacy,
    Decision,
    Election,
    Implementation,
    Item,
    Mandate,
    Member,
    Membership,
    MembershipApplication,
    Motion,
    Participation,
    Petition,
    ProgressReport,
    Ratification,
    Ratified,
    Referendum,
    ReferendumParticipation,
    Sanction,
    Session,
    Signature,
    Term,
    Vote,
)
from frombelow.services.queries.bodies import current, statute_of
from frombelow.services.queries.referendums import assemblies_of
from frombelow.services.queries.terms import Office, election_statuses
from frombelow.services.standing import DELEGATE, terms_held
from frombelow.services.weights import subtree_at


@dataclass(frozen=True)
class Awaited:
    """A council's item sent down that awaits the mandate of one of the member's bodies."""

    body: Body
    item: Item


@dataclass(frozen=True)
class Ratifying:
    """A council's provisional decision that awaits the answer of one of the member's bodies."""

    body: Body
    decision: Decision
    session: Session


@dataclass(frozen=True)
class DueOffice:
    """An office of a body the member is secretary of, due or overdue, with no election called."""

    body: Body
    office: Office


@dataclass(frozen=True)
class Agenda:
    """A session of a council the member is secretary of, its agenda not yet sent down."""

    session: Session
    items: int
    send_by: datetime  # the statute's mandate deadline: after it the agenda cannot go down


def open_votes_of(member: Member, at: datetime) -> list[Vote]:
    """Return the open votes on the member's roll that they have not voted in, closing first."""
    voted = Ballot.objects.filter(vote=OuterRef("pk"), voter=member)
    took_part = Participation.objects.filter(vote=OuterRef("pk"), member=member)
    return list(
        _on_roll(member)
        .filter(closes_at__gt=at)
        .exclude(Exists(voted))
        .exclude(Exists(took_part))
        .select_related("body", "motion", "election")
        .order_by("closes_at", "pk")
    )


def votes_past_close_of(member: Member, at: datetime) -> list[Vote]:
    """Return the votes on the member's roll past their close and not yet counted."""
    return list(
        _on_roll(member)
        .filter(closes_at__lte=at)
        .select_related("body", "motion", "election")
        .order_by("closes_at", "pk")
    )


def _on_roll(member: Member) -> QuerySet[Vote]:
    return Vote.objects.filter(electors__member=member, decision__isnull=True, session__isnull=True)


def referendums_of(member: Member, councils: Iterable[Body], at: datetime) -> list[Referendum]:
    """Return the open referendums of the member's councils they may vote in and have not."""
    voted = ReferendumParticipation.objects.filter(referendum=OuterRef("pk"), member=member)
    # Offered only to those on its roll: a member admitted after it opened has no vote in it.
    return [
        referendum
        for referendum in Referendum.objects.filter(
            council__in=list(councils), result__isnull=True, closes_at__gt=at
        )
        .exclude(Exists(voted))
        .select_related("council")
        .order_by("closes_at", "pk")
        if assemblies_of(member, referendum)
    ]


def suspended_in(member: Member, assemblies: Iterable[Body], at: datetime) -> set[int]:
    """Return the ids of the assemblies among these that suspend the member at `at`."""
    return set(
        Sanction.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at),
            member=member,
            assembly__in=list(assemblies),
            kind=Sanction.Kind.SUSPENSION,
            starts_at__lte=at,
            lifting__isnull=True,
        ).values_list("assembly_id", flat=True)
    )


def candidacies_open_to(member: Member, bodies: Iterable[Body]) -> list[Election]:
    """Return the elections of the member's bodies taking candidacies that they may stand in.

    A member may stand in their assembly and in every council above it (`standing.is_eligible`),
    once: a withdrawn candidacy is final.
    """
    stood = Candidacy.objects.filter(election=OuterRef("pk"), member=member)
    return list(
        Election.objects.filter(body__in=list(bodies), vote__isnull=True)
        .exclude(Exists(stood))
        .select_related("body", "council")
        .order_by("called_at", "pk")
    )


def petitions_to_sign(member: Member, bodies: Sequence[Body]) -> list[Petition]:
    """Return the open petitions to the member's bodies that they may sign and have not.

    Who may sign was fixed when a petition opened: the members of the body's assemblies then.
    """
    signed = Signature.objects.filter(petition=OuterRef("pk"), member=member)
    open_ = list(
        Petition.objects.filter(body__in=list(bodies), reached_at__isnull=True)
        .exclude(Exists(signed))
        .select_related("body")
        .order_by("-opened_at", "-pk")
    )
    if not open_:
        return []
    # Every membership the member ever held: one query, then each petition's moment.
    held = list(
        Membership.objects.filter(member=member).values_list(
            "assembly__slug", "joined_at", "left_at"
        )
    )
    return [p for p in open_ if _entitled(held, p)]


def _entitled(held: list[tuple[str, datetime, datetime | None]], petition: Petition) -> bool:
    at = petition.opened_at
    then = {slug for slug, joined, left in held if joined <= at and (left is None or left > at)}
    if not then:
        return False
    if petition.body.kind == Body.Kind.ASSEMBLY:
        return petition.body.slug in then
    return bool(then & set(subtree_at(petition.body, at).assemblies_under(petition.body.slug)))


def mandates_awaited(assemblies: Sequence[Body], at: datetime) -> list[Awaited]:
    """Return the items of agendas sent down to these assemblies on which they have decided no
    mandate yet, nor have one put to them, while the session has not opened."""
    if not assemblies:
        return []
    by_council = _by_council(assemblies, at)
    items = (
        Item.objects.filter(
            session__body_id__in=list(by_council),
            session__agenda_sent_at__isnull=False,
            session__opened_at__isnull=True,
            session__starts_at__gt=at,
            new_matter=False,
        )
        .select_related("motion", "session__body")
        .order_by("session__starts_at", "session_id", "number")
    )
    decided = set(
        Mandate.objects.filter(item__in=items, member_body__in=list(assemblies)).values_list(
            "item_id", "member_body_id"
        )
    )
    # A mandate motion submitted or in its vote: the vote shows where it is open.
    proposed = set(
        Motion.objects.filter(
            kind=Motion.Kind.DECIDE_MANDATE,
            council_item__in=items,
            body__in=list(assemblies),
            status__in=(Motion.Status.SUBMITTED, Motion.Status.VOTING),
        ).values_list("council_item_id", "body_id")
    )
    return [
        Awaited(body, item)
        for item in items
        for body in by_council[item.session.body_id]
        if (item.pk, body.pk) not in decided and (item.pk, body.pk) not in proposed
    ]


def _by_council(bodies: Sequence[Body], at: datetime) -> dict[int, list[Body]]:
    """Return, by the id of each council these bodies are members of at `at`, those bodies."""
    by_id = {b.pk: b for b in bodies}
    out: dict[int, list[Body]] = {}
    for body, council in Affiliation.objects.filter(
        current(at), member_body__in=list(by_id)
    ).values_list("member_body_id", "council_id"):
        out.setdefault(council, []).append(by_id[body])
    return out


def ratifications_awaited(assemblies: Sequence[Body], at: datetime) -> list[Ratifying]:
    """Return the councils' provisional decisions that await these assemblies' answer."""
    if not assemblies:
        return []
    by_council = _by_council(assemblies, at)
    pending = (
        ratifications_pending(at)
        .filter(body_id__in=list(by_council))
        .select_related("motion", "vote__session", "body")
        .order_by("ratify_by", "pk")
    )
    answered = set(
        Ratification.objects.filter(
            decision__in=pending, member_body__in=list(assemblies)
        ).values_list("decision_id", "member_body_id")
    )
    out: list[Ratifying] = []
    for decision in pending:
        session = decision.vote.session
        if session is None:
            continue
        out.extend(
            Ratifying(body, decision, session)
            for body in by_council[decision.body_id]
            if (decision.pk, body.pk) not in answered
        )
    return out


def ratifications_pending(at: datetime) -> QuerySet[Decision]:
    """Match the councils' provisional decisions carried and not yet ratified, their period
    still running."""
    return Decision.objects.filter(
        Q(ratify_by__isnull=True) | Q(ratify_by__gt=at),
        provisional=True,
        outcome=Decision.Outcome.CARRIED,
    ).exclude(Exists(Ratified.objects.filter(decision=OuterRef("pk"))))


def seats_of(member: Member, at: datetime) -> list[Term]:
    """Return the delegate's seats held at `at`: for which body, in which council."""
    return list(
        Term.objects.filter(terms_held(at), office=DELEGATE, holder=member)
        .select_related("body", "council")
        .order_by("council__name", "body__name")
    )


def sessions_of(councils: Iterable[int]) -> list[Session]:
    """Return the councils' sessions scheduled or open, not yet closed, the soonest first."""
    return list(
        Session.objects.filter(body_id__in=list(councils), closed_at__isnull=True)
        .select_related("body")
        .order_by("starts_at", "pk")
    )


def mandates_held(sessions: Sequence[Session], bodies: Iterable[int]) -> list[Mandate]:
    """Return the mandates these member bodies decided on the items of these sessions."""
    return list(
        Mandate.objects.filter(item__session__in=list(sessions), member_body_id__in=list(bodies))
        .select_related("item__motion", "item__session", "member_body")
        .order_by("item__session__starts_at", "item__number", "member_body__name")
    )


def session_votes_open(sessions: Sequence[Session], at: datetime) -> list[Vote]:
    """Return the open, uncounted votes of these sessions, closing first."""
    return list(
        Vote.objects.filter(
            session__in=[s for s in sessions if s.opened_at is not None],
            decision__isnull=True,
            closes_at__gt=at,
        )
        .select_related("body", "session", "item__motion", "election")
        .order_by("closes_at", "pk")
    )


def offices_of(member: Member, office: str, at: datetime) -> list[Body]:
    """Return the bodies in which the member holds `office` at `at`."""
    return list(
        Body.objects.filter(
            pk__in=Term.objects.filter(terms_held(at), office=office, holder=member).values("body")
        ).order_by("name")
    )


def motions_to_put(assemblies: Sequence[Body]) -> list[Motion]:
    """Return the submitted motions of these assemblies, waiting to be put to the vote: none of
    their amendments is being voted on."""
    voting = Amendment.objects.filter(motion=OuterRef("pk"), status=Amendment.Status.VOTING)
    return list(
        Motion.objects.filter(body__in=list(assemblies), status=Motion.Status.SUBMITTED)
        .exclude(Exists(voting))
        .select_related("body")
        .order_by("submitted_at", "pk")
    )


def votes_to_close(bodies: Sequence[Body], at: datetime) -> list[Vote]:
    """Return these bodies' votes that wait for their secretary: past their close and not yet
    counted, or taken at a meeting whose tally is not yet entered."""
    return list(
        Vote.objects.filter(body__in=list(bodies), decision__isnull=True, session__isnull=True)
        .filter(Q(closes_at__lte=at) | Q(mode=Vote.Mode.MEETING))
        .select_related("body", "motion", "election")
        .order_by("opened_at", "pk")
    )


def elections_due(bodies: Sequence[Body], at: datetime) -> list[DueOffice]:
    """Return the offices of these bodies due or overdue at `at` with no election under way."""
    under_way = set(
        Election.objects.filter(body__in=list(bodies))
        .filter(Q(vote__isnull=True) | Q(vote__decision__isnull=True))
        .values_list("body_id", "office", "council_id")
    )
    return [
        DueOffice(body, office)
        for body in bodies
        for office in election_statuses(body, at)
        if office.status.status in ("due", "overdue")
        and office.seats > 0
        and (body.pk, office.office, office.council.pk if office.council else None) not in under_way
    ]


def sessions_to_run(councils: Sequence[Body], at: datetime) -> list[Session]:
    """Return the councils' sessions whose time has come: due to open, or open and not closed;
    their secretary opens them, decides their items and closes them."""
    return list(
        Session.objects.filter(body__in=list(councils), closed_at__isnull=True, starts_at__lte=at)
        .select_related("body")
        .order_by("starts_at", "pk")
    )


def agendas_to_send(councils: Sequence[Body], at: datetime) -> list[Agenda]:
    """Return the councils' sessions whose agenda may still go down and has not."""
    out: list[Agenda] = []
    for council in councils:
        days = statute_of(council).mandate_deadline_days
        waiting = (
            Session.objects.filter(
                body=council,
                agenda_sent_at__isnull=True,
                opened_at__isnull=True,
                closed_at__isnull=True,
                starts_at__gte=at + timedelta(days=days),
            )
            .annotate(items_count=Count("items"))
            .order_by("starts_at", "pk")
        )
        for session in waiting:
            session.body = council
            out.append(
                Agenda(session, session.items_count, session.starts_at - timedelta(days=days))
            )
    return out


def overdue_carried_by(member: Member, at: datetime) -> list[Implementation]:
    """Return the implementations past their date, not reported done, that the member carries
    out (`decisions.is_overdue`, as one query)."""
    return list(
        overdue_implementations(at)
        .filter(implementers=member)
        .select_related("decision__motion", "decision__body", "decision__vote")
        .order_by("due_on", "pk")
    )


def overdue_in(bodies: Sequence[Body], at: datetime, but_for: Member) -> list[Implementation]:
    """Return the implementations past their date, not reported done, of these bodies'
    decisions, but those `but_for` carries out (listed as theirs)."""
    return list(
        overdue_implementations(at)
        .filter(decision__body__in=list(bodies))
        .exclude(implementers=but_for)
        .select_related("decision__motion", "decision__body", "decision__vote")
        .order_by("due_on", "pk")
    )


def overdue_implementations(at: datetime) -> QuerySet[Implementation]:
    """Match the implementations whose date has passed and that no report says are done."""
    done = ProgressReport.objects.filter(implementation=OuterRef("pk"), done=True)
    return Implementation.objects.filter(due_on__lt=at.date()).exclude(Exists(done))


def applications_waiting(assemblies: Sequence[Body]) -> list[MembershipApplication]:
    """Return the applications to join these assemblies that no one has answered, oldest first."""
    return list(
        MembershipApplication.objects.filter(assembly__in=list(assemblies), closed_at__isnull=True)
        .select_related("member", "assembly")
        .order_by("applied_at", "pk")
    )
