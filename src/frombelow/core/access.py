"""Who may see and do what: reading a body's internal items, acting in its name, contact details.

MODEL.md section 8 (privacy: contact details only for the officers a body elected for that
purpose), section 3 (mandates and delegation votes visible to the members of the bodies the
delegation represents) and issue 6 ("a member of one body cannot read another body's internal
items or act in its name"). The rules are pure: they take where a person stands at a moment (a
`Viewer`) and the federation graph; the services build both from the database. `docs/access.md`
states the choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from frombelow.core.errors import StandingError, Words
from frombelow.core.federation import Federation

# The office a body elects to keep its roll; its holders see its members' contact details.
MEMBERSHIP_OFFICER = "membership-officer"


class AccessError(StandingError):
    """A read or an act that the access rules refuse to this person."""


@dataclass(frozen=True)
class Viewer:
    """Where a person stands at a moment; an anonymous visitor has no member and stands nowhere."""

    member: int | None = None
    # Assemblies on whose roll the person is (suspended or not).
    assemblies: frozenset[str] = field(default_factory=frozenset)
    # Assemblies that have suspended the person: they read there but do not act.
    suspended: frozenset[str] = field(default_factory=frozenset)
    # Offices held: (body, office), delegates excluded.
    offices: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    # Delegate seats held: (member body the delegate sits for, council).
    delegations: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    @property
    def is_anonymous(self) -> bool:
        """Tell whether the viewer is no member at all."""
        return self.member is None


ANONYMOUS = Viewer()


def readers_of(body: str, federation: Federation) -> frozenset[str]:
    """Return the assemblies whose members may read the body's internal items: its subtree's."""
    return federation.assemblies_under(body)


def reads_as_its_own(viewer: Viewer, body: str) -> bool:
    """Tell whether the viewer reads the body as one of its own: on its roll, or its delegate.

    Needs no federation: an assembly is in its own subtree, so its members are among its readers
    whatever the bodies around it; a caller may skip building the graph when this holds.
    """
    return body in viewer.assemblies or any(council == body for _, council in viewer.delegations)


def may_read(viewer: Viewer, body: str, federation: Federation) -> bool:
    """Tell whether the viewer may read the body's internal items (roll, motions, votes, ...)."""
    if reads_as_its_own(viewer, body):
        return True
    return not viewer.assemblies.isdisjoint(readers_of(body, federation))


def may_act(viewer: Viewer, body: str, federation: Federation) -> bool:
    """Tell whether the viewer takes part in the body: a member not suspended, or a delegate."""
    if federation.body(body).kind == "assembly":
        return body in viewer.assemblies and body not in viewer.suspended
    return any(council == body for _, council in viewer.delegations)


def holds(viewer: Viewer, body: str, office: str) -> bool:
    """Tell whether the viewer holds the office that the body elected."""
    return (body, office) in viewer.offices


def may_see_contact(viewer: Viewer, member: int, assemblies: Iterable[str]) -> bool:
    """Tell whether the viewer sees a member's contact details: the member themself, or a
    membership officer elected by one of the assemblies the member belongs to."""
    if viewer.member is not None and viewer.member == member:
        return True
    return not contact_keepers(viewer).isdisjoint(assemblies)


def contact_keepers(viewer: Viewer) -> frozenset[str]:
    """Return the assemblies whose members' contact details the viewer sees as the membership
    officer they elected (besides the viewer's own details, which they always see)."""
    return frozenset(body for body, office in viewer.offices if office == MEMBERSHIP_OFFICER)


def require_read(viewer: Viewer, body: str, federation: Federation) -> None:
    """Refuse the viewer a body's internal items unless the access rules let them read."""
    if may_read(viewer, body, federation):
        return
    raise AccessError(
        "%(who)s may not read %(body)r: only the members of the assemblies it is made of may",
        who=_who(viewer),
        body=body,
    )


def require_act(viewer: Viewer, body: str, federation: Federation) -> None:
    """Refuse the viewer an act in the body unless they take part in it."""
    if may_act(viewer, body, federation):
        return
    who = _who(viewer)
    if federation.body(body).kind == "council":
        raise AccessError(
            "%(who)s may not act in %(body)r: only its delegates may", who=who, body=body
        )
    if body in viewer.suspended:
        raise AccessError(
            "%(who)s is suspended in %(body)r and may not act there", who=who, body=body
        )
    raise AccessError("%(who)s may not act in %(body)r: only its members may", who=who, body=body)


def _who(viewer: Viewer) -> str:
    # The anonymous visitor is named in words the catalogue translates; a member by their id.
    return Words("an anonymous visitor") if viewer.is_anonymous else f"member:{viewer.member}"
