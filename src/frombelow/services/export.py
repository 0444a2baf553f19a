"""Export the record and what its counts rest on, for `frombelow record verify` (core only).

The layout is in docs/record.md, "Export"; the checks in `frombelow.core.record.verify`. Entries
are written as the bytes their leaves hash; everything else (ballots, tallies, weights and the
rolls they come from, mandates and delegation votes, stored counts) as JSON lines, read from the
tables as they are, so that the verifier sees any change made to them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from frombelow.core.record.verify import CHECKPOINTS, ENTRIES, VERIFIER, VOTES, WEIGHTS
from frombelow.db.models import (
    Checkpoint,
    Decision,
    DelegateCast,
    Delegation,
    DelegationVote,
    Mandate,
    RecordEntry,
    Vote,
    WeightSnapshot,
)
from frombelow.services.checkpoints import verifier
from frombelow.services.queries.ballots import last_secret_ballots
from frombelow.services.queries.bodies import roll_at
from frombelow.services.weights import statutes_at, subtree_at


def _line(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _ballots(vote: Vote) -> Any:
    if vote.mode == Vote.Mode.MEETING:
        return None
    if vote.ballot_kind == Vote.BallotKind.OPEN:
        rows = vote.ballots.order_by("voter_id").values_list("voter_id", "ranking")
        return [{"voter": f"member:{voter}", "ranking": ranking} for voter, ranking in rows]
    return [
        {"tracker_hash": b.tracker_hash, "ranking": b.ranking} for b in last_secret_ballots(vote)
    ]


def _tally(vote: Vote) -> Any:
    if vote.mode != Vote.Mode.MEETING:
        return None
    return {"counts": vote.tally.counts, "attendance": vote.attendance.count()}


def _delegation_votes(vote: Vote) -> list[dict[str, Any]]:
    if vote.session_id is None:
        return []
    seated = {d.member_body_id: d for d in Delegation.objects.filter(session_id=vote.session_id)}
    mandates = (
        {m.member_body_id: m for m in Mandate.objects.filter(item_id=vote.item_id)}
        if vote.item_id is not None
        else {}
    )
    rows = []
    for row in DelegationVote.objects.filter(vote=vote).select_related("member_body"):
        delegation = seated.get(row.member_body_id)
        mandate = mandates.get(row.member_body_id)
        rows.append(
            {
                "member_body": row.member_body.slug,
                "votes": row.votes,
                "derivation": row.derivation,
                "delegation": None
                if delegation is None
                else {
                    "weight": delegation.weight,
                    "seats": delegation.seats,
                    "votes_per_seat": delegation.votes_per_seat,
                },
                "mandate": None
                if mandate is None
                else {
                    "kind": mandate.kind,
                    "option": mandate.option,
                    "votes": mandate.shares,
                    "decision": mandate.decision_id,
                },
            }
        )
    return sorted(rows, key=lambda r: str(r["member_body"]))


def _casts(vote: Vote) -> list[dict[str, Any]]:
    """Return a council vote's delegates' casts: on free items, new matters and elections."""
    rows = DelegateCast.objects.filter(vote=vote).select_related("member_body").order_by("pk")
    return [
        {
            "delegate": f"member:{c.delegate_id}",
            "member_body": c.member_body.slug,
            "ranking": c.ranking,
        }
        for c in rows
    ]


def _vote(decision: Decision) -> dict[str, Any]:
    vote = decision.vote
    return {
        "vote": vote.pk,
        "body": vote.body.slug,
        "method": vote.method,
        "options": vote.options,
        "seats": vote.seats,
        "ballot_kind": vote.ballot_kind,
        "mode": vote.mode,
        "quorum": vote.quorum,
        "threshold": vote.threshold,
        "by_consent": vote.by_consent,
        "electorate": vote.electorate,
        "motion": vote.motion_id,
        "council": vote.session_id is not None,
        "item": vote.item_id,
        "ballots": _ballots(vote),
        "tally": _tally(vote),
        "delegation_votes": _delegation_votes(vote),
        "casts": _casts(vote) if vote.session_id is not None else [],
        "decision": {
            "id": decision.pk,
            "outcome": decision.outcome,
            "winners": decision.winners,
            "turnout": decision.turnout,
            "count": decision.count,
        },
    }


def _weights(snapshot: WeightSnapshot) -> dict[str, Any]:
    at = snapshot.taken_at
    federation = subtree_at(snapshot.body, at)
    kinds = {b: federation.bodies[b].kind for b in federation.order}
    assemblies = [b for b, kind in kinds.items() if kind == "assembly"]
    councils = [b for b, kind in kinds.items() if kind == "council"]
    roll = roll_at(at, assemblies)
    pairs = [
        [int(member), roll.assemblies[code]]
        for member, code in zip(roll.members.tolist(), roll.codes.tolist(), strict=True)
    ]
    return {
        "snapshot": snapshot.pk,
        "body": snapshot.body.slug,
        "taken_at": at.isoformat(),
        "members": snapshot.members,
        "weights": dict(snapshot.weights.values_list("body__slug", "weight")),
        "roll": {
            "bodies": sorted([b, kind] for b, kind in kinds.items()),
            "affiliations": sorted([m, c] for m, c in federation.memberships),
            "member_counting": {b: s.member_counting for b, s in statutes_at(councils, at).items()},
            "pairs": pairs,
        },
    }


def export_record(directory: Path) -> dict[str, int]:
    """Write the record and what its counts rest on into `directory`; return what was written."""
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with (directory / ENTRIES).open("wb") as out:
        count = 0
        for canonical in RecordEntry.objects.order_by("seq").values_list("canonical", flat=True):
            out.write(bytes(canonical) + b"\n")
            count += 1
        written["entries"] = count
    with (directory / CHECKPOINTS).open("w", encoding="utf-8") as out:
        rows = Checkpoint.objects.order_by("size").values_list("size", "note")
        for size, note in rows:
            out.write(_line({"size": size, "note": note}))
        written["checkpoints"] = len(rows)
    (directory / VERIFIER).write_text(verifier().text() + "\n", encoding="utf-8")
    decisions = Decision.objects.select_related("vote", "vote__body").order_by("vote_id")
    with (directory / VOTES).open("w", encoding="utf-8") as out:
        for decision in decisions:
            out.write(_line(_vote(decision)))
        written["votes"] = len(decisions)
    snapshots = WeightSnapshot.objects.select_related("body").order_by("id")
    with (directory / WEIGHTS).open("w", encoding="utf-8") as out:
        for snapshot in snapshots:
            out.write(_line(_weights(snapshot)))
        written["weight snapshots"] = len(snapshots)
    return written
