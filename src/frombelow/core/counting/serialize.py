"""A Result as plain data (JSON-ready) and back, exactly: every total is a decimal string.

The command line prints it, the web shows it and the record stores it; all three read the same
dictionary. Totals are written as the rule computed them, in fixed-point notation with all their
places (`1300.00000`), never as floats and never in exponent notation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from frombelow.core.counting.result import Result, Round, TieBreak, Value


def value_text(value: Value) -> str:
    """Write a total exactly, in fixed-point notation with every place the rule kept."""
    return format(value, "f")


def result_to_dict(result: Result) -> dict[str, object]:
    """Return a Result as a dictionary of strings, numbers, lists and dictionaries."""
    return {
        "method": result.method,
        "seats": result.seats,
        "candidates": list(result.candidates),
        "elected": list(result.elected),
        "quota": None if result.quota is None else value_text(result.quota),
        "valid_votes": value_text(result.valid_votes),
        "seed": result.seed,
        "outcome": result.outcome,
        "ranking": [list(group) for group in result.ranking],
        "rounds": [_round_to_dict(r) for r in result.rounds],
        "tie_breaks": [_tie_break_to_dict(t) for t in result.tie_breaks],
        "details": dict(result.details),
    }


def _round_to_dict(round_: Round) -> dict[str, object]:
    """Return a Round as a dictionary."""
    return {
        "number": round_.number,
        "action": round_.action,
        "votes": {name: value_text(total) for name, total in round_.votes.items()},
        "transfers": {name: value_text(change) for name, change in round_.transfers.items()},
        "elected": list(round_.elected),
        "excluded": list(round_.excluded),
        "exhausted": value_text(round_.exhausted),
        "loss": value_text(round_.loss),
        "quota": None if round_.quota is None else value_text(round_.quota),
        "note": round_.note,
    }


def _tie_break_to_dict(tie_break: TieBreak) -> dict[str, object]:
    """Return a TieBreak as a dictionary."""
    return {
        "round": tie_break.round,
        "purpose": tie_break.purpose,
        "tied": list(tie_break.tied),
        "chosen": tie_break.chosen,
        "method": tie_break.method,
    }


def result_from_dict(data: Mapping[str, Any]) -> Result:
    """Rebuild a Result from `result_to_dict`'s dictionary (as JSON read it back)."""
    try:
        return Result(
            method=str(data["method"]),
            seats=int(data["seats"]),
            candidates=_names(data["candidates"]),
            elected=_names(data["elected"]),
            rounds=tuple(_round_from_dict(r) for r in data["rounds"]),
            tie_breaks=tuple(_tie_break_from_dict(t) for t in data["tie_breaks"]),
            quota=_optional_value(data["quota"]),
            valid_votes=_value(data["valid_votes"]),
            seed=None if data["seed"] is None else int(data["seed"]),
            ranking=tuple(_names(group) for group in data["ranking"]),
            outcome=str(data["outcome"]),
            details={str(key): str(text) for key, text in data["details"].items()},
        )
    except KeyError as error:
        raise ValueError(f"a result lacks {error.args[0]!r}") from None


def _round_from_dict(data: Mapping[str, Any]) -> Round:
    """Rebuild a Round."""
    return Round(
        number=int(data["number"]),
        action=str(data["action"]),
        votes={str(name): _value(text) for name, text in data["votes"].items()},
        transfers={str(name): _value(text) for name, text in data["transfers"].items()},
        elected=_names(data["elected"]),
        excluded=_names(data["excluded"]),
        exhausted=_value(data["exhausted"]),
        loss=_value(data["loss"]),
        quota=_optional_value(data["quota"]),
        note=str(data["note"]),
    )


def _tie_break_from_dict(data: Mapping[str, Any]) -> TieBreak:
    """Rebuild a TieBreak."""
    return TieBreak(
        round=int(data["round"]),
        purpose=str(data["purpose"]),
        tied=_names(data["tied"]),
        chosen=str(data["chosen"]),
        method=str(data["method"]),
    )


def _names(items: Sequence[Any]) -> tuple[str, ...]:
    """Read a list of names."""
    return tuple(str(item) for item in items)


def _value(text: Any) -> Value:
    """Read an exact total written as a decimal string."""
    if not isinstance(text, str):
        raise ValueError(f"a total must be a decimal string, not {text!r}")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a decimal number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite decimal number")
    return value


def _optional_value(text: Any) -> Value | None:
    """Read a total that may be absent (None)."""
    return None if text is None else _value(text)
