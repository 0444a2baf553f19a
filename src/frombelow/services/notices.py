"""Notices by e-mail: a vote opens in my body, a vote closes within a day, my body's mandate is
decided, a recall petition concerns my body's delegate. Each member chooses which they get.

The acts send their notices once their transaction has committed (`after_commit`): a notice never
tells of an act that was rolled back, and a mail server that fails cannot undo the act. A vote
closing is no act, so the clock-driven `send_closing_notices` (the `frombelow notify` command)
finds those votes. Every notice sent is remembered (`NoticeSent`), so that no notice is sent to
one member twice, however often a sender runs.

Each notice is written in its recipient's language (`Member.language`, which they choose on the
site), or the installation's where they chose none: one sending may speak several.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from frombelow.core.errors import DomainError
from frombelow.db.models import (
    Ballot,
    Body,
    Elector,
    Mandate,
    Member,
    Membership,
    NoticeChoice,
    NoticeKind,
    NoticeSent,
    Participation,
    Petition,
    Referendum,
    Vote,
)
from frombelow.services import clock
from frombelow.services.queries.bodies import current
from frombelow.services.weights import subtree_at

# How long before a vote closes its voters are reminded.
CLOSING_NOTICE = timedelta(days=1)


def choices_of(member: Member) -> dict[str, bool]:
    """Return, for every kind of notice, whether the member gets it (every kind by default)."""
    chosen = dict(NoticeChoice.objects.filter(member=member).values_list("kind", "wanted"))
    return {kind: chosen.get(kind, True) for kind in NoticeKind.values}


@transaction.atomic(durable=True)
def choose_notices(*, member: Member, wanted: Iterable[str]) -> dict[str, bool]:
    """Set which kinds of notice the member gets: those in `wanted`, and no others."""
    chosen = set(wanted)
    unknown = chosen - set(NoticeKind.values)
    if unknown:
        raise DomainError("no such kind of notice: %(kinds)s", kinds=", ".join(sorted(unknown)))
    for kind in NoticeKind.values:
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
    write: Callable[[Member], tuple[str, str]],
) -> int:
    """Send a notice of `kind` about `subject` to each recipient who wants it and has not had it.

    `write` gives a member's notice as (subject line, body). Return how many were sent.
    """
    # Recipients stay a query (an electorate can be large): only those with an address, who did
    # not turn this kind off, are read.
    refused = NoticeChoice.objects.filter(kind=kind, wanted=False).values("member_id")
    wanting = recipients.exclude(email="").exclude(pk__in=refused).order_by("pk")
    messages = []
    for member in wanting.iterator():
        if not _remember(member, kind, subject):
            continue
        with translation.override(member.language or settings.LANGUAGE_CODE):
            title, body = write(member)
        messages.append(EmailMessage(title, body, to=[member.email]))
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


def _footer() -> str:
    return _("Choose which notices you get: %(link)s") % {
        "link": settings.FROMBELOW_BASE_URL.rstrip("/") + reverse("web:notices")
    }


def vote_opened(vote_id: int) -> int:
    """Tell a vote's electors that it opened in their body."""
    vote = Vote.objects.select_related("body").get(pk=vote_id)
    electors = _electors(vote)

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
        return _("Vote open in %(body)s") % {"body": vote.body.name}, body + _footer()

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
        return _("Referendum in %(body)s") % {"body": referendum.council.name}, body + _footer()

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
            }, body + _footer()

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
            return title, body + _footer()

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
        return _("Mandate decided in %(body)s") % {"body": body.name}, text + _footer()

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
        return _("Petition to recall %(name)s") % {"name": term.holder.name}, text + _footer()

    # The member who opened it knows.
    members = members_under(petition.body).exclude(pk=petition.opened_by_id)
    return send_notices(NoticeKind.RECALL_PETITION, f"petition:{petition.pk}", members, write)
