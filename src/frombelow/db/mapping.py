"""Rows to core values and back: a statute and a count as JSON, exact fractions as text, and
the core's views of stored terms, agenda items and mandates.

A statute's JSON names every rule; decoding fills a rule missing from an older version with the
core's default and refuses a rule the core does not know, so that no stored word is ignored. The one
exception is a retired rule (`RETIRED_RULES`): written by earlier versions, never enforced by any,
and read as saying nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from frombelow.core import decisions, mandates, terms
from frombelow.core.counting.result import Result, Round, TieBreak, plain
from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import MandateError, StatuteError, TermError
from frombelow.core.statutes import (
    ApportionedSeats,
    OneDelegatePerBody,
    PetitionThreshold,
    RatificationMajority,
    Statute,
)
from frombelow.db.models import Body, Item, Mandate, Term

Json = dict[str, Any]
# The office of a delegate: one office per council, as the core's terms count it.
DELEGATE = "delegate"
# The stored words, each the core's own: reading one narrows a model's text to the core's type.
_MANDATE_KINDS: Mapping[str, mandates.MandateKind] = {
    "bound": "bound",
    "proportional": "proportional",
    "free": "free",
    "none": "none",
}
_VACANCY_REASONS: Mapping[str, terms.VacancyReason] = {
    "recall": "recall",
    "resignation": "resignation",
    "death": "death",
}


def fraction_text(value: Fraction) -> str:
    """Write an exact fraction as "p/q" (or "n" when whole)."""
    return str(value)


def read_fraction(text: object, rule: str) -> Fraction:
    """Read an exact fraction written as text, refusing floats.

    `rule` names the rule the fraction sets ("quorum", "threshold.share"): a name rather than
    words, so that the refusal's words stay in its template and are said in the reader's language.
    """
    if not isinstance(text, str):
        raise StatuteError(
            "the rule %(rule)r must be written as an exact fraction, not %(text)r",
            rule=rule,
            text=text,
        )
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise StatuteError(
            "the rule %(rule)r: %(text)r is not a fraction", rule=rule, text=text
        ) from None


def threshold_json(threshold: Threshold) -> Json:
    """Write a threshold as JSON."""
    return {
        "share": fraction_text(threshold.share),
        "base": threshold.base,
        "strict": threshold.strict,
    }


def read_threshold(data: object, rule: str = "threshold") -> Threshold:
    """Read a threshold written by `threshold_json`, for the rule named `rule`."""
    fields = _mapping(data, rule)
    base = fields.get("base", "cast")
    if base not in ("cast", "electorate"):
        raise StatuteError(
            "the rule %(rule)r: the base is 'cast' or 'electorate', not %(base)r",
            rule=rule,
            base=base,
        )
    return Threshold(
        read_fraction(fields.get("share"), f"{rule}.share"), base, bool(fields.get("strict"))
    )


def _mapping(data: object, rule: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise StatuteError(
            "the rule %(rule)r must be a JSON object, not %(data)r", rule=rule, data=data
        )
    return data


def _encode(value: object) -> Any:
    """Write one rule's value as JSON."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Fraction):
        return fraction_text(value)
    if isinstance(value, Threshold):
        return threshold_json(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, PetitionThreshold):
        return {
            "share": fraction_text(value.share),
            "count": value.count,
            "whichever": value.whichever,
        }
    if isinstance(value, RatificationMajority):
        return {"share": fraction_text(value.share), "by": value.by, "strict": value.strict}
    if isinstance(value, OneDelegatePerBody):
        return {"scheme": "one-delegate-per-body"}
    if isinstance(value, ApportionedSeats):
        return {
            "scheme": "apportioned",
            "seats": value.seats,
            "method": value.method,
            "minimum": value.minimum,
        }
    raise TypeError(f"no JSON form for a statute rule of type {type(value).__name__}")


def _decode(name: str, default: object, raw: object) -> object:
    """Read one rule's value, whose type the core default's type tells."""
    if isinstance(default, Fraction):
        return read_fraction(raw, name)
    if isinstance(default, Threshold):
        return read_threshold(raw, name)
    if isinstance(default, frozenset):
        if not isinstance(raw, list):
            raise StatuteError(
                "the rule %(rule)r must be a list of named matters, not %(raw)r",
                rule=name,
                raw=raw,
            )
        return frozenset(raw)
    if isinstance(default, PetitionThreshold):
        fields = _mapping(raw, name)
        return PetitionThreshold(
            read_fraction(fields.get("share"), f"{name}.share"),
            fields.get("count"),
            fields.get("whichever", "smaller"),
        )
    if isinstance(default, RatificationMajority):
        fields = _mapping(raw, name)
        return RatificationMajority(
            read_fraction(fields.get("share"), f"{name}.share"),
            fields.get("by", "both"),
            bool(fields.get("strict", True)),
        )
    if isinstance(default, OneDelegatePerBody | ApportionedSeats):
        fields = _mapping(raw, name)
        if fields.get("scheme") == "one-delegate-per-body":
            return OneDelegatePerBody()
        if fields.get("scheme") == "apportioned":
            return ApportionedSeats(
                fields.get("seats", 0),
                fields.get("method", "sainte-lague"),
                fields.get("minimum", 1),
            )
        raise StatuteError(
            "the rule %(rule)r: unknown seat scheme %(scheme)r",
            rule=name,
            scheme=fields.get("scheme"),
        )
    # Whole numbers, booleans, names and None: the core's own checks judge them.
    return raw


_DEFAULTS = Statute()

# Rules that earlier versions wrote into every statute but that no version ever enforced. Statute
# versions are append-only, so the words stay in the rows; reading drops them. Each names the rule
# that replaced it, which a body adopts only by amending its statute.
RETIRED_RULES = {
    # Written as `true` by default before two-factor sign-in existed; nothing checked it, so no
    # body ever decided it. `officers_need_two_factor` (default false) replaced it.
    "two_factor_for_officers": "officers_need_two_factor",
}


def statute_json(statute: Statute) -> Json:
    """Write a statute as JSON, every rule by its name."""
    return {f.name: _encode(getattr(statute, f.name)) for f in dataclasses.fields(statute)}


def read_statute(data: object) -> Statute:
    """Read a statute written by `statute_json`, validated like a new one."""
    if not isinstance(data, Mapping):
        raise StatuteError("a statute must be a JSON object, not %(data)r", data=data)
    fields = {name: raw for name, raw in data.items() if name not in RETIRED_RULES}
    names = {f.name for f in dataclasses.fields(Statute)}
    unknown = sorted(set(fields) - names)
    if unknown:
        raise StatuteError("a statute has no rule called %(rules)s", rules=", ".join(unknown))
    rules = {name: _decode(name, getattr(_DEFAULTS, name), raw) for name, raw in fields.items()}
    try:
        # A rule missing from an older version takes the core's default.
        return _DEFAULTS.amended(**rules)
    except TypeError as error:
        raise StatuteError(
            "a statute rule has the wrong type: %(problem)s", problem=str(error)
        ) from None


def result_json(result: Result) -> Json:
    """Write a counting engine Result as JSON, every round and tie-break, exact."""
    written: Json = plain(result)
    return written


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


def read_result(data: Mapping[str, Any]) -> Result:
    """Read a Result written by `result_json`."""
    rounds = tuple(
        Round(
            number=r["number"],
            action=r["action"],
            votes={k: _decimal(v) for k, v in r["votes"].items()},
            transfers={k: _decimal(v) for k, v in r.get("transfers", {}).items()},
            elected=tuple(r.get("elected", ())),
            excluded=tuple(r.get("excluded", ())),
            exhausted=_decimal(r.get("exhausted", 0)),
            loss=_decimal(r.get("loss", 0)),
            quota=None if r.get("quota") is None else _decimal(r["quota"]),
            note=r.get("note", ""),
        )
        for r in data.get("rounds", ())
    )
    return Result(
        method=data["method"],
        seats=data["seats"],
        candidates=tuple(data["candidates"]),
        elected=tuple(data["elected"]),
        rounds=rounds,
        tie_breaks=tuple(
            TieBreak(t["round"], t["purpose"], tuple(t["tied"]), t["chosen"], t["method"])
            for t in data.get("tie_breaks", ())
        ),
        quota=None if data.get("quota") is None else _decimal(data["quota"]),
        valid_votes=_decimal(data.get("valid_votes", 0)),
        seed=data.get("seed"),
        ranking=tuple(tuple(group) for group in data.get("ranking", ())),
        outcome=data.get("outcome", ""),
        details=dict(data.get("details", {})),
    )


def office_key(office: str, council: Body | None) -> str:
    """Name the office as the core's terms count it: a delegation is one office per council."""
    return f"{DELEGATE} to {council.slug}" if council is not None else office


def read_vacancy_reason(reason: str) -> terms.VacancyReason:
    """Read why a term was cut short, refusing a reason the core does not know."""
    try:
        return _VACANCY_REASONS[reason]
    except KeyError:
        raise TermError("a term is not cut short by %(reason)r", reason=reason) from None


def read_term(term: Term) -> terms.Term:
    """Return the core's view of a stored term (its end, if cut short, read with it)."""
    end = getattr(term, "cut_short", None)
    return terms.Term(
        holder=term.holder_id,
        office=office_key(term.office, term.council),
        body=term.body.slug,
        start=term.started_at,
        end=term.ends_at,
        election=str(term.election_id),
        substitute=term.substitute_for_id is not None,
        vacated_at=end.ended_at if end else None,
        vacated_because=read_vacancy_reason(end.reason) if end else None,
    )


def read_item(item: Item) -> mandates.Item:
    """Return the core's view of an agenda item."""
    return mandates.Item(
        str(item.pk), item.motion.matter, decisions.MOTION_OPTIONS, not item.new_matter
    )


def read_mandate(mandate: Mandate) -> mandates.Mandate:
    """Return the core's view of a stored mandate."""
    try:
        kind = _MANDATE_KINDS[mandate.kind]
    except KeyError:
        raise MandateError("a mandate is not %(kind)r", kind=mandate.kind) from None
    return mandates.Mandate(
        mandate.member_body.slug,
        str(mandate.item_id),
        kind,
        mandate.option or None,
        mandate.shares,
    )
