"""An office is shown in the reader's language when the rules name it, as named otherwise."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from frombelow.services.standing import MEMBERSHIP_OFFICER, SECRETARY


def shown(office: str, language: str) -> str:
    with translation.override(language):
        return Template("{% load offices %}{{ office|office }}").render(Context({"office": office}))


def test_the_rules_offices_are_said_in_words_in_each_language() -> None:
    assert shown(MEMBERSHIP_OFFICER, "en") == "membership officer"
    assert shown(MEMBERSHIP_OFFICER, "es") == "responsable de afiliación"
    assert shown(SECRETARY, "es") == "secretaría"


def test_an_office_a_body_named_itself_is_shown_as_named() -> None:
    assert shown("treasurer of the strike fund", "es") == "treasurer of the strike fund"
