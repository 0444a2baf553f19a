"""The one count of a closed vote, shared by the services and the record's verifier."""

from __future__ import annotations

from fractions import Fraction

from frombelow.core.counting.rule import Threshold
from frombelow.core.counts import VoteRules, count_assembly_vote, count_council_election
from frombelow.core.voting import ranking_of

MOTION = ("yes", "no", "abstain")


def _motion(votes: dict[str, int]) -> list[tuple[tuple[tuple[int, ...], ...], int]]:
    return [(ranking_of("majority", MOTION, [[o]]), n) for o, n in votes.items()]


def test_a_motion_carries_by_the_majority_rule() -> None:
    rules = VoteRules("majority", MOTION, electorate=10, threshold=Threshold(Fraction(1, 2)))
    counted = count_assembly_vote(rules, _motion({"yes": 4, "no": 3}), 7)
    assert (counted.outcome, counted.winners, counted.turnout) == ("carried", ("yes",), 7)
    assert counted.result is not None
    lost = count_assembly_vote(rules, _motion({"yes": 3, "no": 4}), 7)
    assert (lost.outcome, lost.winners) == ("lost", ())


def test_by_consent_a_motion_no_one_objects_to_carries_and_one_objection_sends_it_to_a_vote() -> (
    None
):
    rules = VoteRules("majority", MOTION, electorate=10, by_consent=True)
    assert count_assembly_vote(rules, _motion({"abstain": 5}), 5).outcome == "carried"
    objected = count_assembly_vote(rules, _motion({"abstain": 5, "no": 1}), 6)
    assert objected.outcome == "lost"


def test_a_choice_below_its_quorum_is_inquorate_and_counts_nothing() -> None:
    rules = VoteRules("approval", ("a", "b"), electorate=10, quorum=Fraction(1, 2), chooses=True)
    pairs = [(ranking_of("approval", ("a", "b"), [["a"]]), 1)] * 4
    counted = count_assembly_vote(rules, pairs, 4)
    assert (counted.outcome, counted.winners, counted.result) == ("inquorate", (), None)
    chosen = count_assembly_vote(rules, pairs + pairs[:1], 5)
    assert (chosen.outcome, chosen.winners) == ("chosen", ("a",))


def test_an_election_with_no_ballots_elects_no_one() -> None:
    counted = count_assembly_vote(VoteRules("irv", ("a", "b")), [], 0)
    assert (counted.outcome, counted.winners, counted.result) == ("elected", (), None)


def test_a_council_election_weighs_each_cast_and_the_turnout_is_the_votes_cast() -> None:
    rules = VoteRules("irv", ("a", "b"))
    a, b = (ranking_of("irv", ("a", "b"), [[c]]) for c in ("a", "b"))
    counted = count_council_election(rules, [(a, 5), (b, 2), (b, 2)])
    assert (counted.outcome, counted.winners, counted.turnout) == ("elected", ("a",), 9)
    even = count_council_election(rules, [(a, 1), (b, 1), (b, 1)])
    assert even.winners == ("b",)


def test_a_recorded_seed_repeats_the_draw_of_lots() -> None:
    rules = VoteRules("irv", ("a", "b"))
    a, b = (ranking_of("irv", ("a", "b"), [[c]]) for c in ("a", "b"))
    first = count_council_election(rules, [(a, 1), (b, 1)])
    assert first.result is not None
    seed = first.result.seed
    again = [count_council_election(rules, [(a, 1), (b, 1)], seed).winners for _ in range(5)]
    assert again == [first.winners] * 5
