"""First statutes to start a founding from: a few kinds of assembly, every rule editable.

A template is only a proposal the convenor starts from (MODEL 1: a body gives itself its statute):
the convening form shows its rules filled in, the convenor changes any of them, and the founders
accept the statute as it then stands. Nothing here binds a body once founded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_noop

from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json


@dataclass(frozen=True)
class StatuteTemplate:
    """A named first statute: its code, its name and description in words, its rules."""

    code: str
    label: str  # English words the catalogue translates (gettext_noop below)
    description: str
    statute: Statute


TEMPLATES: Mapping[str, StatuteTemplate] = {
    t.code: t
    for t in (
        StatuteTemplate(
            "union-section",
            gettext_noop("Union section"),
            gettext_noop(
                "Workers of one workplace or trade. The elected membership officer admits new "
                "members; a fifth of the members must vote for a decision to count; officers "
                "rotate after three terms."
            ),
            Statute(
                quorum=Fraction(1, 5),
                officer_admits_members=True,
                min_founders=3,
                rotation_limit=3,
            ),
        ),
        StatuteTemplate(
            "cooperative",
            gettext_noop("Cooperative"),
            gettext_noop(
                "Worker-owners of one enterprise. The assembly admits each new member by its own "
                "vote; half of the members must vote; decisions need two thirds of the votes."
            ),
            Statute(
                quorum=Fraction(1, 2),
                threshold=Threshold(share=Fraction(2, 3), strict=False),
                officer_admits_members=False,
                min_founders=3,
            ),
        ),
        StatuteTemplate(
            "tenants-assembly",
            gettext_noop("Tenants' assembly"),
            gettext_noop(
                "Tenants of one building or landlord. The elected membership officer admits new "
                "members; a tenth of the members must vote; votes stay open two days at least."
            ),
            Statute(
                quorum=Fraction(1, 10),
                officer_admits_members=True,
                min_founders=3,
                min_voting_hours=48,
            ),
        ),
        StatuteTemplate(
            "neighbourhood-assembly",
            gettext_noop("Neighbourhood assembly"),
            gettext_noop(
                "Neighbours of one area. The elected membership officer admits new members; a "
                "twentieth of the members must vote; five founders at least; officers rotate "
                "after two terms."
            ),
            Statute(
                quorum=Fraction(1, 20),
                officer_admits_members=True,
                min_founders=5,
                rotation_limit=2,
            ),
        ),
    )
}


def template_named(code: str) -> StatuteTemplate:
    """Return the template of that code, or refuse a code no template has."""
    try:
        return TEMPLATES[code]
    except KeyError:
        raise StatuteError(
            "there is no statute template %(template)r; the templates are: %(templates)s",
            template=code,
            templates=", ".join(TEMPLATES),
        ) from None


def statute_from(template: str, rules: Mapping[str, object]) -> Statute:
    """Return a template's statute (the defaults for no template) with some rules changed.

    `rules` are written as a statute's JSON writes them (a share as "1/10"), by name; an unknown
    rule or a value that cannot hold is refused, as for any statute.
    """
    base = template_named(template).statute if template else Statute()
    return read_statute({**statute_json(base), **rules})


def rules_of(statute: Statute) -> dict[str, object]:
    """Return a statute's rules by name, as its JSON writes them (for a page or an answer)."""
    return dict(statute_json(statute))
