"""A statute holds only rules that can work, and is amended only into another that can."""

from __future__ import annotations

from fractions import Fraction

import pytest

from frombelow.core.counting import apportionment, registry
from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import DomainError, StatuteError
from frombelow.core.statutes import (
    APPORTIONMENT_METHODS,
    MULTI_SEAT_METHODS,
    SINGLE_SEAT_METHODS,
    ApportionedSeats,
    OneDelegatePerBody,
    PetitionThreshold,
    RatificationMajority,
    Statute,
)


def test_the_default_statute_holds_the_models_defaults() -> None:
    statute = Statute()
    assert statute.threshold == Threshold()  # simple majority of votes cast
    assert statute.election_method(1) == "irv"
    assert statute.election_method(3) == "stv-scottish"
    assert statute.seat_scheme == OneDelegatePerBody()
    assert statute.recall_petition == PetitionThreshold(Fraction(1, 10), 5, "smaller")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"quorum": Fraction(3, 2)}, "quorum must be a share in \\[0, 1\\]"),
        ({"quorum": 0.5}, "quorum must be an exact Fraction"),
        ({"max_term_days": 0}, "longest term must be a whole number of days of at least 1"),
        ({"max_term_days": True}, "longest term"),
        ({"rotation_limit": 0}, "rotation limit must be at least one term"),
        ({"ratification_days": 0}, "ratification period"),
        ({"mandate_deadline_days": -1}, "mandate deadline"),
        ({"election_notice_days": -1}, "notice before an election"),
        ({"reopening_after_days": -3}, "before reopening"),
        ({"motion_supporters": -1}, "supporters must be a whole number"),
        ({"single_seat_method": "borda"}, "unknown method 'borda' for one seat"),
        ({"multi_seat_method": "irv"}, "method 'irv' cannot fill several seats"),
        ({"member_counting": "twice"}, "'per-path' or 'once'"),
        ({"competences": {"wages"}}, "competences must be a frozenset"),
        ({"consent_matters": frozenset({""})}, "consent_matters must be a frozenset"),
        ({"threshold": Threshold(Fraction(0))}, "threshold must be a share in \\(0, 1\\]"),
        ({"seat_scheme": "proportional"}, "unknown seat scheme"),
    ],
)
def test_a_statute_that_cannot_work_is_refused_saying_which_rule(
    changes: dict[str, object], words: str
) -> None:
    with pytest.raises(StatuteError, match=words):
        Statute().amended(**changes)


def test_amending_makes_a_validated_copy_and_leaves_the_old_statute_as_it_was() -> None:
    old = Statute()
    new = old.amended(quorum=Fraction(1, 3), rotation_limit=2)
    assert (new.quorum, new.rotation_limit) == (Fraction(1, 3), 2)
    assert (old.quorum, old.rotation_limit) == (Fraction(1, 10), None)
    with pytest.raises(StatuteError, match="no rule called dictator"):
        old.amended(dictator="the secretary")


def test_by_default_a_tenth_must_vote_and_an_online_vote_lasts_three_days() -> None:
    assert (Statute().quorum, Statute().min_voting_hours) == (Fraction(1, 10), 72)
    assert Statute(min_voting_hours=0).min_voting_hours == 0
    for hours in (-1, 1.5, True):
        with pytest.raises(StatuteError, match="shortest online vote"):
            Statute(min_voting_hours=hours)  # type: ignore[arg-type]  # the wrong type on purpose


def test_statute_errors_are_domain_errors() -> None:
    with pytest.raises(DomainError):
        Statute(max_term_days=0)


@pytest.mark.parametrize(
    ("threshold", "entitled", "needed"),
    [
        (PetitionThreshold(Fraction(1, 10), 5, "smaller"), 30, 3),  # 10% of 30 is 3 < 5
        (PetitionThreshold(Fraction(1, 10), 5, "smaller"), 300, 5),  # 5 < 30
        (PetitionThreshold(Fraction(1, 10), 5, "larger"), 30, 5),
        (PetitionThreshold(Fraction(1, 10)), 31, 4),  # a share rounds up: 3.1 needs 4
        (PetitionThreshold(Fraction(1, 10)), 0, 1),  # nobody's petition opens nothing
        (PetitionThreshold(Fraction(1, 10)), 1, 1),
    ],
)
def test_a_petition_needs_the_share_or_the_number_as_the_statute_says(
    threshold: PetitionThreshold, entitled: int, needed: int
) -> None:
    assert threshold.required(entitled) == needed


def test_petition_thresholds_refuse_nonsense() -> None:
    with pytest.raises(StatuteError, match="share in \\(0, 1\\]"):
        PetitionThreshold(Fraction(0))
    with pytest.raises(StatuteError, match="at least 1"):
        PetitionThreshold(Fraction(1, 10), 0)
    with pytest.raises(StatuteError, match="'smaller' or 'larger'"):
        PetitionThreshold(Fraction(1, 10), 5, "bigger")  # type: ignore[arg-type]  # on purpose
    with pytest.raises(StatuteError, match="cannot be negative"):
        PetitionThreshold(Fraction(1, 10)).required(-1)


def test_apportioned_seats_need_a_known_method_and_at_least_one_seat_each() -> None:
    assert ApportionedSeats(40).method == "sainte-lague"
    with pytest.raises(StatuteError, match="unknown apportionment method 'jefferson'"):
        ApportionedSeats(40, "jefferson")
    with pytest.raises(StatuteError, match="at least one seat; minimum 0"):
        ApportionedSeats(40, minimum=0)
    with pytest.raises(StatuteError, match="at least one seat: 0"):
        ApportionedSeats(0)


def test_a_ratification_majority_is_a_share_of_the_whole() -> None:
    simple = RatificationMajority()
    assert simple.is_met(3, 5)
    assert not simple.is_met(2, 4)  # half is not more than half
    assert RatificationMajority(Fraction(1, 2), strict=False).is_met(2, 4)
    assert not simple.is_met(0, 0)
    with pytest.raises(StatuteError, match="'number', 'weight' or 'both'"):
        RatificationMajority(by="members")  # type: ignore[arg-type]  # not a basis, on purpose


def test_competences_and_consent_are_named_matters() -> None:
    statute = Statute(competences=frozenset({"strike fund"}), consent_matters=frozenset({"agenda"}))
    assert statute.has_competence("strike fund")
    assert not statute.has_competence("internal affairs of a workplace")
    assert statute.allows_consent("agenda")
    assert not statute.allows_consent("strike fund")
    with pytest.raises(StatuteError, match="at least one seat"):
        statute.election_method(0)


def test_method_names_are_those_of_the_counting_registry() -> None:
    assert set(registry.RULES) >= SINGLE_SEAT_METHODS | MULTI_SEAT_METHODS


def test_apportionment_names_are_those_of_the_apportionment_module() -> None:
    assert set(apportionment.APPORTIONMENT_METHODS) == APPORTIONMENT_METHODS
