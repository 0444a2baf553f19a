"""Motion kinds: each declared once, by the module that owns its effect, and registered here.

A kind says which bodies decide it (its scope), what it acts on (its targets), whether it needs a
charge and the accused's reply first (due process: a kind that targets a charge), whether only a
petition opens it, whether it is decided as proposed or may be amended and put as a choice, the
threshold it passes by where the statute's does not apply, its check against the deciding body
and its effect once decided.

The owning modules register their kinds when they are imported; the services' app imports them
all when Django starts (`frombelow.services.apps`), so that the registry is whole before any
request, command or test runs, and `tests/services/test_motion_kinds.py` checks that every kind
of `Motion.Kind` is declared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import DecisionError
from frombelow.db.models import Decision, Motion

# What a motion may name besides its body: a field of `Motion` each.
TARGET_FIELDS = (
    "member",
    "other_body",
    "charge",
    "term",
    "decision",
    "council_item",
    "statement",
    "appeal",
    "petition",
)

# A decision's effect is the body's act, applied by the system on its behalf.
SYSTEM = "system"

Check = Callable[[Motion], None]
# An effect acts on the deciding body's affairs, and returns the decision that takes effect in
# turn because of it, if any (a council's provisional decision its member bodies have now
# ratified), which the deciding service then applies.
Effect = Callable[[Decision], Decision | None]


class Scope(Enum):
    """Which bodies decide a kind of motion."""

    ANY = "any"
    ASSEMBLY = "assembly"
    COUNCIL = "council"


class Applies(Enum):
    """When a decision's effect follows."""

    CARRIED = "carried"
    # An answer is owed either way (an application, a mandate, a ratification).
    WHATEVER_THE_OUTCOME = "any"


def no_check(motion: Motion) -> None:
    """Accept the motion: the kind acts on nothing beyond the decision itself."""


@dataclass(frozen=True)
class MotionKind:
    """One kind of motion, declared in one place."""

    code: Motion.Kind
    targets: frozenset[str] = frozenset()
    scope: Scope = Scope.ANY
    check: Check = no_check
    effect: Effect | None = None
    applies: Applies = Applies.CARRIED
    # Opened by a petition reaching its threshold, never proposed by anyone.
    by_petition_only: bool = False
    # Decided yes or no as proposed: not amended, not put as a choice among options.
    as_proposed: bool = True
    # The threshold it passes by whatever the statute sets (a recall: a simple majority).
    threshold: Threshold | None = None

    def __post_init__(self) -> None:
        unknown = self.targets - set(TARGET_FIELDS)
        if unknown:
            raise ValueError(f"{self.code}: a motion names no {', '.join(sorted(unknown))}")

    @property
    def needs_due_process(self) -> bool:
        """Tell whether the motion needs a stated charge and the accused's reply before its vote."""
        return "charge" in self.targets

    def effect_of(self, decision: Decision) -> Effect | None:
        """Return the effect that follows the decision, if any."""
        if self.applies is Applies.CARRIED and decision.outcome != Decision.Outcome.CARRIED:
            return None
        return self.effect


_KINDS: dict[str, MotionKind] = {}


def declare(*kinds: MotionKind) -> None:
    """Register motion kinds; each is declared once."""
    for kind in kinds:
        if kind.code in _KINDS:
            raise ValueError(f"the motion kind {kind.code} is declared twice")
        _KINDS[kind.code] = kind


def kind_of(code: str) -> MotionKind:
    """Return the declared kind of that code, or refuse a code no kind has."""
    try:
        return _KINDS[code]
    except KeyError:
        raise DecisionError(
            "there is no kind of motion %(kind)r; the kinds are: %(kinds)s",
            kind=code,
            kinds=", ".join(sorted(_KINDS)),
        ) from None


def declared() -> Mapping[str, MotionKind]:
    """Return every registered kind by its code."""
    return dict(_KINDS)
