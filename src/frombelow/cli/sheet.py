"""The result sheet of a count, as a returning officer publishes it: a table of every stage."""

from __future__ import annotations

from collections.abc import Iterable

from frombelow.core.counting.result import Result, Round, Value
from frombelow.core.counting.serialize import value_text

# Stage columns are printed in blocks, so that each line fits a page of this many characters.
PAGE_WIDTH = 100


def format_sheet(result: Result, *, title: str, file: str, summary: str) -> str:
    """Write the sheet of one count: its heading, the stages, the elected, tie-breaks, seed."""
    lines = [title or file, "=" * len(title or file)]
    heading = [
        ("File", file),
        ("Method", f"{result.method} ({summary.rstrip('.')})" if summary else result.method),
        ("Seats", str(result.seats)),
        ("Valid votes", value_text(result.valid_votes)),
    ]
    if result.quota is not None:
        heading.append(("Quota", value_text(result.quota)))
    lines += [f"{label + ':':<13}{text}" for label, text in heading]
    if result.rounds:
        lines += ["", *_stage_tables(result), "", "Stages:"]
        lines += [f"  {r.number}. {_describe(r, _won(result))}" for r in result.rounds]
    if result.outcome:
        lines += ["", f"Outcome: {result.outcome}"]
    if not result.outcome:  # a motion's outcome says it all
        lines += ["", f"Elected, in order: {', '.join(result.elected) or 'nobody'}"]
    if result.ranking:
        places = (" = ".join(group) for group in result.ranking)
        lines.append("Ranking: " + "  ".join(f"{i}. {p}" for i, p in enumerate(places, 1)))
    if result.tie_breaks:
        lines.append("Tie-breaks:")
        lines += [
            f"  stage {t.round}, {t.purpose}: {', '.join(t.tied)} tied; "
            f"{t.chosen} chosen by {t.method}"
            for t in result.tie_breaks
        ]
    else:
        lines.append("Tie-breaks: none")
    if result.details:
        lines.append("Details:")
        lines += [f"  {key}: {text}" for key, text in result.details.items()]
    if result.seed is not None:
        lines.append(f"Seed: {result.seed} (any lot is drawn again with --seed {result.seed})")
    return "\n".join(lines) + "\n"


def _won(result: Result) -> str:
    """Say how a winner is called: elected, or, for a motion's option, chosen."""
    return "chosen" if result.outcome else "elected"


def _describe(round_: Round, won: str) -> str:
    """Say what a stage did, why, and who it elected or excluded."""
    parts = [round_.action + (f" ({round_.note})" if round_.note else "")]
    if round_.elected:
        parts.append(f"{won.capitalize()}: {', '.join(round_.elected)}")
    if round_.excluded:
        parts.append(f"Excluded: {', '.join(round_.excluded)}")
    return ". ".join(parts) + "."


def _stage_tables(result: Result) -> list[str]:
    """Write one row per candidate and one column per stage, in blocks that fit the page."""
    rows: list[tuple[str, list[str]]] = [
        (name, [_cell(r.votes.get(name)) for r in result.rounds]) for name in result.candidates
    ]
    # Votes move between stages only in counts of several stages: those show where every vote
    # went, and that the column adds up to the valid votes.
    if len(result.rounds) > 1 or any(r.exhausted or r.loss for r in result.rounds):
        rows.append(("Non-transferable", [value_text(r.exhausted) for r in result.rounds]))
        rows.append(("Loss to truncation", [value_text(r.loss) for r in result.rounds]))
        if len({r.quota for r in result.rounds}) > 1:  # the quota moves, as under Meek
            rows.append(("Quota", [_cell(r.quota) for r in result.rounds]))
        totals = [sum(r.votes.values(), r.exhausted + r.loss) for r in result.rounds]
        rows.append(("Total", [value_text(total) for total in totals]))
    status = _status(result)
    name_width = max(len("Stage"), *(len(label) for label, _ in rows))
    cell_width = max(len(str(len(result.rounds))), *(len(c) for _, cells in rows for c in cells))
    per_block = max(1, (PAGE_WIDTH - name_width) // (cell_width + 2))
    lines: list[str] = []
    for start in range(0, len(result.rounds), per_block):
        stages = range(start, min(start + per_block, len(result.rounds)))
        last = stages.stop == len(result.rounds)
        if lines:
            lines.append("")
        header = [str(result.rounds[i].number) for i in stages]
        lines.append(_row("Stage", header, name_width, cell_width, "Result" if last else ""))
        lines.append("-" * len(lines[-1]))
        for label, cells in rows:
            picked = [cells[i] for i in stages]
            lines.append(
                _row(label, picked, name_width, cell_width, status.get(label, "") if last else "")
            )
    return lines


def _row(label: str, cells: Iterable[str], name_width: int, cell_width: int, end: str) -> str:
    """Write one line of the table: a label, right-aligned cells, and a status at the end."""
    text = f"{label:<{name_width}}" + "".join(f"  {cell:>{cell_width}}" for cell in cells)
    return (text + "  " + end if end else text).rstrip()


def _cell(value: Value | None) -> str:
    """Write a total, or a dash where the stage gives none."""
    return "-" if value is None else value_text(value)


def _status(result: Result) -> dict[str, str]:
    """Say, for each candidate elected or excluded, at which stage."""
    status: dict[str, str] = {}
    won = _won(result)
    for round_ in result.rounds:
        for name in round_.elected:
            status.setdefault(name, f"{won} at stage {round_.number}")
        for name in round_.excluded:
            status.setdefault(name, f"excluded at stage {round_.number}")
    for name in result.elected:
        status.setdefault(name, won)
    return status
