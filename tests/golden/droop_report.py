"""Read the stage-by-stage report that Droop (jklundell/droop) writes for a WIGM count.

A report is a header (title, seats, ballots, quota), then one block per action:

    Action: Transfer defeated: Gary Barton
        Elected:  George Redmond (1300.00000)
        Hopeful:  Alasdair Duke - Wardrop (235.19362)
        Defeated: Gary Barton, Kenny Murray (0.00000)
        Elected votes: 1300.00000
        Nontransferable votes: 195.31367
        Residual: 0.01362
        ...

Candidates with no votes left are listed together on one `Defeated:` line. Actions that only
announce a step ("Transfer high surplus") list no candidates and carry no totals here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

_HEADER = re.compile(r"^\t(Seats|Ballots|Quota): (\S+)$")
_CANDIDATE = re.compile(r"^\t(Elected|Pending|Hopeful|Defeated): +(.*) \((\d+\.\d+)\)$")
_FIGURE = re.compile(r"^\t(Nontransferable votes|Residual): (\d+\.\d+)$")


@dataclass(frozen=True)
class DroopAction:
    """One action of a Droop report and the state it shows."""

    text: str  # what Droop wrote after "Action: ", e.g. "Transfer defeated: Gary Barton"
    votes: dict[str, Decimal]  # every listed candidate's total; empty for announcements
    states: dict[str, str]  # "Elected", "Pending", "Hopeful" or "Defeated", by candidate
    nontransferable: Decimal | None
    residual: Decimal | None

    @property
    def kind(self) -> str:
        """Return the action's kind: the text before the first colon."""
        return self.text.partition(":")[0]


@dataclass(frozen=True)
class DroopReport:
    """A whole Droop report."""

    title: str
    seats: int
    ballots: int
    quota: Decimal
    actions: tuple[DroopAction, ...]

    @property
    def elected(self) -> frozenset[str]:
        """Return the candidates elected when the count completed."""
        final = self.actions[-1]
        return frozenset(c for c, state in final.states.items() if state == "Elected")

    @property
    def elected_with_quota(self) -> tuple[str, ...]:
        """Return the candidates Droop elected on reaching the quota, in order."""
        return tuple(
            a.text.partition(": ")[2] for a in self.actions if a.kind == "Elect, transfer pending"
        )

    def snapshots(self) -> list[tuple[dict[str, Decimal], Decimal, Decimal]]:
        """Return each distinct state in turn: (totals, non-transferable, residual)."""
        states: list[tuple[dict[str, Decimal], Decimal, Decimal]] = []
        for action in self.actions:
            if not action.votes:
                continue
            assert action.nontransferable is not None
            assert action.residual is not None
            state = (action.votes, action.nontransferable, action.residual)
            if not states or states[-1] != state:
                states.append(state)
        return states


def read_droop_report(path: Path) -> DroopReport:
    """Parse a Droop report file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next(line for line in lines if line.startswith("Election: ")).partition(": ")[2]
    header: dict[str, str] = {}
    actions: list[DroopAction] = []
    text: str | None = None
    votes: dict[str, Decimal] = {}
    states: dict[str, str] = {}
    figures: dict[str, Decimal] = {}

    def close() -> None:
        if text is not None:
            actions.append(
                DroopAction(
                    text,
                    dict(votes),
                    dict(states),
                    figures.get("Nontransferable votes"),
                    figures.get("Residual"),
                )
            )

    for line in lines:
        if line.startswith("Action: "):
            close()
            text = line.removeprefix("Action: ")
            votes, states, figures = {}, {}, {}
        elif text is None and (match := _HEADER.match(line)):
            header[match[1]] = match[2]
        elif text is not None and (match := _CANDIDATE.match(line)):
            state, names, value = match[1], match[2], Decimal(match[3])
            # Droop joins the candidates with no votes on one line; none of its names has ", ".
            for name in names.split(", ") if state == "Defeated" else [names]:
                votes[name] = value
                states[name] = state
        elif text is not None and (match := _FIGURE.match(line)):
            figures[match[1]] = Decimal(match[2])
    close()
    return DroopReport(
        title=title,
        seats=int(header["Seats"]),
        ballots=int(header["Ballots"]),
        quota=Decimal(header["Quota"]),
        actions=tuple(actions),
    )
