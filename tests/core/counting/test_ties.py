"""A tie is narrowed by the stages a rule names, in its order, then drawn by a recorded lot."""

from frombelow.core.counting.lot import Lot
from frombelow.core.counting.ties import break_tie

NAMES = ("Ada", "Bea", "Cy")
STAGES = [("stage 1", [5, 5, 7]), ("stage 2", [4, 6, 4])]


def test_the_first_stage_given_that_separates_them_decides() -> None:
    tie = break_tie(
        [0, 1, 2], STAGES, lowest=True, lot=Lot(1), names=NAMES, round_number=3, purpose="exclusion"
    )
    # Stage 1 leaves Ada and Bea (5 each); stage 2 puts Ada lowest.
    assert (tie.chosen, tie.method) == ("Ada", "stage 1, then stage 2")
    assert tie.tied == NAMES
    assert (tie.round, tie.purpose) == (3, "exclusion")


def test_narrowing_once_sends_the_rest_to_the_lot() -> None:
    tie = break_tie(
        [0, 1, 2],
        STAGES,
        lowest=True,
        lot=Lot(1),
        names=NAMES,
        round_number=3,
        purpose="exclusion",
        narrow_once=True,
    )
    assert tie.chosen in {"Ada", "Bea"}
    assert tie.method == "stage 1, then lot (seed 1)"


def test_the_highest_is_chosen_when_asked_and_unseparated_ties_go_to_lot() -> None:
    assert (
        break_tie(
            [1, 2], STAGES, lowest=False, lot=Lot(1), names=NAMES, round_number=1, purpose="x"
        ).chosen
        == "Cy"
    )
    tie = break_tie(
        [0, 1],
        [("stage 1", [5, 5, 7])],
        lowest=True,
        lot=Lot(9),
        names=NAMES,
        round_number=1,
        purpose="x",
    )
    assert tie.method == "lot (seed 9)"
    assert tie.chosen == NAMES[Lot(9).draw([0, 1])]
