"""Pictures of counts as plain geometry for SVG templates: a tally's bars, a count's rounds.

SVG attributes carry the sizes because the content security policy forbids inline styles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WIDTH = 420  # the SVG's user units; it scales to the screen, at most 40rem wide
LABEL = 150  # room for the names left of the bars
ROW = 26


@dataclass(frozen=True)
class Bar:
    """One option's or candidate's bar: where it starts, how long, what it shows."""

    label: str
    value: str  # the exact total, as counted
    y: int
    width: float
    state: str = "running"  # "running", "elected", "excluded"; for options: the option's name
    gain_x: float = 0.0  # where this round's transfer to the candidate begins
    gain_width: float = 0.0


@dataclass(frozen=True)
class Chart:
    """A set of bars with an optional quota line, sized for an SVG of WIDTH units."""

    bars: tuple[Bar, ...]
    height: int
    label_width: int = LABEL
    width: int = WIDTH
    quota_x: float | None = None
    quota: str | None = None


@dataclass(frozen=True)
class RoundPicture:
    """One stage of a count: what was done and the chart of totals after it."""

    number: int
    action: str
    note: str
    elected: tuple[str, ...]
    excluded: tuple[str, ...]
    exhausted: str
    chart: Chart


def _scale(values: Sequence[Decimal]) -> Decimal:
    top = max(values, default=Decimal(0))
    return Decimal(WIDTH - LABEL - 60) / top if top > 0 else Decimal(0)


def tally_chart(totals: Mapping[str, Any]) -> Chart:
    """Draw a yes / no / abstain (or any options') tally as one bar per option."""
    values = [Decimal(str(v)) for v in totals.values()]
    scale = _scale(values)
    bars = tuple(
        Bar(str(name), str(value), 4 + i * ROW, float(Decimal(str(value)) * scale), str(name))
        for i, (name, value) in enumerate(totals.items())
    )
    return Chart(bars, 8 + len(bars) * ROW)


def label_name(label: str) -> str:
    """Return a candidate's name from their ballot label ("Ana Ruiz #12" -> "Ana Ruiz")."""
    name, sep, number = label.rpartition(" #")
    return name if sep and number.isdigit() else label


def named(text: str, labels: Sequence[str]) -> str:
    """Write the candidates' names where a count's text has their ballot labels."""
    for label in labels:
        text = text.replace(label, label_name(label))
    return text


def round_pictures(count: Mapping[str, Any]) -> list[RoundPicture]:
    """Draw each round of a stored count: totals, who was elected or excluded, transfers."""
    rounds: Sequence[Mapping[str, Any]] = count.get("rounds", [])
    labels: Sequence[str] = count.get("candidates", [])
    all_totals = [Decimal(v) for r in rounds for v in r.get("votes", {}).values()]
    quotas = [Decimal(r["quota"]) for r in rounds if r.get("quota")]
    scale = _scale(all_totals + quotas)
    elected: set[str] = set()
    excluded: set[str] = set()
    pictures = []
    for r in rounds:
        elected |= set(r.get("elected", ()))
        excluded |= set(r.get("excluded", ()))
        transfers: Mapping[str, str] = r.get("transfers", {})
        bars = []
        for i, (name, total) in enumerate(r.get("votes", {}).items()):
            width = float(Decimal(total) * scale)
            gain = max(Decimal(transfers.get(name, "0")), Decimal(0))
            gain_width = float(gain * scale)
            state = "elected" if name in elected else "excluded" if name in excluded else "running"
            bars.append(
                Bar(
                    label_name(name),
                    total,
                    4 + i * ROW,
                    width,
                    state,
                    gain_x=LABEL + width - gain_width,
                    gain_width=gain_width,
                )
            )
        quota = r.get("quota") or count.get("quota")
        chart = Chart(
            tuple(bars),
            8 + len(bars) * ROW,
            quota_x=None if not quota else LABEL + float(Decimal(quota) * scale),
            quota=quota,
        )
        pictures.append(
            RoundPicture(
                r["number"],
                named(r.get("action", ""), labels),
                named(r.get("note", ""), labels),
                tuple(label_name(n) for n in r.get("elected", ())),
                tuple(label_name(n) for n in r.get("excluded", ())),
                r.get("exhausted", "0"),
                chart,
            )
        )
    return pictures
