"""A motion's vote: thresholds, quorum, abstentions, delegations, exact figures, refusals."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.profile import Ballot, BallotError, Profile
from frombelow.core.counting import majority
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountError, CountOptions, Threshold

OPTIONS = ("yes", "no", "abstain")


def motion(yes: int, no: int, abstain: int = 0) -> Profile:
    """Return a vote of `yes`, `no` and `abstain` members, one ballot each."""
    return Profile.from_rankings(
        OPTIONS, [("yes",)] * yes + [("no",)] * no + [("abstain",)] * abstain
    )


def decide(profile: Profile, **options: object) -> Result:
    """Count the motion with the given options."""
    # CountOptions' own fields by name, some with values that make no sense, on purpose.
    counted = CountOptions(**options)  # type: ignore[arg-type]  # checked by CountOptions
    return majority.RULE.count(profile, counted)


def test_a_simple_majority_of_the_votes_cast_carries() -> None:
    result = decide(motion(51, 49, 30))
    assert (result.outcome, result.elected) == ("carried", ("yes",))
    assert result.valid_votes == 130
    assert result.details["yes share"] == "51/100"  # abstentions are not counted
    assert result.details["threshold votes"] == "50"
    assert result.details["turnout"] == "130"
    assert {k: int(v) for k, v in result.rounds[0].votes.items()} == {
        "yes": 51,
        "no": 49,
        "abstain": 30,
    }
    assert result.rounds[0].note.startswith("carried: 51 yes is more than 1/2")


def test_abstentions_do_not_turn_a_majority_into_a_defeat() -> None:
    assert decide(motion(10, 9, 1000)).outcome == "carried"


def test_a_tie_is_lost_and_the_note_says_so() -> None:
    result = decide(motion(40, 40, 5))
    assert (result.outcome, result.elected) == ("lost", ("no",))
    assert "a tie is lost" in result.rounds[0].note
    assert result.details["yes share"] == "1/2"


def test_two_thirds_is_at_least_two_thirds_of_the_votes_cast() -> None:
    two_thirds = Threshold.parse("two-thirds")
    assert decide(motion(200, 100, 50), threshold=two_thirds).outcome == "carried"
    assert decide(motion(199, 100, 50), threshold=two_thirds).outcome == "lost"
    result = decide(motion(200, 100), threshold=two_thirds)
    assert result.details["threshold kind"] == "at least"
    assert result.details["threshold votes"] == "200"


def test_thresholds_are_exact_where_floating_point_is_not() -> None:
    # 0.55 of 100 is 55.00000000000001 in floating point, which 55 yes would not reach.
    assert 55 < 0.55 * 100
    result = decide(motion(55, 45), threshold=Threshold.parse("11/20"))
    assert result.outcome == "carried"
    assert result.details["threshold votes"] == "55"


def test_an_absolute_majority_counts_the_whole_electorate() -> None:
    absolute = Threshold.parse("absolute")
    lost = decide(motion(60, 10, 20), electorate=121, threshold=absolute)
    assert lost.outcome == "lost"
    assert lost.details["threshold votes"] == "121/2"
    assert lost.details["yes share"] == "60/121"
    assert decide(motion(61, 10), electorate=121, threshold=absolute).outcome == "carried"
    electorate_share = Threshold.parse("3/5-electorate")
    assert decide(motion(60, 0), electorate=100, threshold=electorate_share).outcome == "carried"
    assert decide(motion(59, 0), electorate=100, threshold=electorate_share).outcome == "lost"


def test_the_quorum_counts_everyone_who_took_part_abstentions_included() -> None:
    quorum = Fraction(1, 3)
    reached = decide(motion(20, 10, 20), electorate=150, quorum=quorum)
    assert reached.outcome == "carried"  # 50 of 150 took part: exactly a third
    assert reached.details["quorum needed"] == "50"
    assert reached.details["turnout share"] == "1/3"
    short = decide(motion(20, 10, 19), electorate=150, quorum=quorum)
    assert (short.outcome, short.elected) == ("inquorate", ())
    assert short.rounds[0].note.startswith("inquorate: 49 took part, fewer than the quorum")
    assert short.details["yes share"] == "2/3"  # the figures are still there to see


def test_a_bound_delegation_casts_its_whole_weight() -> None:
    # A section of 300 bound to yes, against 250 members voting no one by one.
    profile = Profile.from_rankings(
        OPTIONS, [("yes",), ("no",), ("abstain",)], weights=[300, 250, 10]
    )
    result = decide(profile, electorate=1000, quorum=Fraction(1, 2))
    assert result.outcome == "carried"
    assert result.details["yes"] == "300"
    assert result.details["turnout"] == "560"
    assert result.details["turnout share"] == "14/25"


def test_a_proportional_mandate_splits_a_delegations_weight() -> None:
    # MODEL.md: a section of 300 that voted 60/40 casts 180 for and 120 against.
    section = [Ballot(((0,),), 180), Ballot(((1,),), 120)]
    other = [Ballot(((1,),), 100)]
    result = decide(Profile.from_ballots(OPTIONS, section + other))
    assert result.outcome == "lost"
    assert result.details["yes share"] == "9/20"


def test_a_motion_no_one_voted_for_is_lost_even_at_least_nothing() -> None:
    result = decide(motion(0, 0, 12), threshold=Threshold.parse("1/2"))
    assert result.outcome == "lost"
    assert "no one voted for the motion" in result.rounds[0].note
    assert "yes share" not in result.details  # no votes for or against: no share to give


def test_the_abstain_option_may_be_left_out() -> None:
    profile = Profile.from_rankings(("no", "yes"), [("yes",), ("yes",), ("no",)])
    result = decide(profile)
    assert result.outcome == "carried"
    assert result.details["abstain"] == "0"
    assert list(result.rounds[0].votes) == ["no", "yes"]


def test_a_ballots_first_preference_is_its_vote() -> None:
    profile = Profile.from_rankings(OPTIONS, [("yes", "abstain", "no"), ("no", "yes")])
    assert decide(profile).details["yes"] == "1"


@pytest.mark.parametrize(
    ("candidates", "message"),
    [
        (("yes", "no", "maybe"), 'optionally "abstain", not .*maybe'),
        (("yes", "abstain"), '"yes", "no"'),
        (("Yes", "No"), '"yes", "no"'),
    ],
)
def test_refuses_other_options(candidates: tuple[str, ...], message: str) -> None:
    profile = Profile.from_rankings(candidates, [(candidates[0],)])
    with pytest.raises(CountError, match=message):
        decide(profile)


def test_refuses_a_withdrawn_option() -> None:
    profile = Profile.from_ballots(OPTIONS, [Ballot(((0,),), 1)], withdrawn={2})
    with pytest.raises(CountError, match=r"cannot be withdrawn \(abstain\)"):
        decide(profile)


def test_refuses_blank_and_split_ballots_naming_them() -> None:
    blank = Profile.from_ballots(OPTIONS, [Ballot(((0,),), 1), Ballot((), 1)])
    with pytest.raises(BallotError, match="ballot 2 chooses no option"):
        decide(blank)
    split = Profile.from_ballots(OPTIONS, [Ballot(((0, 1),), 1)])
    with pytest.raises(BallotError, match="ballot 1 ranks two options equally first"):
        decide(split)
    # A ballot of no weight says nothing, blank or not.
    assert decide(Profile.from_ballots(OPTIONS, [Ballot(((0,),), 1), Ballot((), 0)])).outcome == (
        "carried"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"quorum": Fraction(1, 2)}, "quorum is a share of the electorate; give the electorate"),
        ({"threshold": Threshold.parse("absolute")}, "threshold of the electorate"),
        ({"electorate": 10}, "electorate of 10 is smaller than the 11 votes cast"),
        ({"electorate": 100, "quorum": Fraction(3, 2)}, r"quorum must be a share in \[0, 1\]"),
        ({"threshold": Threshold(Fraction(0))}, r"threshold must be a share in \(0, 1\]"),
        ({"threshold": Threshold(Fraction(5, 4))}, r"threshold must be a share in \(0, 1\]"),
        ({"seats": 2}, "a motion fills no seats"),
    ],
)
def test_refuses_options_that_make_no_sense(options: dict[str, object], message: str) -> None:
    with pytest.raises(CountError, match=message):
        decide(motion(5, 4, 2), **options)


THRESHOLDS = st.sampled_from(
    [Threshold(), Threshold.parse("two-thirds"), Threshold.parse("3/5"), Threshold.parse("1/3")]
)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), THRESHOLDS)
def test_one_more_yes_never_turns_carried_into_lost(
    yes: int, no: int, abstain: int, threshold: Threshold
) -> None:
    if decide(motion(yes, no, abstain), threshold=threshold).outcome == "carried":
        assert decide(motion(yes + 1, no, abstain), threshold=threshold).outcome == "carried"
        if abstain:
            assert (
                decide(motion(yes + 1, no, abstain - 1), threshold=threshold).outcome == "carried"
            )


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 60),
    st.fractions(0, 1, max_denominator=10),
    THRESHOLDS,
)
def test_the_outcome_follows_the_published_figures(
    yes: int, no: int, abstain: int, absent: int, quorum: Fraction, threshold: Threshold
) -> None:
    electorate = yes + no + abstain + absent
    result = decide(
        motion(yes, no, abstain), electorate=electorate, quorum=quorum, threshold=threshold
    )
    details = result.details
    quorate = Fraction(details["turnout"]) >= Fraction(details["quorum needed"])
    needed = Fraction(details["threshold votes"])
    reached = yes > needed if threshold.strict else yes >= needed
    expected = "carried" if reached and yes else "lost"
    assert result.outcome == (expected if quorate else "inquorate")
    assert Fraction(details["quorum needed"]) == quorum * electorate
    assert needed == threshold.share * (yes + no)
