"""`{{ term.office|office }}`: an office in the reader's language.

The rules' own offices (secretary, membership officer, delegate) are stored by a code word and
shown in words from the catalogue; an office a body elects under a name of its own is shown as the
body named it.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from frombelow.services.standing import office_words

register = template.Library()


@register.filter
def office(code: str) -> str:
    """Return the office's name in the active language."""
    return gettext(office_words(code))
