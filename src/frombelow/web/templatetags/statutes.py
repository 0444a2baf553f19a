"""Template filters for statutes: a statute's rules, as its JSON writes them, said in sentences."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from frombelow.services.statute_templates import statute_from
from frombelow.web.statute_words import sentences

register = template.Library()


@register.filter
def in_sentences(rules: Mapping[str, object]) -> list[tuple[str, list[str]]]:
    """Say a statute's rules (a founding's proposed statute) as groups of sentences."""
    return sentences(statute_from("", rules))
