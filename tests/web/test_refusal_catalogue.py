"""Every refusal a reader can meet is raised as a template with its values, and says it in Spanish.

The source is read, not run: each call of a refusal class (`DomainError` and its kinds) in the
packages that speak to readers must pass a literal English template whose placeholders are exactly
the keywords given, and the Spanish catalogue must translate that template with the same
placeholders. A refusal written as an f-string, or added without its translation, fails here.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation

import frombelow
from frombelow.core.errors import CycleError, DecisionError, DomainError, StandingError, Words
from frombelow.db.models import Motion
from frombelow.services.refusals import choice, explain
from frombelow.services.standing import MEMBERSHIP_OFFICER, office_words
from frombelow.web.management.commands.makemessages import ACTS, SPEAKING, refusal_kinds
from tests.web.test_catalogue import LOCALE, entries

SOURCE = Path(frombelow.__file__).parent
PLACEHOLDER = re.compile(r"%\((\w+)\)")
# Keywords a refusal class takes besides its template's values.
NOT_VALUES = {"cycle"}


@dataclass(frozen=True)
class Raised:
    where: str
    template: str | None
    keywords: frozenset[str] | None  # None: passed on as **params, not checked here


@functools.cache
def _sources() -> tuple[tuple[Path, ast.Module], ...]:
    """Return each module of the packages that speak, parsed once, when a test first asks.

    Parsing them when this file is imported slowed every collection of the whole suite, for the
    few tests here; the tests that walk them share one parse.
    """
    parsed = []
    for package in SPEAKING:
        folder = SOURCE.joinpath(*package.split(".")[1:])
        for path in sorted(folder.rglob("*.py")):
            if "management" not in path.parts:
                parsed.append((path, ast.parse(path.read_text(encoding="utf-8"))))
    return tuple(parsed)


def calls(names: Collection[str]) -> Iterator[tuple[str, str, ast.Call]]:
    """Yield (where, name, call) for each call of one of `names` in the packages that speak."""
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in names:
                yield f"{path.relative_to(SOURCE)}:{node.lineno}", name, node


def refusals() -> Iterator[Raised]:
    for where, _, node in calls(refusal_kinds()):
        first = node.args[0] if node.args else None
        template = (
            first.value
            if isinstance(first, ast.Constant) and isinstance(first.value, str)
            else None
        )
        spread = any(k.arg is None for k in node.keywords)
        keywords = frozenset(k.arg for k in node.keywords if k.arg) - NOT_VALUES
        yield Raised(where, template, None if spread else keywords)


@functools.cache
def raised() -> list[Raised]:
    return list(refusals())


def acts() -> Iterator[tuple[str, str]]:
    """Yield (where, phrase) for each literal act a caller names to a function that guards it.

    A variable is a guard passing its own caller's act on; anything else but a literal (a phrase
    built in place, a choice between literals, which xgettext reads only the first of) yields an
    empty phrase, which the test refuses.
    """
    for where, name, node in calls(ACTS):
        given = [
            *node.args[ACTS[name] - 1 : ACTS[name]],
            *(k.value for k in node.keywords if k.arg == "what"),
        ]
        for value in given:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield where, value.value
            elif not isinstance(value, ast.Name):
                # A phrase built here (an f-string) could not be in the catalogue.
                yield where, ""


@functools.cache
def acts_named() -> list[tuple[str, str]]:
    return list(acts())


def spanish() -> dict[str, str]:
    return dict(entries(LOCALE / "es" / "LC_MESSAGES" / "django.po"))


def test_the_source_raises_refusals() -> None:
    # A walk that found nothing would pass every test below.
    assert len(raised()) > 300


def test_every_refusal_is_a_literal_template_with_its_values() -> None:
    not_templates = [r.where for r in raised() if r.template is None]
    assert not_templates == [], "raise refusals with a literal template, not an f-string"
    mismatched = [
        (r.where, sorted(r.keywords), sorted(set(PLACEHOLDER.findall(r.template))))
        for r in raised()
        if r.template is not None
        and r.keywords is not None
        and r.keywords != set(PLACEHOLDER.findall(r.template))
    ]
    assert mismatched == []


def test_every_refusal_is_translated_to_spanish_with_the_same_placeholders() -> None:
    catalogue = spanish()
    missing = sorted({r.template for r in raised() if r.template and not catalogue.get(r.template)})
    assert missing == []
    wrong = [
        template
        for template in {r.template for r in raised() if r.template}
        if set(PLACEHOLDER.findall(template)) != set(PLACEHOLDER.findall(catalogue[template]))
    ]
    assert wrong == []


def test_a_refusal_is_explained_in_the_active_language_and_kept_in_english() -> None:
    refusal = CycleError(
        "%(member)r cannot be a member body of itself", cycle=("a", "a"), member="a"
    )
    assert str(refusal) == "'a' cannot be a member body of itself"
    with translation.override("es"):
        spanish_words = explain(refusal)
    assert "'a'" in spanish_words
    assert spanish_words != str(refusal)
    with translation.override("en"):
        assert explain(refusal) == str(refusal)


def test_a_recast_refusal_keeps_its_template_and_values() -> None:
    refusal = DecisionError("%(n)d is %(what)s", n=3, what="odd")
    recast = refusal.recast(DomainError)
    assert type(recast) is DomainError
    assert (recast.template, dict(recast.params), str(recast)) == (
        "%(n)d is %(what)s",
        {"n": 3, "what": "odd"},
        "3 is odd",
    )


@pytest.mark.parametrize("template", ["100% of the members", "a quorum of 1/2"])
def test_a_template_without_values_is_said_as_written(template: str) -> None:
    assert str(DomainError(template)) == template
    assert explain(DomainError(template)) == template


def test_every_act_a_refusal_names_is_translated_to_spanish() -> None:
    named = acts_named()
    assert len(named) > 30
    assert [where for where, phrase in named if not phrase] == []
    catalogue = spanish()
    assert sorted({phrase for _, phrase in named if not catalogue.get(phrase)}) == []


def test_every_phrase_marked_as_words_is_translated_to_spanish() -> None:
    marked = [
        (where, node.args[0].value)
        for where, _, node in calls({"Words"})
        if node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]
    assert marked, "the anonymous visitor, at least, is named in Words"
    catalogue = spanish()
    assert [(where, phrase) for where, phrase in marked if not catalogue.get(phrase)] == []


def test_an_act_and_an_office_are_said_in_the_language_of_the_refusal() -> None:
    refusal = StandingError(
        "%(what)s: only the %(office)s that %(body)r elected may do this, and %(member)s "
        "holds no such term",
        what=Words("importing a roll"),
        office=office_words(MEMBERSHIP_OFFICER),
        body="docks",
        member="Ana",
    )
    assert str(refusal).startswith("importing a roll: only the membership officer that 'docks'")
    with translation.override("es"):
        said = explain(refusal)
    assert "importing a roll" not in said
    assert "membership officer" not in said
    assert "'docks'" in said
    assert "Ana" in said


def test_a_stored_code_is_said_by_its_label_and_kept_as_the_code_in_english() -> None:
    refusal = DecisionError(
        "a %(kind)s motion is decided as proposed, not amended",
        kind=choice(Motion.Kind, Motion.Kind.SANCTION_MEMBER),
    )
    assert str(refusal) == "a sanction-member motion is decided as proposed, not amended"
    with translation.override("es"):
        assert "«sancionar a un miembro»" in explain(refusal)
    assert choice(Motion.Kind, "no-such-kind") == "no-such-kind"


def test_a_moment_is_written_as_the_readers_language_writes_it() -> None:
    closed = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)
    refusal = DecisionError(
        "the vote %(question)r closed at %(closes_at)s", question="q", closes_at=closed
    )
    assert str(refusal) == "the vote 'q' closed at 2026-12-04 18:30:00+00:00"
    with translation.override("es"):
        said = explain(refusal)
    assert "diciembre de 2026" in said
    assert "+00:00" not in said
