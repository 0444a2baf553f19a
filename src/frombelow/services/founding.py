"""Founding an assembly from nothing: a person convenes it, each founder accepts by their own act.

MODEL 1: a person convenes the founding of an assembly and invites its founders; each founder
accepts by their own act; the assembly exists once the statute's minimum of founders has accepted,
and its founders elect its first officers at once. Nobody is appointed, the convenor and the
installation's operator included: the convenor is one founder among the others, and holds no
office until the founders elect one. A founder invited who has not accepted is never a member.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from frombelow.core.errors import (
    DecisionError,
    DomainError,
    FederationError,
    StandingError,
    StatuteError,
)
from frombelow.core.record.entry import format_timestamp
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import Body, Election, Founder, Founding, Member
from frombelow.services import bodies, clock, invites
from frombelow.services.council_foundings import NAME_LENGTH, check_name, check_slug
from frombelow.services.motion_kinds import SYSTEM
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import MEMBERSHIP_OFFICER, SECRETARY, as_member

log = logging.getLogger(__name__)

# A founding that has not gathered its founders within this time lapses, and frees its short name
# for another: nothing holds a name for ever on one person's word.
FOUNDING_DAYS = 30
# The most founders one convening invites: a founding is a meeting of people, not a roll import.
MOST_INVITED = 200
# The first offices the founders elect, at once: the roll's keeper and the meetings' secretary.
FIRST_OFFICES = (MEMBERSHIP_OFFICER, SECRETARY)


@dataclass(frozen=True)
class Invitee:
    """A founder to invite: their name and the address their invitation goes to."""

    name: str
    email: str


def _checked_invitees(convenor: Member, invitees: Sequence[Invitee]) -> list[Invitee]:
    """Return the invitees with tidy names and addresses, refusing a bad or repeated one."""
    seen = {convenor.email.strip().lower()} - {""}
    checked = []
    for n, invitee in enumerate(invitees, start=1):
        name, email = invitee.name.strip(), invitee.email.strip()
        if not name or len(name) > NAME_LENGTH:
            raise DomainError("founder %(n)s needs a name of at most 200 characters", n=n)
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                "founder %(n)s: %(email)r is no e-mail address", n=n, email=email
            ) from None
        if email.lower() in seen:
            raise DomainError(
                "founder %(n)s: %(email)s is invited already, or is the convenor's own address",
                n=n,
                email=email,
            )
        seen.add(email.lower())
        checked.append(Invitee(name, email))
    return checked


def _people(convenor: Member, invitees: Sequence[Invitee]) -> list[Member]:
    """Return the member each invitee is: the one their address names, or a new one registered."""
    # A person is one member, however many assemblies they belong to: an address already known
    # invites that member (the one with an account, where several share the address).
    if not invitees:
        return []
    by_address = Q()
    for invitee in invitees:
        by_address |= Q(email__iexact=invitee.email)
    known: dict[str, Member] = {}
    for member in Member.objects.filter(by_address).order_by("pk"):
        address = member.email.lower()
        if address not in known or (known[address].user_id is None and member.user_id):
            known[address] = member
    new = [i for i in invitees if i.email.lower() not in known]
    registered = iter(
        bodies.register_members(
            actor=convenor, names=[i.name for i in new], emails=[i.email for i in new]
        )
        if new
        else []
    )
    return [known.get(i.email.lower()) or next(registered) for i in invitees]


@transaction.atomic(durable=True)
def convene_founding(
    *,
    actor: Actor,
    name: str,
    slug: str,
    statute: Statute,
    invitees: Sequence[Invitee],
    template: str = "",
) -> Founding:
    """Convene the founding of an assembly under a first statute, inviting its founders.

    The convenor is its first founder by convening it; the others are asked by e-mail, and each
    answers by their own act (`accept_founding`, `decline_founding`).
    """
    convenor = as_member(actor, "convening the founding of an assembly")
    if not isinstance(statute, Statute):
        raise StatuteError("a body is founded with a Statute, not %(statute)r", statute=statute)
    name, slug = check_name(name), check_slug(slug)
    now = clock.now()
    if Founding.objects.filter(slug=slug, body__isnull=True, lapses_at__gt=now).exists():
        raise FederationError(
            "the founding of an assembly %(slug)r is under way already", slug=slug
        )
    if len(invitees) > MOST_INVITED:
        raise DomainError(
            "a founding invites at most %(most)s founders; admit the rest once it is founded",
            most=MOST_INVITED,
        )
    checked = _checked_invitees(convenor, invitees)
    if len(checked) + 1 < statute.min_founders:
        raise FederationError(
            "the statute asks for %(least)s founders, the convenor among them: invite at least "
            "%(more)s",
            least=statute.min_founders,
            more=statute.min_founders - 1,
        )
    people = _people(convenor, checked)
    founding = Founding.objects.create(
        name=name,
        slug=slug,
        template=template,
        rules=statute_json(statute),
        convenor=convenor,
        convened_at=now,
        lapses_at=now + timedelta(days=FOUNDING_DAYS),
    )
    # Convening is the convenor's own acceptance: they found it with the others, no more.
    Founder.objects.create(founding=founding, member=convenor, invited_at=now, accepted_at=now)
    Founder.objects.bulk_create(
        Founder(founding=founding, member=m, invited_at=now) for m in people
    )
    append_entry(
        actor=convenor,
        action="founding.convened",
        subject=f"founding:{founding.pk}",
        data={
            "name": name,
            "slug": slug,
            "template": template,
            "statute": statute_json(statute),
            "invited": [f"member:{m.pk}" for m in people],
            "lapses_at": format_timestamp(founding.lapses_at),
        },
    )
    _ask(founding, people)
    return founding


def _ask(founding: Founding, people: Sequence[Member]) -> None:
    """Send the founders their invitations once the act commits.

    Those with no account get one, and an invitation to set its password, sent shortly by
    `frombelow notify` (services/invites); those who sign in already are told by e-mail now.
    """
    asked = {m.pk for m in invites.prepare_accounts(people)}
    told = [m for m in people if m.pk not in asked and m.email]
    if told:
        pk = founding.pk
        transaction.on_commit(lambda: _tell(pk, [m.pk for m in told]))


def _convenor_of(actor: Actor, founding: Founding, what: str) -> Member:
    """Return the acting member if they convened the founding; refuse anyone else."""
    member = as_member(actor, what)
    if member.pk != founding.convenor_id:
        raise StandingError(
            "%(what)s: only %(convenor)s, who convened the founding of %(assembly)s, may",
            what=what,
            convenor=founding.convenor.name,
            assembly=founding.name,
        )
    return member


@transaction.atomic(durable=True)
def invite_founders(*, actor: Actor, founding: Founding, invitees: Sequence[Invitee]) -> Founding:
    """Invite more founders to a founding under way: its convenor's act, until it is founded."""
    founding = _open(founding, clock.now())
    convenor = _convenor_of(actor, founding, "inviting founders")
    if not invitees:
        raise DomainError("name at least one founder to invite")
    invited = Founder.objects.filter(founding=founding).count()
    if invited + len(invitees) > MOST_INVITED + 1:
        raise DomainError(
            "a founding invites at most %(most)s founders; admit the rest once it is founded",
            most=MOST_INVITED,
        )
    people = _people(convenor, _checked_invitees(convenor, invitees))
    already = Founder.objects.filter(founding=founding, member__in=people)
    if already.exists():
        raise DomainError(
            "invited already: %(names)s",
            names=", ".join(sorted(f.member.name for f in already.select_related("member"))),
        )
    now = clock.now()
    Founder.objects.bulk_create(
        Founder(founding=founding, member=m, invited_at=now) for m in people
    )
    append_entry(
        actor=convenor,
        action="founding.invited",
        subject=f"founding:{founding.pk}",
        data={"invited": [f"member:{m.pk}" for m in people]},
    )
    _ask(founding, people)
    return founding


@transaction.atomic(durable=True)
def abandon_founding(*, actor: Actor, founding: Founding) -> Founding:
    """End a founding under way before it gathers its founders: its convenor's act. It lapses
    now, as it would at its end, and frees its short name for another."""
    now = clock.now()
    founding = _open(founding, now)
    convenor = _convenor_of(actor, founding, "abandoning a founding")
    founding.lapses_at = now
    founding.save(update_fields=["lapses_at"])
    append_entry(
        actor=convenor,
        action="founding.abandoned",
        subject=f"founding:{founding.pk}",
        data={"lapses_at": format_timestamp(now)},
    )
    return founding


def _tell(founding_pk: int, member_pks: list[int]) -> None:
    """E-mail members who have an account that they are invited to found an assembly."""
    founding = Founding.objects.select_related("convenor").get(pk=founding_pk)
    link = settings.FROMBELOW_BASE_URL.rstrip("/") + reverse("web:founding", args=[founding_pk])
    messages = []
    for member in Member.objects.filter(pk__in=member_pks):
        with translation.override(member.language or settings.LANGUAGE_CODE):
            messages.append(
                EmailMessage(
                    _("You are invited to found %(assembly)s") % {"assembly": founding.name},
                    founding_invitation_text(founding, member, link),
                    to=[member.email],
                )
            )
    try:
        get_connection().send_messages(messages)
    except OSError:  # smtplib's errors are OSErrors; the founding page lists the invitation anyway
        log.exception("telling %d founders of founding %d failed", len(messages), founding_pk)


def founding_invitation_text(founding: Founding, member: Member, link: str) -> str:
    """Return the words that invite a member to found an assembly, in the active language."""
    return _(
        "Hello %(name)s,\n\n%(convenor)s invites you to found the assembly %(assembly)s "
        "together. It exists once %(least)s founders have accepted, each by their own act; its "
        "founders then elect its first officers. Read its first statute and accept or decline "
        "here, before %(lapses)s:\n\n%(link)s\n"
    ) % {
        "name": member.name,
        "convenor": founding.convenor.name,
        "assembly": founding.name,
        "least": read_statute(founding.rules).min_founders,
        "lapses": founding.lapses_at.date().isoformat(),
        "link": link,
    }


def _open(founding: Founding, now: datetime) -> Founding:
    """Lock the founding and refuse it if it is founded already or has lapsed."""
    founding = Founding.objects.select_for_update().get(pk=founding.pk)
    if founding.body_id is not None:
        raise DecisionError(
            "%(assembly)s is founded already: whoever is not among its founders applies to join it",
            assembly=founding.name,
        )
    if founding.lapses_at <= now:
        raise DecisionError(
            "the founding of %(assembly)s lapsed on %(when)s",
            assembly=founding.name,
            when=founding.lapses_at,
        )
    return founding


def _founder(founding: Founding, member: Member) -> Founder:
    """Return the member's invitation to the founding, refusing one not invited or answered."""
    founder = Founder.objects.filter(founding=founding, member=member).first()
    if founder is None:
        raise StandingError(
            "%(member)s is not invited to found %(assembly)s",
            member=member.name,
            assembly=founding.name,
        )
    if founder.accepted_at is not None:
        raise DecisionError(
            "%(member)s has accepted to found %(assembly)s already",
            member=member.name,
            assembly=founding.name,
        )
    if founder.declined_at is not None:
        raise DecisionError(
            "%(member)s declined to found %(assembly)s", member=member.name, assembly=founding.name
        )
    return founder


@transaction.atomic(durable=True)
def accept_founding(*, actor: Actor, founding: Founding) -> Founder:
    """Accept, as an invited founder, to found the assembly; found it once enough have accepted.

    The founder whose acceptance reaches the statute's minimum founds it, with those who have
    accepted and no one else, and the elections of its first officers are called in the same act.
    """
    member = as_member(actor, "accepting to found an assembly")
    now = clock.now()
    founding = _open(founding, now)
    founder = _founder(founding, member)
    founder.accepted_at = now
    founder.save(update_fields=["accepted_at"])
    append_entry(
        actor=member, action="founding.accepted", subject=f"founding:{founding.pk}", data={}
    )
    statute = read_statute(founding.rules)
    accepted = [
        f.member
        for f in founding.founders.filter(accepted_at__isnull=False)
        .select_related("member")
        .order_by("accepted_at", "pk")
    ]
    if len(accepted) >= statute.min_founders:
        body = bodies.found_assembly(
            actor=member, name=founding.name, slug=founding.slug, founders=accepted, statute=statute
        )
        founding.body = body
        founding.save(update_fields=["body"])
        _call_first_elections(body, now)
    return founder


def _call_first_elections(body: Body, now: datetime) -> None:
    """Call, as the system, the elections of the new assembly's first officers, at once.

    The statute's nomination period is not shortened for a founding: it is only the longest the
    founders wait before the vote opens by itself (services/elections.open_due_elections). Any
    founder opens it sooner, once candidates stand (`open_election`), so a founding need not wait;
    and a shorter period would let the first founders to act close it on the others.
    """
    for office in FIRST_OFFICES:
        election = Election.objects.create(body=body, office=office, seats=1, called_at=now)
        append_entry(
            actor=SYSTEM,
            action="election.called",
            subject=f"election:{election.pk}",
            body=body,
            data={"office": office, "council": None, "seats": 1, "because": "founding"},
        )


@transaction.atomic(durable=True)
def decline_founding(*, actor: Actor, founding: Founding) -> Founder:
    """Decline, as an invited founder, to found the assembly: they are never one of its founders."""
    member = as_member(actor, "declining to found an assembly")
    founding = _open(founding, clock.now())
    founder = _founder(founding, member)
    founder.declined_at = clock.now()
    founder.save(update_fields=["declined_at"])
    append_entry(
        actor=member, action="founding.declined", subject=f"founding:{founding.pk}", data={}
    )
    return founder
