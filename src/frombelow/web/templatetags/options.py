"""A vote's options and a decision's standing in the reader's language: yes, no and abstain are
words of the site, any other option (a candidate, a choice a motion put) is shown as it was
written; a standing is one of `queries.decisions.standing_of`'s words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# The options every motion is put with (services.votes.MOTION_OPTIONS), as the catalogue has them.
WORDS = {"yes": gettext_noop("yes"), "no": gettext_noop("no"), "abstain": gettext_noop("abstain")}


@register.filter
def option(code: str) -> str:
    """Return a vote's option in the active language."""
    return gettext(WORDS[code]) if code in WORDS else code


# Where a decision stands (`queries.decisions.standing_of`), as the catalogue has it.
STANDINGS = {
    "binding": gettext_noop("binding"),
    "not carried": gettext_noop("not carried"),
    "pending": gettext_noop("pending"),
    "ratified": gettext_noop("ratified"),
    "rejected": gettext_noop("rejected"),
    "lapsed": gettext_noop("lapsed"),
}


@register.filter
def standing(code: str) -> str:
    """Return where a decision stands in the active language: binding, pending, ratified..."""
    return gettext(STANDINGS[code]) if code in STANDINGS else code
