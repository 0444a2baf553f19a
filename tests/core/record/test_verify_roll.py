"""The verifier rebuilds each roll snapshot from the record's admissions and leavings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from frombelow.core.federation import Body, BodyKind, Federation, Roll, weigh
from frombelow.core.record.verify import verify_export
from frombelow.core.statutes import Statute
from tests.core.record.export_world import TAKEN_AT, Export

KINDS: dict[str, BodyKind] = {"docks": "assembly", "harbour": "council", "rail": "assembly"}
BODIES = [[slug, kind] for slug, kind in KINDS.items()]
AFFILIATIONS = [["docks", "harbour"], ["rail", "harbour"]]


def _snapshot(pairs: list[list[Any]]) -> dict[str, Any]:
    """Return a weights.jsonl row whose weights `weigh` computes from the roll `pairs`."""
    federation = Federation.of(
        (Body(slug, kind) for slug, kind in KINDS.items()),
        ((m, c) for m, c in AFFILIATIONS),
    )
    roll = Roll.from_pairs([(int(m), str(a)) for m, a in pairs], TAKEN_AT)
    weights = weigh(federation, roll, {"harbour": Statute()})
    return {
        "snapshot": 1,
        "body": "harbour",
        "taken_at": TAKEN_AT.isoformat(),
        "members": weights.members,
        "weights": dict(weights.weights),
        "roll": {
            "bodies": BODIES,
            "affiliations": AFFILIATIONS,
            "member_counting": {"harbour": "per-path"},
            "pairs": pairs,
        },
    }


def _history(export: Export) -> int:
    """Found, admit, leave, expel and readmit; open a session; admit after it. Return it."""
    founded = {"kind": "assembly", "founders": ["member:1", "member:2"]}
    export.add("body.founded", founded, body="docks", subject="body:docks")
    export.add("body.founded", {**founded, "founders": ["member:3"]}, body="rail")
    export.add("member.admitted", {"by": "assembly"}, body="docks", subject="member:4")
    export.add("member.left", {}, actor="member:2", body="docks", subject="member:2")
    export.add("member.admitted", {"by": "assembly"}, body="rail", subject="member:6")
    expelled = {"sanction": "expulsion", "decision": 3}
    export.add("member.sanctioned", expelled, body="rail", subject="member:6")
    suspended = {"sanction": "suspension", "decision": 4}
    export.add("member.sanctioned", suspended, body="rail", subject="member:3")
    export.add("sanction.appealed", {"assembly": "rail"}, actor="member:6", subject="sanction:1")
    export.add("sanction.lifted", {"decision": 5}, body="harbour", subject="sanction:1")
    at = export.add("session.opened", {"weights": 1, "delegations": {}}, subject="session:1")
    export.add("member.admitted", {"by": "assembly"}, body="rail", subject="member:7")
    return at


ROLL = [[1, "docks"], [3, "rail"], [4, "docks"], [6, "rail"]]


def test_a_roll_rebuilt_from_the_record_verifies(tmp_path: Path) -> None:
    export = Export()
    _history(export)
    export.weights.append(_snapshot(ROLL))
    report = verify_export(export.write(tmp_path))
    assert report.ok, report.problem
    assert "1 roll snapshots rebuilt from the record's admissions" in report.checked[-2]


@pytest.mark.parametrize(
    ("roll", "why"),
    [
        ([*ROLL, [2, "docks"]], "adds [(2, 'docks')]"),  # left before the session
        ([*ROLL, [7, "rail"]], "adds [(7, 'rail')]"),  # admitted after it
        ([p for p in ROLL if p[0] != 6], "lacks [(6, 'rail')]"),  # readmitted on appeal
        ([p for p in ROLL if p[0] != 3], "lacks [(3, 'rail')]"),  # suspended, still a member
    ],
)
def test_a_roll_the_record_does_not_give_names_the_session(
    tmp_path: Path, roll: list[list[Any]], why: str
) -> None:
    export = Export()
    at = _history(export)
    export.weights.append(_snapshot(roll))
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == at
    assert "is not the one the record's admissions and leavings give" in str(problem)
    assert why in str(problem)


def test_a_roll_that_lists_a_member_twice_names_the_session(tmp_path: Path) -> None:
    export = Export()
    at = _history(export)
    export.weights.append(_snapshot(ROLL))
    export.weights[0]["roll"]["pairs"].append([1, "docks"])
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == at
    assert "or lists one twice" in str(problem)
