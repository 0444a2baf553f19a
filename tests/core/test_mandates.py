"""A delegation votes as its body decided; what no mandate covered waits for ratification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import MandateError, RepresentationError, UnknownBodyError
from frombelow.core.federation import Body, Federation, Roll, WeightSnapshot, weigh
from frombelow.core.mandates import (
    Cast,
    Item,
    Mandate,
    Ratification,
    SessionDecision,
    check_cast,
    decide_item,
    derive_delegation_vote,
    mandate_from_session,
    mandate_from_vote,
    may_cast,
    ratification_state,
    split_proportionally,
    tally_item,
)
from frombelow.core.representation import Delegation, seat_delegations
from frombelow.core.statutes import RatificationMajority, Statute

NOW = datetime(2026, 5, 1, 18, tzinfo=UTC)
SIZES = {"section-a": 300, "section-b": 100, "neighbourhood": 50, "section-c": 50}
COUNCIL = Statute(competences=frozenset({"strike fund", "congress"}))


def federation() -> Federation:
    """Three assemblies in a local federation, which with a fourth forms a confederation."""
    return Federation.of(
        [Body(name, "assembly") for name in SIZES]
        + [Body("local", "council"), Body("confederation", "council")],
        [
            ("section-a", "local"),
            ("section-b", "local"),
            ("neighbourhood", "local"),
            ("local", "confederation"),
            ("section-c", "confederation"),
        ],
    )


def snapshot() -> WeightSnapshot:
    pairs = []
    first = 0
    for assembly, size in SIZES.items():
        pairs += [(member, assembly) for member in range(first, first + size)]
        first += size
    graph = federation()
    return weigh(graph, Roll.from_pairs(pairs, NOW), {"local": COUNCIL, "confederation": COUNCIL})


DELEGATE = {"section-a": 1000, "section-b": 1001, "neighbourhood": 1002, "local": 1003}
DELEGATE |= {"section-c": 1004}


def seated(council: str = "local") -> dict[str, Delegation]:
    """Each member body's delegation, with its one delegate."""
    found = seat_delegations(federation(), council, snapshot(), COUNCIL).delegations
    return {d.body: d.with_delegates({DELEGATE[d.body]}) for d in found}


STRIKE = Item("strike-fund", "strike fund")


def test_a_section_of_300_that_voted_60_40_casts_180_for_and_120_against() -> None:
    assert split_proportionally(300, {"yes": 60, "no": 40}, ("yes", "no", "abstain")) == {
        "yes": 180,
        "no": 120,
        "abstain": 0,
    }
    a = seated()["section-a"]
    mandate = mandate_from_vote(
        "section-a",
        STRIKE,
        "proportional",
        {"yes": 60, "no": 40},
        statute=Statute(),
        electorate=300,
    )
    vote = derive_delegation_vote(STRIKE, a, mandate)
    assert vote is not None
    assert dict(vote.votes) == {"yes": 180, "no": 120, "abstain": 0}
    assert (
        "split as 'section-a' voted (60 yes, 40 no, 0 abstain): 180 yes, 120 no" in vote.derivation
    )


def test_equal_remainders_go_to_more_votes_then_to_the_first_listed_option() -> None:
    assert split_proportionally(301, {"yes": 1, "no": 1}, ("yes", "no")) == {"yes": 151, "no": 150}
    assert split_proportionally(301, {"yes": 1, "no": 1}, ("no", "yes")) == {"no": 151, "yes": 150}
    # 7 votes in shares 2:2:1 are 2.8, 2.8, 1.4: the two remainders of .8 win the seats left.
    assert split_proportionally(7, {"a": 2, "b": 2, "c": 1}, ("c", "a", "b")) == {
        "a": 3,
        "b": 3,
        "c": 1,
    }
    with pytest.raises(MandateError, match="no votes to split"):
        split_proportionally(10, {"yes": 0}, ("yes", "no"))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10_000),
    st.lists(st.integers(0, 1_000), min_size=1, max_size=6).filter(lambda v: sum(v) > 0),
)
def test_a_proportional_split_sums_to_the_weight_and_each_part_is_within_one_of_its_share(
    total: int, shares: list[int]
) -> None:
    options = tuple(f"o{i}" for i in range(len(shares)))
    votes = dict(zip(options, shares, strict=True))
    split = split_proportionally(total, votes, options)
    assert sum(split.values()) == total
    for option in options:
        exact = Fraction(total * votes[option], sum(shares))
        assert abs(split[option] - exact) < 1


def test_a_bound_delegation_casts_its_whole_weight_for_the_bodys_decision() -> None:
    a = seated()["section-a"]
    mandate = mandate_from_vote(
        "section-a", STRIKE, "bound", {"yes": 160, "no": 140}, statute=Statute(), electorate=300
    )
    assert mandate.option == "yes"
    vote = derive_delegation_vote(STRIKE, a, mandate)
    assert vote is not None
    assert dict(vote.votes) == {"yes": 300}
    assert vote.derivation == "bound: all 300 votes for 'yes', as 'section-a' decided"


def test_the_bound_option_is_what_the_body_decided_under_its_own_statute() -> None:
    two_thirds = Statute(threshold=Threshold.parse("two-thirds"))
    votes = {"yes": 160, "no": 140}
    assert (
        mandate_from_vote(
            "section-a", STRIKE, "bound", votes, statute=two_thirds, electorate=300
        ).option
        == "no"
    )
    inquorate = Statute(quorum=Fraction(1, 2))
    assert (
        mandate_from_vote(
            "section-a", STRIKE, "bound", {"yes": 9}, statute=inquorate, electorate=300
        ).kind
        == "none"
    )


def test_on_other_options_a_tie_for_the_most_binds_to_nothing() -> None:
    choice = Item("venue", "congress", options=("north", "south"))
    tied = mandate_from_vote(
        "section-a", choice, "bound", {"north": 5, "south": 5}, statute=Statute(), electorate=10
    )
    assert tied.kind == "none"
    won = mandate_from_vote(
        "section-a", choice, "bound", {"north": 6, "south": 5}, statute=Statute(), electorate=11
    )
    assert won.option == "north"
    with pytest.raises(MandateError, match="voted on east, not an option"):
        mandate_from_vote(
            "section-a", choice, "bound", {"east": 1}, statute=Statute(), electorate=1
        )


def test_a_delegate_cannot_cast_against_a_binding_mandate() -> None:
    a = seated()["section-a"]
    bound = Mandate("section-a", STRIKE.id, "bound", "yes")
    with pytest.raises(MandateError, match="cannot cast against a binding mandate"):
        check_cast(STRIKE, a, bound, Cast(1000, "section-a", STRIKE.id, "no"))
    with pytest.raises(MandateError, match="derived from it"):
        derive_delegation_vote(STRIKE, a, bound, [Cast(1000, "section-a", STRIKE.id, "yes")])
    proportional = Mandate("section-a", STRIKE.id, "proportional", votes={"yes": 1})
    with pytest.raises(MandateError, match="proportional mandate decides"):
        check_cast(STRIKE, a, proportional, Cast(1000, "section-a", STRIKE.id, "no"))


def test_no_mandate_in_time_is_absence_never_consent() -> None:
    a = seated()["section-a"]
    for mandate in (None, Mandate("section-a", STRIKE.id, "none")):
        assert derive_delegation_vote(STRIKE, a, mandate) is None
        with pytest.raises(MandateError, match="absent, never consenting"):
            check_cast(STRIKE, a, mandate, Cast(1000, "section-a", STRIKE.id, "yes"))


def test_free_delegates_cast_themselves_and_only_they_cast() -> None:
    a = seated()["section-a"]
    free = Mandate("section-a", STRIKE.id, "free")
    vote = derive_delegation_vote(STRIKE, a, free, [Cast(1000, "section-a", STRIKE.id, "no")])
    assert vote is not None
    assert dict(vote.votes) == {"yes": 0, "no": 300, "abstain": 0}
    assert derive_delegation_vote(STRIKE, a, free) is None  # no one cast: absent
    with pytest.raises(MandateError, match="member 7 holds no seat"):
        check_cast(STRIKE, a, free, Cast(7, "section-a", STRIKE.id, "no"))
    with pytest.raises(MandateError, match="'maybe' is not an option"):
        check_cast(STRIKE, a, free, Cast(1000, "section-a", STRIKE.id, "maybe"))
    with pytest.raises(MandateError, match="cast twice"):
        derive_delegation_vote(
            STRIKE,
            a,
            free,
            [Cast(1000, "section-a", STRIKE.id, "no"), Cast(1000, "section-a", STRIKE.id, "yes")],
        )


def test_mandates_are_checked() -> None:
    with pytest.raises(MandateError, match="names the option the body decided"):
        Mandate("section-a", "x", "bound")
    with pytest.raises(MandateError, match="only a bound mandate names an option"):
        Mandate("section-a", "x", "free", "yes")
    with pytest.raises(MandateError, match="no votes to split"):
        Mandate("section-a", "x", "proportional", votes={"yes": 0})
    with pytest.raises(MandateError, match="carries no vote"):
        Mandate("section-a", "x", "none", votes={"yes": 3})
    with pytest.raises(MandateError, match="not 'veto'"):
        Mandate("section-a", "x", "veto")  # type: ignore[arg-type]  # not a kind, on purpose
    with pytest.raises(MandateError, match="whole number"):
        Mandate("section-a", "x", "proportional", votes={"yes": -1})
    with pytest.raises(MandateError, match="not 'section-b''s"):
        derive_delegation_vote(
            STRIKE, seated()["section-b"], Mandate("section-a", "strike-fund", "free")
        )


def test_a_delegation_is_never_made_by_hand() -> None:
    with pytest.raises(RepresentationError, match="never by hand"):
        Delegation("local", "section-a", 3000, 1, 3000)
    with pytest.raises(RepresentationError, match="1 seat"):
        seated()["section-a"].with_delegates({1, 2})


def mandates_on(item: Item) -> dict[str, Mandate]:
    return {
        "section-a": Mandate("section-a", item.id, "proportional", votes={"yes": 2, "no": 1}),
        "section-b": Mandate("section-b", item.id, "bound", "no"),
        "neighbourhood": Mandate("neighbourhood", item.id, "none"),
    }


def test_the_tally_adds_every_delegations_derived_vote() -> None:
    tally = tally_item("local", STRIKE, COUNCIL, list(seated().values()), mandates_on(STRIKE))
    assert dict(tally.totals) == {"yes": 200, "no": 200, "abstain": 0}
    assert tally.absent == ("neighbourhood",)
    assert tally.electorate == 450
    assert tally.provisional == ()
    decision = decide_item(tally, COUNCIL, NOW)
    assert decision.outcome == "lost"  # a tie is not a majority
    assert decision.is_binding


def test_a_decision_outside_the_councils_competences_comes_out_provisional() -> None:
    wages = Item("wages-at-section-a", "internal affairs of section-a")
    mandates = {
        body: Mandate(body, wages.id, "bound", "yes") for body in ("section-a", "section-b")
    }
    tally = tally_item("local", wages, COUNCIL, list(seated().values()), mandates)
    decision = decide_item(tally, COUNCIL, NOW)
    assert decision.outcome == "carried"
    assert not decision.is_binding
    assert decision.provisional == (
        "'internal affairs of section-a' is outside the competences 'local''s member bodies "
        "delegated",
    )


def test_what_arose_at_the_session_is_cast_by_delegates_and_is_provisional() -> None:
    amendment = Item("amendment-1", "strike fund", sent_down=False)
    casts = [
        Cast(1000, "section-a", amendment.id, "yes"),
        Cast(1001, "section-b", amendment.id, "no"),
    ]
    tally = tally_item("local", amendment, COUNCIL, list(seated().values()), {}, casts)
    assert dict(tally.totals) == {"yes": 300, "no": 100, "abstain": 0}
    assert tally.provisional == ("no mandate covered it: it arose at the session",)
    assert "arose at the session: cast by its delegates (1000: 'yes')" in (
        tally.delegation_votes[0].derivation
    )


def test_the_tally_refuses_strangers() -> None:
    delegations_now = list(seated().values())
    with pytest.raises(UnknownBodyError, match="'ministry' has no delegation in 'local'"):
        tally_item("local", STRIKE, COUNCIL, delegations_now, {}, [Cast(1, "ministry", "x", "yes")])
    with pytest.raises(UnknownBodyError, match="'section-c' has no delegation"):
        tally_item(
            "local",
            STRIKE,
            COUNCIL,
            delegations_now,
            {"section-c": Mandate("section-c", "x", "free")},
        )
    with pytest.raises(MandateError, match="sits in 'confederation', not 'local'"):
        tally_item("local", STRIKE, COUNCIL, list(seated("confederation").values()), {})


def test_a_councils_mandate_above_comes_from_its_own_session_below() -> None:
    # The local federation decides its mandate at its own session: 200 yes, 200 no... a tie is
    # lost, so bound it votes no; proportional it splits its 450 in the shares of 200 to 200.
    tally = tally_item("local", STRIKE, COUNCIL, list(seated().values()), mandates_on(STRIKE))
    decision = decide_item(tally, COUNCIL, NOW)
    above = Item("confederal-strike-fund", "strike fund")
    bound = mandate_from_session("local", above, "bound", tally, decision)
    assert (bound.kind, bound.option) == ("bound", "no")
    proportional = mandate_from_session("local", above, "proportional", tally, decision)
    confederation = seated("confederation")
    vote = derive_delegation_vote(above, confederation["local"], proportional)
    assert vote is not None
    assert dict(vote.votes) == {"yes": 225, "no": 225, "abstain": 0}
    # And at the confederation, the local federation's delegation is one among its member bodies.
    mandates = {"local": proportional, "section-c": Mandate("section-c", above.id, "bound", "yes")}
    top = tally_item("confederation", above, COUNCIL, list(confederation.values()), mandates)
    assert dict(top.totals) == {"yes": 275, "no": 225, "abstain": 0}
    assert decide_item(top, COUNCIL, NOW).outcome == "carried"


def provisional_decision() -> tuple[Statute, SessionDecision]:
    amendment = Item("amendment-1", "strike fund", sent_down=False)
    casts = [Cast(1000, "section-a", amendment.id, "yes")]
    statute = COUNCIL.amended(
        ratification_days=30, ratification_majority=RatificationMajority(Fraction(1, 2), "both")
    )
    tally = tally_item("local", amendment, statute, list(seated().values()), {}, casts)
    return statute, decide_item(tally, statute, NOW)


def state(answers: list[Ratification], now: datetime, statute: Statute | None = None) -> str:
    rules, decision = provisional_decision()
    return ratification_state(
        decision,
        statute or rules,
        ("neighbourhood", "section-a", "section-b"),
        snapshot(),
        answers,
        now,
    ).state


def test_a_provisional_decision_is_ratified_by_the_statutes_majority_within_the_period() -> None:
    day = timedelta(days=1)
    # Section A (300 of 450 members) alone is a majority by weight but not by number.
    a_only = [Ratification("section-a", True, NOW + day)]
    assert state(a_only, NOW + 2 * day) == "pending"
    by_weight = COUNCIL.amended(ratification_majority=RatificationMajority(by="weight"))
    assert state(a_only, NOW + 2 * day, by_weight) == "ratified"
    both = [*a_only, Ratification("neighbourhood", True, NOW + 3 * day)]
    assert state(both, NOW + 4 * day) == "ratified"
    # A ratification not yet made (its time is after now) does not count yet.
    assert state(both, NOW + 2 * day) == "pending"


def test_without_ratification_in_time_a_provisional_decision_lapses() -> None:
    day = timedelta(days=1)
    assert state([], NOW + 31 * day) == "lapsed"  # silence is not consent
    late = [
        Ratification("section-a", True, NOW + day),
        Ratification("neighbourhood", True, NOW + 31 * day),
    ]
    assert state(late, NOW + 40 * day) == "lapsed"


def test_a_provisional_decision_is_rejected_once_a_majority_is_out_of_reach() -> None:
    no = [Ratification("section-a", False, NOW), Ratification("section-b", False, NOW)]
    assert state(no, NOW + timedelta(days=1)) == "rejected"


def test_ratifications_are_checked() -> None:
    with pytest.raises(MandateError, match="already answered"):
        state([Ratification("section-a", True, NOW), Ratification("section-a", False, NOW)], NOW)
    with pytest.raises(UnknownBodyError, match="'section-c' is not a member body of 'local'"):
        state([Ratification("section-c", True, NOW)], NOW)
    with pytest.raises(MandateError, match="before the decision"):
        state([Ratification("section-a", True, NOW - timedelta(days=1))], NOW)
    tally = tally_item("local", STRIKE, COUNCIL, list(seated().values()), mandates_on(STRIKE))
    binding = decide_item(tally, COUNCIL, NOW)
    with pytest.raises(MandateError, match="binds already"):
        ratification_state(binding, COUNCIL, ("section-a",), snapshot(), [], NOW)


def test_only_a_yes_no_item_is_decided_by_majority() -> None:
    venue = Item("venue", "congress", options=("north", "south"))
    tally = tally_item("local", venue, COUNCIL, list(seated().values()), {})
    with pytest.raises(MandateError, match="not a yes / no motion"):
        decide_item(tally, COUNCIL, NOW)
    with pytest.raises(MandateError, match="two or more distinct options"):
        Item("x", "congress", options=("yes", "yes"))


@pytest.mark.parametrize("kind", [None, "bound", "proportional", "free", "none"])
@pytest.mark.parametrize("sent_down", [True, False])
def test_a_delegation_may_cast_exactly_where_its_cast_is_accepted(
    kind: str | None, sent_down: bool
) -> None:
    a = seated()["section-a"]
    item = Item(STRIKE.id, STRIKE.matter, sent_down=sent_down)
    mandate = (
        None
        if kind is None
        else Mandate(
            "section-a",
            item.id,
            kind,  # type: ignore[arg-type]  # one of the four kinds, by the parameters
            "yes" if kind == "bound" else None,
            {"yes": 2, "no": 1} if kind in ("bound", "proportional") else {},
        )
    )
    accepted = []
    for option in item.options:
        try:
            check_cast(item, a, mandate, Cast(1000, "section-a", item.id, option))
        except MandateError:
            continue
        accepted.append(option)
    # Either every option is the delegate's to choose, or none is: even the mandated option.
    assert accepted == (list(item.options) if may_cast(item, mandate) else [])
    assert may_cast(item, mandate) == (not sent_down or kind == "free")
