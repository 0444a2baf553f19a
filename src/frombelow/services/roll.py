"""The membership roll: the elected membership officer previews a roll file, then admits it.

Previewing stores nothing: it reads the file (`core.roll`), names every row it cannot admit, and
seals the rows it would admit in a signed token that only this officer can bring back, for this
assembly, within an hour. Importing the token admits every row in one transaction, one record
entry per admission (through `bodies.admit`, the step every way of admitting shares), and marks
the new members' invitations due, which `frombelow notify` sends (services/invites.py). The roll
exports in the same columns, to the officer only: it holds the members' contact details (MODEL.md
section 8).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models.functions import Lower

from frombelow.core.errors import FederationError
from frombelow.core.roll import BadRow, RollError, RollRow, decode, parse_roll, write_roll
from frombelow.db.models import Body, Member, Membership
from frombelow.services import clock
from frombelow.services.bodies import Admission, admit_all, register_all, require_admitting_officer
from frombelow.services.queries.bodies import memberships_at
from frombelow.services.record import Actor
from frombelow.services.standing import MEMBERSHIP_OFFICER, require_officer

SALT = "frombelow.roll-preview"
# Long enough to read a preview and confirm it; short enough that a forgotten tab's preview
# does not admit a roll that has since been corrected.
PREVIEW_SECONDS = 3600


@dataclass(frozen=True)
class RollPreview:
    """What importing a roll would do: the rows it admits, the rows it cannot, and its token."""

    assembly: str
    rows: tuple[RollRow, ...]
    bad: tuple[BadRow, ...]
    token: str  # the rows to admit, signed; `import_roll` takes it back


def preview_roll(*, actor: Actor, assembly: Body, data: bytes | str) -> RollPreview:
    """Read a roll file for the assembly and say what importing it would do; store nothing."""
    officer = _keeper(actor, assembly, "previewing a roll")
    parsed = parse_roll(decode(data) if isinstance(data, bytes) else data)
    on_roll = _on_roll(assembly, parsed.rows)
    rows = tuple(row for row in parsed.rows if row.line not in on_roll)
    bad = tuple(sorted((*parsed.bad, *on_roll.values()), key=lambda b: b.line))
    payload = {
        "assembly": assembly.slug,
        "officer": officer.pk,
        "rows": [[r.line, r.name, r.email, r.member_number] for r in rows],
    }
    token = signing.dumps(payload, salt=SALT, compress=True)
    return RollPreview(assembly.slug, rows, bad, token)


@transaction.atomic(durable=True)
def import_roll(*, actor: Actor, assembly: Body, token: str) -> list[Membership]:
    """Admit every row of a preview in one act: all of them, or none if the roll has changed."""
    officer = _keeper(actor, assembly, "importing a roll")
    rows = _unseal(token, assembly, officer)
    changed = _on_roll(assembly, rows)
    if changed:
        first = min(changed)
        raise FederationError(
            "%(row)s since the preview: preview the roll again, nothing was admitted",
            row=changed[first].refusal,
        )
    people = _people(actor, rows)
    # admit_all also gives each new member with an address an account, and marks their
    # invitation due in this transaction (`frombelow notify` sends it).
    return admit_all(
        actor=actor,
        assembly=assembly,
        admissions=[Admission(p, row.member_number) for p, row in zip(people, rows, strict=True)],
        by="membership officer",
        decision=None,
    )


def export_roll(*, actor: Actor, assembly: Body) -> str:
    """Return the assembly's current roll as CSV (name, e-mail, member number), by name."""
    require_officer(actor, assembly, MEMBERSHIP_OFFICER, clock.now(), "exporting the roll")
    memberships = (
        memberships_at(assembly, clock.now())
        .select_related("member")
        .order_by("member__name", "member_id")
    )
    return write_roll(
        RollRow(0, m.member.name, m.member.email, m.member_number) for m in memberships
    )


def _keeper(actor: Actor, assembly: Body, what: str) -> Member:
    if assembly.kind != Body.Kind.ASSEMBLY:
        raise FederationError(
            "%(body)r is a council: its members are bodies, no roll", body=assembly.slug
        )
    return require_admitting_officer(actor, assembly, what)


def _unseal(token: str, assembly: Body, officer: Member) -> list[RollRow]:
    """Return the rows a preview sealed, refusing a token altered, expired or not this one's."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=PREVIEW_SECONDS)
    except signing.SignatureExpired:
        raise RollError("the preview is more than an hour old: preview the roll again") from None
    except signing.BadSignature:
        raise RollError("the preview token is not one this installation issued") from None
    if payload.get("assembly") != assembly.slug or payload.get("officer") != officer.pk:
        raise RollError(
            "the preview was not made by %(officer)s for %(body)r",
            officer=officer.name,
            body=assembly.slug,
        )
    rows = [RollRow(*cells) for cells in payload["rows"]]
    if not rows:
        raise RollError("the preview admits no one: every row of the file was refused")
    return rows


def _on_roll(assembly: Body, rows: tuple[RollRow, ...] | list[RollRow]) -> dict[int, BadRow]:
    """Name the rows whose e-mail or member number is already on the assembly's roll, by line."""
    emails: set[str] = set()
    numbers: set[str] = set()
    for email, number in memberships_at(assembly, clock.now()).values_list(
        "member__email", "member_number"
    ):
        if email:
            emails.add(email.lower())
        if number:
            numbers.add(number)
    found: dict[int, BadRow] = {}
    for row in rows:
        if row.email and row.email.lower() in emails:
            why = RollError(
                "%(email)s is already on the roll of %(assembly)r",
                email=row.email,
                assembly=assembly.slug,
            )
        elif row.member_number and row.member_number in numbers:
            why = RollError(
                "member number %(number)s is already on the roll of %(assembly)r",
                number=row.member_number,
                assembly=assembly.slug,
            )
        else:
            continue
        found[row.line] = BadRow(row.line, "already-member", why)
    return found


def _people(actor: Actor, rows: list[RollRow]) -> list[Member]:
    """Return the person each row names: the one member registered with its e-mail, or a new one."""
    # A person in two assemblies is one member (they vote once in a referendum), so a roll that
    # names a registered member's address admits that member rather than a double.
    known: dict[str, list[Member]] = {}
    addresses = {row.email.lower() for row in rows if row.email}
    for member in Member.objects.annotate(address=Lower("email")).filter(address__in=addresses):
        known.setdefault(member.email.lower(), []).append(member)
    found = [_one(known.get(row.email.lower(), [])) if row.email else None for row in rows]
    new = iter(
        register_all(
            actor=actor,
            people=[(row.name, row.email) for row, f in zip(rows, found, strict=True) if not f],
        )
    )
    return [f if f is not None else next(new) for f in found]


def _one(members: list[Member]) -> Member | None:
    # Two members registered with one address cannot be told apart: the row is a new person.
    return members[0] if len(members) == 1 else None
