"""A statute in plain sentences: every rule said in words, in the reader's language, and its
history of versions on the body's page with the decision that made each and what it changed."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from frombelow.core.counting.rule import Threshold
from frombelow.core.statutes import ApportionedSeats, PetitionThreshold, Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Motion
from frombelow.web.statute_words import sentences, share_words
from tests.services.world import Clock, propose, vote_in
from tests.web.scene import Scene


def said(statute: Statute) -> list[str]:
    return [sentence for _, group in sentences(statute) for sentence in group]


def test_every_rule_of_the_default_statute_is_a_sentence_with_no_code_in_it() -> None:
    text = said(Statute())
    assert "A vote counts only if at least 10% of those entitled to vote take part." in text
    assert "A motion carries with more than half of the votes cast for and against." in text
    assert (
        "A recall vote opens on a petition of 10% of those who elected the delegate or 5, "
        "whichever is smaller." in text
    )
    assert (
        "One seat is elected by instant runoff (IRV); several seats by single transferable "
        "vote (Scottish rules)." in text
    )
    joined = " ".join(text)
    for code in ("{", "_", "None", "True", "stv-", "1/10", "per-path"):
        assert code not in joined, code


def test_a_statute_of_its_own_is_said_as_it_differs() -> None:
    statute = Statute(
        threshold=Threshold(Fraction(2, 3), "electorate", strict=False),
        rotation_limit=2,
        motion_supporters=1,
        seat_scheme=ApportionedSeats(seats=20),
        recall_petition=PetitionThreshold(Fraction(1, 8), 12, "larger"),
        consent_matters=frozenset({"canteen"}),
    )
    text = said(statute)
    assert "A motion carries with at least two thirds of all those entitled to vote." in text
    assert "No one holds the same seat or office for more than 2 terms in a row." in text
    assert "A motion is put to the vote once 1 member besides its proposer supports it." in text
    assert any(s.startswith("Its 20 seats are shared among the member bodies") for s in text)
    assert (
        "A recall vote opens on a petition of 12.5% of those who elected the delegate or 12, "
        "whichever is larger." in text
    )
    assert "These matters may be decided by consent: canteen." in text


@pytest.mark.parametrize(
    ("share", "words"),
    [(Fraction(1, 2), "half"), (Fraction(1, 10), "10%"), (Fraction(1, 8), "12.5%")],
)
def test_a_share_is_said_in_words_or_as_a_percentage(share: Fraction, words: str) -> None:
    assert share_words(share) == words


def test_the_statute_reads_in_spanish_on_a_spanish_page() -> None:
    with translation.override("es"):
        text = said(Statute())
    assert (
        "Una votación vale solo si participa al menos 10% de quienes tienen derecho a voto." in text
    )
    assert "Un mandato dura como mucho 365 días." in text


@pytest.mark.django_db
def test_the_body_page_shows_each_version_the_decision_that_made_it_and_what_changed(
    scene: Scene, clock: Clock
) -> None:
    crew = scene.dockers
    motion = propose(
        scene.docks,
        crew[0],
        "Longer notice",
        kind=Motion.Kind.AMEND_STATUTE,
        details={"statute": statute_json(Statute(min_notice_hours=96))},
    )
    vote_in(clock, motion, dict.fromkeys(crew, "yes"))
    client = Client()
    assert scene.ana.user is not None
    client.force_login(scene.ana.user)
    page = client.get(reverse("web:body", args=[scene.docks.slug])).text
    assert "Members hear of a motion at least 96 hours before its vote opens." in page
    assert "Version 2, adopted" in page
    assert f'<a href="/motions/{motion.pk}/">Longer notice</a>' in page
    assert "Version 1, adopted" in page
    assert "at its founding" in page
    # Under version 2, the rules it changed, and only those.
    second = page[page.index("Version 2, adopted") : page.index("Version 1, adopted")]
    assert "96 hours" in second
    assert "A term lasts" not in second
