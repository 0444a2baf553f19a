"""The verifier recounts council elections and checks delegates' casts and delegation votes."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from frombelow.core.counting.result import plain
from frombelow.core.counting.rule import Threshold
from frombelow.core.counts import VoteRules, count_council_election
from frombelow.core.decisions import decide
from frombelow.core.record.verify import verify_export
from frombelow.core.voting import ranking_of
from tests.core.record.export_world import Export, exported_vote, opened_vote

SEATED = {
    "docks": {"weight": 5, "seats": 1, "votes_per_seat": 5},
    "rail": {"weight": 2, "seats": 1, "votes_per_seat": 2},
    "mill": {"weight": 2, "seats": 1, "votes_per_seat": 2},
}
DELEGATES = {"docks": "member:11", "rail": "member:12", "mill": "member:13"}
CANDIDATES = ["member:1", "member:2"]


def _session(export: Export, seated: dict[str, Any] = SEATED) -> None:
    export.add("session.opened", {"weights": 1, "delegations": seated}, subject="session:1")


def _cast(export: Export, vote: int, body: str, ranking: list[list[str]]) -> int:
    data = {"member_body": body, "ranking": ranking}
    return export.add(
        "delegation.cast", data, actor=DELEGATES[body], body="harbour", subject=f"vote:{vote}"
    )


def _election(
    export: Export, casts: dict[str, list[str]], weights: dict[str, int], winners: Any = None
) -> int:
    """Cast, count with `weights` per delegation, record the decision; return its entry."""
    opened = opened_vote(method="irv", options=CANDIDATES, session=1)
    export.add("vote.opened", opened, body="harbour", subject="vote:7")
    pairs = []
    for body, ranking in casts.items():
        _cast(export, 7, body, [[c] for c in ranking])
        pairs.append((ranking_of("irv", CANDIDATES, [[c] for c in ranking]), weights[body]))
    counted = count_council_election(VoteRules("irv", tuple(CANDIDATES)), pairs)
    stated = {
        "vote": 7,
        "outcome": counted.outcome,
        "winners": list(counted.winners) if winners is None else winners,
        "turnout": counted.turnout,
    }
    at = export.add("decision.taken", stated, body="harbour", subject="decision:7")
    rows = [
        {"delegate": DELEGATES[b], "member_body": b, "ranking": [[c] for c in r]}
        for b, r in casts.items()
    ]
    export.votes.append(exported_vote(7, stated, plain(counted.result), casts=rows))
    return at


CASTS = {"docks": ["member:1", "member:2"], "rail": ["member:2"], "mill": ["member:2"]}
WEIGHTS = {"docks": 5, "rail": 2, "mill": 2}


def test_a_council_election_recounts_from_the_casts_each_weighing_its_delegation(
    tmp_path: Path,
) -> None:
    export = Export()
    _session(export)
    _election(export, CASTS, WEIGHTS)
    report = verify_export(export.write(tmp_path))
    assert report.ok, report.problem
    assert any("1 council elections recounted" in line for line in report.checked)
    assert any("3 delegates' casts" in line for line in report.checked)
    assert export.votes[0]["decision"]["winners"] == ["member:1"]  # 5 votes against 4


def test_an_election_counted_one_vote_a_delegation_is_named(tmp_path: Path) -> None:
    export = Export()
    _session(export)
    # The installation counted each cast as one vote: member:2 by 2 to 1, not the recount.
    at = _election(export, CASTS, dict.fromkeys(WEIGHTS, 1))
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == at
    assert "recounts as elected ['member:1']" in str(problem)


def test_an_election_whose_record_names_another_winner_is_named(tmp_path: Path) -> None:
    export = Export()
    _session(export)
    at = _election(export, CASTS, WEIGHTS, winners=["member:2"])
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == at


def test_an_exported_cast_that_is_not_the_recorded_one_names_the_cast(tmp_path: Path) -> None:
    export = Export()
    _session(export)
    _election(export, CASTS, WEIGHTS)
    export.votes[0]["casts"][1]["ranking"] = [["member:1"]]
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == 3  # session, vote opened, docks' cast, then rail's
    assert "the cast of member:12 in council vote 7 differs from the record" in str(problem)


def test_a_cast_for_a_body_with_no_delegation_is_named(tmp_path: Path) -> None:
    export = Export()
    _session(export, {b: s for b, s in SEATED.items() if b != "mill"})
    _election(export, CASTS, WEIGHTS)
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == 4
    assert "'mill' casts in vote 7 with no delegation seated" in str(problem)


def _item(
    export: Export,
    *,
    new: bool = False,
    casts: dict[str, str] | None = None,
    rows: dict[str, dict[str, int]] | None = None,
) -> int:
    """Put item 4 to the council: docks bound to yes, rail free, mill without a mandate."""
    export.add("item.added", {"new": new, "session": 1}, body="harbour", subject="item:4")
    bound = {"kind": "bound", "option": "yes", "votes": {"yes": 3}, "decision": 21}
    free = {"kind": "free", "option": None, "votes": {"no": 2}, "decision": 22}
    export.add("mandate.decided", bound, body="docks", subject="item:4")
    export.add("mandate.decided", free, body="rail", subject="item:4")
    _session(export)
    options = ["yes", "no", "abstain"]
    opened = opened_vote(method="majority", options=options, session=1, item=4, electorate=9)
    export.add("vote.opened", opened, body="harbour", subject="vote:8")
    for body, option in (casts if casts is not None else {"rail": "no"}).items():
        _cast(export, 8, body, [[option]])
    votes = rows or {"docks": {"yes": 5}, "rail": {"yes": 0, "no": 2, "abstain": 0}}
    totals = dict.fromkeys(options, 0)
    for row in votes.values():
        for option, n in row.items():
            totals[option] += n
    result = decide(totals, electorate=9, quorum=Fraction(0), threshold=Threshold())
    stated = {
        "vote": 8,
        "outcome": result.outcome,
        "winners": ["yes"] if result.outcome == "carried" else [],
        "turnout": sum(totals.values()),
    }
    at = export.add("decision.taken", stated, body="harbour", subject="decision:8")
    delegation_votes = [{"member_body": b, "votes": v, "mandate": None} for b, v in votes.items()]
    cast_rows = [
        {"delegate": DELEGATES[b], "member_body": b, "ranking": [[o]]}
        for b, o in (casts if casts is not None else {"rail": "no"}).items()
    ]
    export.votes.append(
        exported_vote(8, stated, plain(result), delegation_votes=delegation_votes, casts=cast_rows)
    )
    return at


def test_an_item_with_bound_and_free_delegations_verifies(tmp_path: Path) -> None:
    export = Export()
    _item(export)
    report = verify_export(export.write(tmp_path))
    assert report.ok, report.problem
    assert any("1 council items: 2 delegation votes" in line for line in report.checked)


def test_a_free_delegation_vote_that_is_not_its_casts_is_named(tmp_path: Path) -> None:
    export = Export()
    at = _item(export, rows={"docks": {"yes": 5}, "rail": {"yes": 2, "no": 0, "abstain": 0}})
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == at
    assert "but its delegates casts give {'yes': 0, 'no': 2, 'abstain': 0}" in str(problem)


def test_a_bound_delegation_vote_that_is_not_its_mandate_names_the_mandate(
    tmp_path: Path,
) -> None:
    export = Export()
    _item(export, rows={"docks": {"no": 5}, "rail": {"yes": 0, "no": 2, "abstain": 0}})
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == 1  # docks' mandate.decided
    assert "but its mandate give {'yes': 5}" in str(problem)


def test_a_delegate_casting_against_a_bound_mandate_is_named(tmp_path: Path) -> None:
    export = Export()
    _item(export, casts={"rail": "no", "docks": "no"})
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == 6  # docks' cast, after rail's
    assert "member:11 cast for 'docks' on item 4, where its mandate is bound" in str(problem)


def test_a_delegate_casting_without_a_mandate_is_named(tmp_path: Path) -> None:
    export = Export()
    _item(export, casts={"rail": "no", "mill": "yes"})
    problem = verify_export(export.write(tmp_path)).problem
    assert problem is not None
    assert problem.entry == 6
    assert "where its mandate is none" in str(problem)


def test_on_a_new_matter_every_delegation_votes_as_its_delegates_cast(tmp_path: Path) -> None:
    export = Export()
    rows = {
        "docks": {"yes": 0, "no": 5, "abstain": 0},
        "rail": {"yes": 0, "no": 2, "abstain": 0},
        "mill": {"yes": 2, "no": 0, "abstain": 0},
    }
    _item(export, new=True, casts={"docks": "no", "rail": "no", "mill": "yes"}, rows=rows)
    report = verify_export(export.write(tmp_path))
    assert report.ok, report.problem
