"""Every counting rule by name, and the one function that counts by name."""

from __future__ import annotations

from frombelow.core.ballots.profile import Profile
from frombelow.core.counting import (
    approval,
    irv,
    majority,
    plurality,
    schulze,
    stv_meek,
    stv_scottish,
)
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountError, CountOptions, Rule

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        plurality.RULE,
        approval.RULE,
        majority.RULE,
        irv.RULE,
        stv_scottish.RULE,
        stv_meek.RULE,
        schulze.RULE,
    )
}


def get_rule(name: str) -> Rule:
    """Return the rule called `name`, or say which names exist."""
    try:
        return RULES[name]
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise CountError(f"unknown counting rule {name!r}; the rules are: {known}") from None


def count(name: str, profile: Profile, options: CountOptions | None = None) -> Result:
    """Count `profile` under the rule called `name`."""
    return get_rule(name).count(profile, options or CountOptions())
