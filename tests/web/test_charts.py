"""The pictures of a count: bars in proportion, who was elected or excluded, what moved."""

from __future__ import annotations

from frombelow.core.ballots.profile import Profile
from frombelow.core.counting.registry import count
from frombelow.core.counting.rule import CountOptions
from frombelow.core.counting.serialize import result_to_dict
from frombelow.web.charts import LABEL, label_name, round_pictures, tally_chart


def test_bars_are_in_proportion_to_the_totals() -> None:
    chart = tally_chart({"yes": 12, "no": 3, "abstain": 0})
    yes, no, abstain = chart.bars
    assert yes.width == 4 * no.width
    assert abstain.width == 0
    assert [b.state for b in chart.bars] == ["yes", "no", "abstain"]


def test_each_round_of_an_instant_runoff_is_drawn_with_names_and_transfers() -> None:
    labels = ["Ana Ruiz #1", "Ben Sala #2", "Cat Vidal #3"]
    profile = Profile.from_rankings(
        labels,
        [[labels[0]]] * 4 + [[labels[1]]] * 3 + [[labels[2], labels[0]]] * 2,
    )
    stored = result_to_dict(count("irv", profile, CountOptions(seats=1)))
    first, second = round_pictures(stored)
    assert [b.label for b in first.chart.bars] == ["Ana Ruiz", "Ben Sala", "Cat Vidal"]
    assert "#" not in second.action + second.note
    assert second.excluded == ("Cat Vidal",)
    assert second.elected == ("Ana Ruiz",)
    ana, ben, cat = second.chart.bars
    assert (ana.state, ben.state, cat.state) == ("elected", "running", "excluded")
    assert ana.value == "6"
    # Cat's two ballots moved to Ana: the gain is a third of Ana's bar, at its end.
    assert abs(ana.gain_width * 3 - ana.width) < 1e-9
    assert abs(ana.gain_x + ana.gain_width - (LABEL + ana.width)) < 1e-9


def test_a_label_without_a_number_is_its_own_name() -> None:
    assert label_name("Ana Ruiz #12") == "Ana Ruiz"
    assert label_name("Room #B") == "Room #B"
