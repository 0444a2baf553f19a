"""Time `frombelow record verify` on exports of growing size, written by the core alone.

Run `.venv/bin/python benchmarks/record_verify.py [--votes V ...] [--ballots B] [--runs R]`.

For each V it writes an export of V closed open-ballot votes of an assembly, each with B ballots
(one `vote.opened`, B `vote.cast` and one `decision.taken` entry per vote, counted with
`core.counts` as the services count), one signed checkpoint per 100 entries and one at the end,
and times `verify_export` on it R times: the tree, the checkpoints' signatures and chain, every
ballot checked against its entry and every vote recounted. It prints the median, the spread, and
the time per entry, which should stay flat as V grows (the checks look entries up by index, not
by scanning the record once per vote). No peer verifies such a record, so there are no ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from frombelow.core.counting.result import plain
from frombelow.core.counts import VoteRules, count_assembly_vote
from frombelow.core.record.checkpoint import (
    Checkpoint,
    chain_extension,
    generate_signer,
    load_signer,
    sign_checkpoint,
)
from frombelow.core.record.entry import Entry, canonical_bytes
from frombelow.core.record.merkle import MerkleLog, leaf_hash
from frombelow.core.record.verify import CHECKPOINTS, ENTRIES, VERIFIER, VOTES, verify_export
from frombelow.core.voting import ranking_of

ORIGIN = "bench.frombelow/record"
OPTIONS = ["yes", "no", "abstain"]


def _write(folder: Path, votes: int, ballots: int) -> int:
    """Write the export; return how many entries it holds."""
    signer_text, verifier_text = generate_signer(ORIGIN)
    signer = load_signer(signer_text)
    log = MerkleLog()
    lines: list[bytes] = []
    notes: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []

    def add(action: str, data: dict[str, Any], actor: str, subject: str) -> None:
        entry = Entry(len(lines), "2026-11-25T10:00:00Z", actor, action, "ward", subject, data)
        line = canonical_bytes(entry)
        lines.append(line)
        log.append(leaf_hash(line))
        if log.size % 100 == 0:
            sign()

    def sign() -> None:
        chain = chain_extension(len(notes), notes[-1]["size"] if notes else None)
        note = sign_checkpoint(Checkpoint(ORIGIN, log.size, log.root(), (chain,)), signer)
        notes.append({"size": log.size, "note": note})

    threshold = {"share": "1/2", "base": "cast", "strict": True}
    for pk in range(1, votes + 1):
        opened = {
            "method": "majority",
            "options": OPTIONS,
            "seats": 1,
            "ballot": "open",
            "mode": "online",
            "quorum": "0",
            "threshold": threshold,
            "by_consent": False,
            "electorate": ballots,
            "motion": pk,
            "item": None,
            "session": None,
        }
        add("vote.opened", opened, "system", f"vote:{pk}")
        cast = [(f"member:{i}", [[OPTIONS[(i * pk) % 3]]]) for i in range(1, ballots + 1)]
        for voter, ranking in cast:
            add("vote.cast", {"vote": pk, "ranking": ranking}, voter, f"vote:{pk}")
        rules = VoteRules("majority", tuple(OPTIONS), electorate=ballots)
        pairs = [(ranking_of("majority", OPTIONS, r), 1) for _, r in cast]
        counted = count_assembly_vote(rules, pairs, len(cast))
        stated = {
            "vote": pk,
            "outcome": counted.outcome,
            "winners": list(counted.winners),
            "turnout": counted.turnout,
        }
        add("decision.taken", stated, "system", f"decision:{pk}")
        rows.append(
            {
                "vote": pk,
                "ballots": [{"voter": v, "ranking": r} for v, r in cast],
                "tally": None,
                "delegation_votes": [],
                "casts": [],
                "decision": {**stated, "id": pk, "count": plain(counted.result)},
            }
        )
    if not notes or notes[-1]["size"] != log.size:
        sign()
    (folder / ENTRIES).write_bytes(b"".join(line + b"\n" for line in lines))
    (folder / CHECKPOINTS).write_text("".join(json.dumps(n) + "\n" for n in notes))
    (folder / VERIFIER).write_text(verifier_text + "\n")
    (folder / VOTES).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return len(lines)


def main(args: list[str]) -> int:
    """Write the exports, verify each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--votes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--ballots", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(args)
    print(f"{'votes':>6} {'entries':>8} {'median s':>9} {'min s':>7} {'max s':>7} {'us/entry':>9}")
    for votes in options.votes:
        with tempfile.TemporaryDirectory(prefix="fb-verify-bench-") as directory:
            folder = Path(directory)
            entries = _write(folder, votes, options.ballots)
            times = []
            for _ in range(options.runs):
                started = time.perf_counter()
                report = verify_export(folder)
                times.append(time.perf_counter() - started)
                if not report.ok:
                    print(f"the export does not verify: {report.problem}")
                    return 1
            median = statistics.median(times)
            print(
                f"{votes:>6} {entries:>8} {median:>9.2f} {min(times):>7.2f} {max(times):>7.2f} "
                f"{median / entries * 1e6:>9.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
