"""Notices by e-mail of what needs a member: a vote opens in my body, or closes within a day;
my body votes its mandate on a council's item, or decided it; a council's agenda reached my body;
an election in my body takes candidacies; a council's provisional decision awaits my body's
ratification; a decision I carry out (or, as secretary, my body's) is past its date; a recall
petition concerns my body's delegate; and, for those who choose it, a daily digest. Each member
chooses which they get: every kind but the digest until they choose.

The acts send their notices once their transaction has committed (`after_commit`): a notice never
tells of an act that was rolled back, and a mail server that fails cannot undo the act. What no
act of a member brings about (a vote closing, a date passing) the clock-driven
`send_due_notices` and `send_closing_notices` find (the `frombelow notify` command, which
`frombelow serve` runs every minute); they also tell, of what still waits (an agenda's mandates,
an election's candidacies, a ratification), those whom its act's notice did not reach: a member
admitted since, or all of them where the mail server failed at the act. Every notice sent is
remembered (`NoticeSent`), so that no notice is sent to one member twice, however often a sender
runs.

Each notice is written in its recipient's language (`Member.language`, which they choose on the
site), or the installation's where they chose none: one sending may speak several.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frombelow.core.errors import DomainError
from frombelow.db.models import (
    Ballot,
    Body,
    Charge,
    Election,
    Elector,
    Mandate,
    Member,
    Membership,
    Motion,
    NoticeChoice,
    NoticeKind,
    NoticeSent,
    Participation,
    Petition,
    Referendum,
    Session,
    Term,
    Vote,
)
from frombelow.services import clock
from frombelow.services.queries.bodies import current, member_bodies_at
from frombelow.services.queries.charges import reply_due
from frombelow.services.queries.work import overdue_implementations, ratifications_pending
from frombelow.services.standing import SECRETARY, office_words, terms_held
from frombelow.services.weights import subtree_at

# How long before a vote closes its voters are reminded.
CLOSING_NOTICE = timedelta(days=1)
# How long after a decision's date passed the clock-driven sender still looks for whom to tell (a
# secretary elected since, say): later, the home page alone keeps showing it, so that the sender
# that runs every minute does not read every decision ever left undone.
OVERDUE_TOLD_FOR = timedelta(days=30)
# The kinds a member gets only once they choose them: one e-mail a day is asked for, not imposed.
OFF_UNTIL_CHOSEN = frozenset({NoticeKind.DIGEST})
# Sent whatever the member chose: due process (MODEL 7) needs the accused told of a charge and
# of their time to reply, so a notice of it is not one a member can turn off.
ALWAYS = frozenset({NoticeKind.CHARGE})
# What each kind of notice tells, in the reader's language, in the order the choice offers them.
LABELS: dict[str, Promise] = {
    NoticeKind.VOTE_OPENED: gettext_lazy("A vote opens in one of my bodies"),
    NoticeKind.VOTE_CLOSING: gettext_lazy("A day before a vote I have not cast closes"),
    NoticeKind.AGENDA_SENT: gettext_lazy(
        "A council's agenda reaches my body, with the date to decide its mandates by"
    ),
    NoticeKind.MANDATE_VOTE: gettext_lazy(
        "My body's vote on its mandate on a council's item opens"
    ),
    NoticeKind.MANDATE_DECIDED: gettext_lazy("My body's mandate on a council's item is decided"),
    NoticeKind.CANDIDACIES: gettext_lazy("An election in my body takes candidacies"),
    NoticeKind.RATIFICATION: gettext_lazy(
        "A council's provisional decision awaits my body's ratification"
    ),
    NoticeKind.OVERDUE: gettext_lazy(
        "A decision I carry out, or as secretary my body's, is past its date"
    ),
    NoticeKind.RECALL_PETITION: gettext_lazy(
        "A petition to recall my body's delegate or officer opens"
    ),
    NoticeKind.DIGEST: gettext_lazy("Once a day, a digest of what needs me"),
}


def choices_of(member: Member) -> dict[str, bool]:
    """Return, for every kind of notice, whether the member gets it (every kind but the digest
    until they choose)."""
    chosen = dict(NoticeChoice.objects.filter(member=member).values_list("kind", "wanted"))
    return {
        kind: chosen.get(kind, kind not in OFF_UNTIL_CHOSEN)
        for kind in NoticeKind.values
        if kind not in ALWAYS
    }


@transaction.atomic(durable=True)
def choose_notices(*, member: Member, wanted: Iterable[str]) -> dict[str, bool]:
    """Set which kinds of notice the member gets: those in `wanted`, and no others."""
    chosen = set(wanted)
    unknown = chosen - set(NoticeKind.values)
    if unknown:
        raise DomainError("no such kind of notice: %(kinds)s", kinds=", ".join(sorted(unknown)))
    for kind in set(NoticeKind.values) - ALWAYS:
        NoticeChoice.objects.update_or_create(
            member=member, kind=kind, defaults={"wanted": kind in chosen}
        )
    return choices_of(member)


def choose_language(*, member: Member, language: str) -> None:
    """Remember the language the member reads pages and notices in: one the site offers."""
    offered = dict(settings.LANGUAGES)
    if language not in offered:
        raise DomainError(
            "no such language: %(language)r; the site offers %(offered)s",
            language=language,
            offered=", ".join(offered),
        )
    Member.objects.filter(pk=member.pk).update(language=language)
    member.language = language


def after_commit(send: Callable[[], object]) -> None:
    """Send notices once the act's transaction commits; a failure to send is logged, not raised."""
    transaction.on_commit(send, robust=True)


def send_notices(
    kind: str,
    subject: str,
    recipients: QuerySet[Member],
    write: Callable[[Member], tuple[str, str] | None],
) -> int:
    """Send a notice of `kind` about `subject` to each recipient who wants it and has not had it.

    `write` gives a member's notice as (subject line, body), or None if it has nothing to tell
    them (remembered all the same). Return how many were sent.
    """
    # Recipients stay a query (an electorate can be large): only those with an address, who
    # want this kind and have not had this notice, are read; a sender that runs every minute
    # reads none once all are told.
    if kind in OFF_UNTIL_CHOSEN:
        chosen = NoticeChoice.objects.filter(kind=kind, wanted=True).values("member_id")
        recipients = recipients.filter(pk__in=chosen)
    elif kind not in ALWAYS:
        refused = NoticeChoice.objects.filter(kind=kind, wanted=False).values("member_id")
        recipients = recipients.exclude(pk__in=refused)
    told = NoticeSent.objects.filter(kind=kind, subject=subject).values("member_id")
    wanting = recipients.exclude(email="").exclude(pk__in=told).order_by("pk")
    messages = []
    for member in wanting.iterator():
        if not _remember(member, kind, subject):
            continue
        with translation.override(member.language or settings.LANGUAGE_CODE):
            written = write(member)
        if written is not None:
            messages.append(EmailMessage(written[0], written[1], to=[member.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _remember(member: Member, kind: str, subject: str) -> bool:
    """Note the notice as sent; tell whether it is new (a second sender finds it noted)."""
    try:
        with transaction.atomic():
            NoticeSent.objects.create(
                member=member, kind=kind, subject=subject, sent_at=clock.now()
            )
    except IntegrityError:
        return False
    return True


def _link(name: str, pk: int | str) -> str:
    return settings.FROMBELOW_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def _vote_link(vote: Vote) -> str:
    if vote.motion_id is not None:
        return _link("web:motion", vote.motion_id)
    election = getattr(vote, "election", None)
    if election is not None:
        return _link("web:election", election.pk)
    return _link("web:body", vote.body.slug)


def footer() -> str:
    """Return the line that ends every notice: where to choose which notices one gets."""
    return _("Choose which notices you get: %(link)s") % {
        "link": settings.FROMBELOW_BASE_URL.rstrip("/") + reverse("web:notices")
    }


def _when(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def vote_opened(vote_id: int) -> int:
    """Tell a vote's electors that it opened in their body (a mandate vote as such)."""
    vote = Vote.objects.select_related("body", "motion").get(pk=vote_id)
    electors = _electors(vote)
    if vote.motion is not None and vote.motion.kind == Motion.Kind.DECIDE_MANDATE:
        return _mandate_vote_opened(vote, electors)

    def write(member: Member) -> tuple[str, str]:
        closes = (
            _("It closes at %(when)s UTC.") % {"when": f"{vote.closes_at:%Y-%m-%d %H:%M}"}
            if vote.closes_at
            else _("It is voted in a meeting.")
        )
        body = _("A vote opened in %(body)s: %(question)s\n%(closes)s\n\n%(link)s\n\n") % {
            "body": vote.body.name,
            "question": vote.question,
            "closes": closes,
            "link": _vote_link(vote),
        }
        return _("Vote open in %(body)s") % {"body": vote.body.name}, body + footer()

    return send_notices(NoticeKind.VOTE_OPENED, f"vote:{vote.pk}", electors, write)


def referendum_opened(referendum_id: int) -> int:
    """Tell every member under the council that its referendum opened."""
    referendum = Referendum.objects.select_related("council").get(pk=referendum_id)

    def write(member: Member) -> tuple[str, str]:
        body = _("A referendum opened in %(body)s: %(question)s\n%(closes)s\n\n%(link)s\n\n") % {
            "body": referendum.council.name,
            "question": referendum.question,
            "closes": _("It closes at %(when)s UTC.")
            % {"when": f"{referendum.closes_at:%Y-%m-%d %H:%M}"},
            "link": _link("web:referendum", referendum.pk),
        }
        return _("Referendum in %(body)s") % {"body": referendum.council.name}, body + footer()

    return send_notices(
        NoticeKind.VOTE_OPENED,
        f"referendum:{referendum.pk}",
        members_under(referendum.council),
        write,
    )


def send_closing_notices() -> int:
    """Remind those who have not voted of each online vote and referendum closing within a day."""
    now = clock.now()
    closing = Vote.objects.filter(
        mode=Vote.Mode.ONLINE,
        closes_at__gt=now,
        closes_at__lte=now + CLOSING_NOTICE,
        decision__isnull=True,
    ).select_related("body")
    sent = 0
    for vote in closing:
        waiting = (
            _electors(vote)
            .exclude(pk__in=Ballot.objects.filter(vote=vote).values("voter_id"))
            .exclude(pk__in=Participation.objects.filter(vote=vote).values("member_id"))
        )

        def write(member: Member, vote: Vote = vote) -> tuple[str, str]:
            body = _(
                "The vote in %(body)s on %(question)s closes at %(when)s UTC, and you have not "
                "voted.\n\n%(link)s\n\n"
            ) % {
                "body": vote.body.name,
                "question": vote.question,
                "when": f"{vote.closes_at:%Y-%m-%d %H:%M}",
                "link": _vote_link(vote),
            }
            return _("A vote closes within a day in %(body)s") % {
                "body": vote.body.name
            }, body + footer()

        sent += send_notices(NoticeKind.VOTE_CLOSING, f"vote:{vote.pk}", waiting, write)
    referendums = Referendum.objects.filter(
        closes_at__gt=now, closes_at__lte=now + CLOSING_NOTICE, result__isnull=True
    ).select_related("council")
    for referendum in referendums:
        waiting = members_under(referendum.council).exclude(
            pk__in=referendum.participations.values("member_id")
        )

        def remind(member: Member, referendum: Referendum = referendum) -> tuple[str, str]:
            body = _(
                "The referendum in %(body)s on %(question)s closes at %(when)s UTC, and you have "
                "not voted.\n\n%(link)s\n\n"
            ) % {
                "body": referendum.council.name,
                "question": referendum.question,
                "when": f"{referendum.closes_at:%Y-%m-%d %H:%M}",
                "link": _link("web:referendum", referendum.pk),
            }
            title = _("A vote closes within a day in %(body)s") % {"body": referendum.council.name}
            return title, body + footer()

        sent += send_notices(
            NoticeKind.VOTE_CLOSING, f"referendum:{referendum.pk}", waiting, remind
        )
    return sent


def _electors(vote: Vote) -> QuerySet[Member]:
    return Member.objects.filter(
        pk__in=Elector.objects.filter(vote=vote, member__isnull=False).values("member_id")
    )


def members_under(body: Body) -> QuerySet[Member]:
    """Return the members of every assembly under the body (itself, if an assembly), now."""
    now = clock.now()
    if body.kind == Body.Kind.ASSEMBLY:
        slugs: Iterable[str] = [body.slug]
    else:
        slugs = subtree_at(body, now).assemblies_under(body.slug)
    on_roll = Membership.objects.filter(current(now), assembly__slug__in=list(slugs))
    return Member.objects.filter(pk__in=on_roll.values("member_id"))


def mandate_decided(mandate_id: int) -> int:
    """Tell the members of a body that it decided its mandate on a council's item."""
    mandate = Mandate.objects.select_related("member_body", "item__motion", "item__session").get(
        pk=mandate_id
    )
    body = mandate.member_body
    item = mandate.item

    def write(member: Member) -> tuple[str, str]:
        text = _("%(body)s decided its mandate on %(item)s: %(kind)s.\n\n%(link)s\n\n") % {
            "body": body.name,
            "item": item.motion.title,
            "kind": mandate.get_kind_display(),
            "link": _link("web:session", item.session_id),
        }
        return _("Mandate decided in %(body)s") % {"body": body.name}, text + footer()

    members = members_under(body)
    return send_notices(NoticeKind.MANDATE_DECIDED, f"mandate:{mandate.pk}", members, write)


def recall_petition_opened(petition_id: int) -> int:
    """Tell the members of the body that elected a delegate or officer that a recall petition
    concerning them opened."""
    petition = Petition.objects.select_related("body", "term__holder").get(pk=petition_id)
    if petition.term is None:
        return 0
    term = petition.term

    def write(member: Member) -> tuple[str, str]:
        text = _(
            "A petition to recall %(name)s (%(office)s of %(body)s) opened; it needs %(n)d "
            "signatures.\n\n%(link)s\n\n"
        ) % {
            "name": term.holder.name,
            "office": term.office,
            "body": petition.body.name,
            "n": petition.required,
            "link": _link("web:petition", petition.pk),
        }
        return _("Petition to recall %(name)s") % {"name": term.holder.name}, text + footer()

    # The member who opened it knows.
    members = members_under(petition.body).exclude(pk=petition.opened_by_id)
    return send_notices(NoticeKind.RECALL_PETITION, f"petition:{petition.pk}", members, write)


def _mandate_vote_opened(vote: Vote, electors: QuerySet[Member]) -> int:
    """Tell a body's electors that their vote on its mandate on a council's item opened."""
    motion = vote.motion
    assert motion is not None
    item = motion.council_item
    assert item is not None
    session = item.session

    def write(member: Member) -> tuple[str, str]:
        text = _(
            "%(body)s votes its mandate on %(item)s, item %(number)s of %(session)s of "
            "%(council)s. The vote closes at %(closes)s UTC; the session opens at %(starts)s "
            "UTC.\n\n%(link)s\n\n"
        ) % {
            "body": vote.body.name,
            "item": item.motion.title,
            "number": item.number,
            "session": session.title,
            "council": session.body.name,
            "closes": _when(vote.closes_at) if vote.closes_at else "-",
            "starts": _when(session.starts_at),
            "link": _vote_link(vote),
        }
        return _("Mandate vote open in %(body)s") % {"body": vote.body.name}, text + footer()

    return send_notices(NoticeKind.MANDATE_VOTE, f"vote:{vote.pk}", electors, write)


def agenda_sent(session_id: int) -> int:
    """Tell the members of each of a council's member bodies that its session's agenda reached
    them, and by when their body decides its mandates: before the session opens."""
    session = Session.objects.select_related("body").get(pk=session_id)
    if session.agenda_sent_at is None or session.opened_at is not None:
        return 0
    items = list(session.items.select_related("motion").order_by("number"))
    listed = "\n".join(f"{item.number}. {item.motion.title}" for item in items)
    sent = 0
    for body in member_bodies_at(session.body, clock.now()).order_by("pk"):

        def write(member: Member, body: Body = body) -> tuple[str, str]:
            text = _(
                "The agenda of %(session)s of %(council)s reached %(body)s. %(body)s decides "
                "its mandate on each item before the session opens at %(starts)s UTC:\n\n"
                "%(items)s\n\n%(link)s\n\n"
            ) % {
                "session": session.title,
                "council": session.body.name,
                "body": body.name,
                "starts": _when(session.starts_at),
                "items": listed,
                "link": _link("web:session", session.pk),
            }
            title = _("Agenda of %(council)s: mandates for %(body)s to decide") % {
                "council": session.body.name,
                "body": body.name,
            }
            return title, text + footer()

        sent += send_notices(
            NoticeKind.AGENDA_SENT, f"session:{session.pk}", members_under(body), write
        )
    return sent


def candidacies_open(election_id: int) -> int:
    """Tell those who may stand in an election taking candidacies that it does: the members of
    the body, or of every assembly under a council, but those who stand already."""
    election = Election.objects.select_related("body", "council").get(pk=election_id)
    if election.vote_id is not None:
        return 0
    body = election.body

    def write(member: Member) -> tuple[str, str]:
        office = _(office_words(election.office))
        if election.council is not None:
            office = f"{office} → {election.council.name}"
        text = _(
            "%(body)s elects its %(office)s and takes candidacies: you may stand, with a "
            "statement to the electors, until nominations close.\n\n%(link)s\n\n"
        ) % {"body": body.name, "office": office, "link": _link("web:election", election.pk)}
        return _("Election in %(body)s: candidacies open") % {"body": body.name}, text + footer()

    standing = election.candidacies.values("member_id")
    members = members_under(body).exclude(pk__in=standing)
    return send_notices(NoticeKind.CANDIDACIES, f"election:{election.pk}", members, write)


def ratification_pending(decision_id: int) -> int:
    """Tell the members of each member body of a council that has not answered its provisional
    decision that it awaits their body's ratification, and until when."""
    decision = (
        ratifications_pending(clock.now())
        .select_related("body", "motion", "vote__session")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return 0
    session = decision.vote.session
    council = decision.body
    title = decision.motion.title if decision.motion is not None else decision.vote.question
    answered = set(decision.ratifications.values_list("member_body_id", flat=True))
    sent = 0
    for body in member_bodies_at(council, clock.now()).order_by("pk"):
        if body.pk in answered:
            continue

        def write(member: Member, body: Body = body) -> tuple[str, str]:
            until = (
                _("It binds only if enough member bodies ratify it by %(when)s UTC.")
                % {"when": _when(decision.ratify_by)}
                if decision.ratify_by is not None
                else ""
            )
            text = _(
                "%(council)s decided %(title)s provisionally, and %(body)s has not answered. "
                "%(until)s\n\n%(link)s\n\n"
            ) % {
                "council": council.name,
                "title": title,
                "body": body.name,
                "until": until,
                "link": _link("web:session", session.pk)
                if session is not None
                else _link("web:body", council.slug),
            }
            subject = _("A decision of %(council)s awaits ratification by %(body)s") % {
                "council": council.name,
                "body": body.name,
            }
            return subject, text + footer()

        sent += send_notices(
            NoticeKind.RATIFICATION, f"decision:{decision.pk}", members_under(body), write
        )
    return sent


def implementation_overdue(implementation_id: int) -> int:
    """Tell those who carry a decision out, and its body's secretary, that its date passed
    with no report that it is done."""
    now = clock.now()
    implementation = (
        overdue_implementations(now)
        .select_related("decision__motion", "decision__body", "decision__vote")
        .filter(pk=implementation_id)
        .first()
    )
    if implementation is None:
        return 0
    decision = implementation.decision
    title = decision.motion.title if decision.motion is not None else decision.vote.question
    secretaries = Term.objects.filter(terms_held(now), body=decision.body, office=SECRETARY)
    recipients = Member.objects.filter(
        Q(pk__in=implementation.implementers.values("pk")) | Q(pk__in=secretaries.values("holder"))
    )

    def write(member: Member) -> tuple[str, str]:
        text = _(
            "%(body)s decided %(title)s, to be carried out by %(date)s, and no report says it "
            "is done. Those who carry it out report their progress on its page.\n\n"
            "%(link)s\n\n"
        ) % {
            "body": decision.body.name,
            "title": title,
            "date": f"{implementation.due_on:%Y-%m-%d}",
            "link": _link("web:motion", decision.motion_id)
            if decision.motion_id is not None
            else _link("web:body", decision.body.slug),
        }
        return _("Past its date: %(title)s") % {"title": title}, text + footer()

    return send_notices(
        NoticeKind.OVERDUE, f"implementation:{implementation.pk}", recipients, write
    )


def send_due_notices() -> int:
    """Send what the clock calls for: each agenda waiting for mandates, each election taking
    candidacies, each provisional decision awaiting ratification, each decision past its date;
    to each member once (a member admitted meanwhile is told at the next run)."""
    now = clock.now()
    sent = 0
    waiting = Session.objects.filter(
        agenda_sent_at__isnull=False,
        opened_at__isnull=True,
        closed_at__isnull=True,
        starts_at__gt=now,
    )
    for session_id in waiting.order_by("pk").values_list("pk", flat=True):
        sent += agenda_sent(session_id)
    taking = Election.objects.filter(vote__isnull=True).order_by("pk")
    for election_id in taking.values_list("pk", flat=True):
        sent += candidacies_open(election_id)
    for decision_id in ratifications_pending(now).order_by("pk").values_list("pk", flat=True):
        sent += ratification_pending(decision_id)
    overdue = overdue_implementations(now).filter(due_on__gte=(now - OVERDUE_TOLD_FOR).date())
    for implementation_id in overdue.order_by("pk").values_list("pk", flat=True):
        sent += implementation_overdue(implementation_id)
    return sent


def charge_filed(charge_id: int) -> int:
    """Tell the accused of a charge filed: the member, the statement's author, or the accused
    body's secretary and delegates to the council; what it says, and by when to reply."""
    charge = Charge.objects.select_related(
        "body", "accused_member", "accused_body", "statement"
    ).get(pk=charge_id)
    now = clock.now()
    if charge.accused_member_id is not None:
        recipients = Member.objects.filter(pk=charge.accused_member_id)
    elif charge.statement is not None:
        recipients = Member.objects.filter(pk=charge.statement.author_id)
    else:
        accused = charge.accused_body
        assert accused is not None
        secretaries = Term.objects.filter(terms_held(now), body=accused, office=SECRETARY)
        delegates = Term.objects.filter(terms_held(now), body=accused, council=charge.body)
        recipients = Member.objects.filter(
            Q(pk__in=secretaries.values("holder")) | Q(pk__in=delegates.values("holder"))
        )

    def write(member: Member) -> tuple[str, str]:
        text = _(
            "A charge was filed before %(body)s:\n\n%(text)s\n\nYou may reply in writing "
            "until %(due)s UTC; the charge is heard only after your reply, or after that date "
            "without one.\n\n%(link)s\n\n"
        ) % {
            "body": charge.body.name,
            "text": charge.text,
            "due": _when(reply_due(charge)),
            "link": _link("web:charge", charge.pk),
        }
        return _("A charge before %(body)s: your reply") % {"body": charge.body.name}, text

    return send_notices(NoticeKind.CHARGE, f"charge:{charge.pk}", recipients, write)
