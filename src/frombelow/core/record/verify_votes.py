"""Recount every closed vote of an export from its ballots, as the record fixes them.

MODEL.md section 8 ("anyone can recount"): an assembly's vote from its open ballots, its published
secret ballot list or its meeting's tally (`count_assembly_vote`); a council's item from its
delegation votes, each mandated one derived from its mandate and each free one from its delegates'
casts (`mandates`); a council's election from its delegates' casts, each weighing its delegation's
votes per seat (`count_council_election`). The rules (method, options, seats, item, session) are
those of the vote's `vote.opened` entry and the seats those of its session's `session.opened`
entry, so that a change to the tables behind the export cannot change what is recounted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from frombelow.core.counting.majority import ABSTAIN
from frombelow.core.counting.result import plain
from frombelow.core.counting.rule import CountError, Threshold
from frombelow.core.counts import VoteRules, count_assembly_vote, count_council_election
from frombelow.core.decisions import decide
from frombelow.core.mandates import split_proportionally
from frombelow.core.record.entry import Entry
from frombelow.core.record.verify_common import (
    VOTES,
    Json,
    Record,
    VerifyError,
    ballot_list_hash,
    data_of,
    json_lines,
)
from frombelow.core.voting import MOTION, ranking_of

Pairs = list[tuple[tuple[tuple[int, ...], ...], int]]


def _threshold(data: Json) -> Threshold:
    return Threshold(Fraction(data["share"]), data.get("base", "cast"), bool(data.get("strict")))


class _Vote:
    """A closed vote as the record states it: its opening, its decision, and the export's row."""

    def __init__(self, record: Record, row: Json) -> None:
        self.row = row
        self.pk = row["vote"]
        self.decided = record.one("decision.taken", "vote", self.pk, f"vote {self.pk}")
        self.opened = data_of(record.one_on("vote.opened", f"vote:{self.pk}", self.decided))
        self.stated = data_of(self.decided)
        self.at = self.decided.sequence
        self.method: str = self.opened["method"]
        self.options: list[str] = self.opened["options"]

    def fail(self, what: str, at: int | None = None) -> VerifyError:
        return VerifyError(self.at if at is None else at, what)

    def rules(self) -> VoteRules:
        opened = self.opened
        return VoteRules(
            method=self.method,
            options=tuple(self.options),
            seats=int(opened["seats"]),
            electorate=int(opened["electorate"]),
            quorum=Fraction(opened["quorum"]),
            threshold=_threshold(opened["threshold"]),
            by_consent=bool(opened["by_consent"]),
            chooses=opened["motion"] is not None,
        )

    def ranked(self, ranking: Sequence[Sequence[str]]) -> tuple[tuple[int, ...], ...]:
        return ranking_of(self.method, self.options, ranking)

    def seed(self) -> int | None:
        seed = (self.row["decision"]["count"] or {}).get("seed")
        return None if seed is None else int(seed)


def _meeting(record: Record, vote: _Vote) -> tuple[Pairs, int]:
    entered = record.on("tally.entered", f"vote:{vote.pk}")
    if len(entered) != 1:
        raise vote.fail(f"vote {vote.pk} has no tally in the record")
    entry = entered[0]
    tally = vote.row["tally"]
    if plain(entry.data["counts"]) != tally["counts"]:
        raise vote.fail(f"the tally of vote {vote.pk} differs from the record", entry.sequence)
    if len(data_of(entry)["attendance"]) != tally["attendance"]:
        raise vote.fail(f"the attendance of vote {vote.pk} differs", entry.sequence)
    pairs = [(vote.ranked(line["ranking"]), int(line["count"])) for line in tally["counts"]]
    silent = tally["attendance"] - sum(w for _, w in pairs)
    if silent and vote.method == MOTION:
        pairs.append((vote.ranked([[ABSTAIN]]), silent))
    return pairs, int(tally["attendance"])


def _ballots(record: Record, vote: _Vote) -> tuple[Pairs, int]:
    """Check the vote's ballots against the record; return (ranking, weight) pairs and turnout."""
    if vote.opened["mode"] == "meeting":
        return _meeting(record, vote)
    casts = record.about("vote.cast", "vote", vote.pk)
    ballots = vote.row["ballots"]
    if vote.opened["ballot"] == "open":
        recorded = Counter((e.actor, json.dumps(plain(e.data.get("ranking")))) for e in casts)
        exported = Counter((b["voter"], json.dumps(b["ranking"])) for b in ballots)
        if recorded != exported:
            voter = next(iter((exported - recorded) or (recorded - exported)))[0]
            mine = [e.sequence for e in casts if e.actor == voter]
            raise vote.fail(
                f"the open ballot of {voter} in vote {vote.pk} differs from it",
                mine[0] if mine else None,
            )
        return [(vote.ranked(b["ranking"]), 1) for b in ballots], len(casts)
    listed = ballot_list_hash([(b["tracker_hash"], b["ranking"]) for b in ballots])
    if vote.stated.get("ballots") != listed:
        raise vote.fail(
            f"the published ballot list of secret vote {vote.pk} is not the one recorded at "
            "its close"
        )
    if len(ballots) != len(casts):
        raise vote.fail(
            f"secret vote {vote.pk} lists {len(ballots)} ballots for {len(casts)} recorded casts"
        )
    return [(vote.ranked(b["ranking"]), 1) for b in ballots], len(casts)


def _compare(vote: _Vote, outcome: str, winners: Sequence[str], turnout: int, count: Any) -> None:
    """Compare a recount with the decision the record states and the stored count."""
    stated = vote.stated
    if (outcome, list(winners), turnout) != (
        stated["outcome"],
        stated["winners"],
        stated["turnout"],
    ):
        raise vote.fail(
            f"vote {vote.pk} recounts as {outcome} {list(winners)} with turnout {turnout}, but "
            f"the record says {stated['outcome']} {stated['winners']} with turnout "
            f"{stated['turnout']}"
        )
    if count != vote.row["decision"]["count"]:
        raise vote.fail(f"the stored count of vote {vote.pk} is not its recount")


def _assembly(record: Record, vote: _Vote) -> None:
    pairs, turnout = _ballots(record, vote)
    counted = count_assembly_vote(vote.rules(), pairs, turnout, vote.seed())
    result = plain(counted.result) if counted.result is not None else {}
    _compare(vote, counted.outcome, counted.winners, counted.turnout, result)


class _Council:
    """What the record says of a council vote's session and of its delegates' casts."""

    def __init__(self, record: Record, vote: _Vote) -> None:
        session = vote.opened["session"]
        opened = record.one_on("session.opened", f"session:{session}", vote.decided)
        self.seated: dict[str, Json] = data_of(opened).get("delegations") or {}
        self.casts = record.on("delegation.cast", f"vote:{vote.pk}")
        exported = Counter(
            (c["delegate"], c["member_body"], json.dumps(c["ranking"]))
            for c in vote.row.get("casts") or ()
        )
        recorded = Counter(
            (c.actor, c.data["member_body"], json.dumps(plain(c.data["ranking"])))
            for c in self.casts
        )
        if exported != recorded:
            delegate = next(iter((exported - recorded) or (recorded - exported)))[0]
            mine = [c.sequence for c in self.casts if c.actor == delegate]
            raise vote.fail(
                f"the cast of {delegate} in council vote {vote.pk} differs from the record",
                mine[0] if mine else None,
            )
        for cast in self.casts:
            if cast.data["member_body"] not in self.seated:
                raise vote.fail(
                    f"{cast.data['member_body']!r} casts in vote {vote.pk} with no delegation "
                    "seated when its session opened",
                    cast.sequence,
                )

    def weight(self, body: str) -> int:
        return int(self.seated[body]["votes_per_seat"])


def _election(record: Record, vote: _Vote) -> None:
    """Recount a council's election from its delegates' casts, as the services count it."""
    council = _Council(record, vote)
    pairs = [
        (vote.ranked(data_of(c)["ranking"]), council.weight(data_of(c)["member_body"]))
        for c in council.casts
    ]
    counted = count_council_election(vote.rules(), pairs, vote.seed())
    result = plain(counted.result) if counted.result is not None else {}
    _compare(vote, counted.outcome, counted.winners, counted.turnout, result)


def _mandate(record: Record, item: int, body: str) -> Entry | None:
    """Return the record's last mandate of a member body on an item, if it decided one."""
    decided = [e for e in record.on("mandate.decided", f"item:{item}") if e.body == body]
    return decided[-1] if decided else None


def _is_new_matter(record: Record, vote: _Vote, item: int) -> bool:
    """Tell whether the item arose at the session, where no mandate covers it."""
    added = record.on("item.added", f"item:{item}")
    if len(added) != 1:
        raise vote.fail(f"the record has {len(added)} 'item.added' entries for item {item}")
    return bool(added[0].data.get("new"))


def _check_casts_allowed(record: Record, vote: _Vote, council: _Council, item: int) -> None:
    """A delegate casts only where the mandate is free (on an item sent down)."""
    for cast in council.casts:
        body = str(cast.data["member_body"])
        mandate = _mandate(record, item, body)
        kind = "none" if mandate is None else mandate.data["kind"]
        if kind != "free":
            raise vote.fail(
                f"{cast.actor} cast for {body!r} on item {item}, where its mandate is {kind}: "
                "only a free mandate leaves the vote to the delegates",
                cast.sequence,
            )


def _derived(vote: _Vote, council: _Council, body: str, mandate: Entry | None) -> Any:
    """Return a delegation's votes as its mandate, or else its delegates' casts, give them
    (as `mandates.derive_delegation_vote` does; `mandate` is None on a new matter)."""
    seated = council.seated[body]
    votes = int(seated["seats"]) * int(seated["votes_per_seat"])
    kind = mandate.data["kind"] if mandate is not None else "none"
    if kind == "bound":
        return {mandate.data["option"]: votes} if mandate is not None else None
    if kind == "proportional" and mandate is not None:
        return split_proportionally(votes, plain(mandate.data["votes"]), vote.options)
    mine = [c for c in council.casts if c.data["member_body"] == body]
    if not mine:
        return None  # absent
    tally = dict.fromkeys(vote.options, 0)
    for cast in mine:
        tally[plain(cast.data["ranking"])[0][0]] += council.weight(body)
    return tally


def _check_exported_mandate(vote: _Vote, body: str, mandate: Entry, row: Json | None) -> None:
    """Check the mandate the export shows beside a delegation vote against the record's."""
    exported = row.get("mandate") if row else None
    recorded = data_of(mandate)
    if exported is not None and (recorded["kind"], recorded["option"], recorded["votes"]) != (
        exported["kind"],
        exported["option"] or None,
        exported["votes"],
    ):
        raise vote.fail(f"the mandate of {body!r} differs from the record", mandate.sequence)


def _item(record: Record, vote: _Vote, item: int) -> None:
    """Check each delegation's vote on an item against its mandate or casts, then recount."""
    council = _Council(record, vote)
    new = _is_new_matter(record, vote, item)
    if not new:
        _check_casts_allowed(record, vote, council, item)
    rows = {row["member_body"]: row for row in vote.row["delegation_votes"]}
    for body in sorted(set(rows) | set(council.seated)):
        if body not in council.seated:
            raise vote.fail(f"{body!r} votes in vote {vote.pk} with no seated delegation")
        mandate = _mandate(record, item, body)
        row = rows.get(body)
        if mandate is not None:
            _check_exported_mandate(vote, body, mandate, row)
        derived = _derived(vote, council, body, None if new else mandate)
        given = row["votes"] if row else None
        if derived != given:
            mandated = not new and mandate is not None and mandate.data["kind"] != "free"
            raise vote.fail(
                f"the delegation vote of {body!r} in vote {vote.pk} is {given}, but its "
                f"{'mandate' if mandated else 'delegates casts'} give {derived}",
                mandate.sequence if mandated and mandate is not None else None,
            )
    totals = dict.fromkeys(vote.options, 0)
    for row in rows.values():
        for option, count in row["votes"].items():
            totals[option] += count
    if sum(totals.values()) != vote.stated["turnout"]:
        raise vote.fail(
            f"the delegation votes of vote {vote.pk} sum to {sum(totals.values())}, not its "
            f"turnout {vote.stated['turnout']}"
        )
    result = decide(
        totals,
        electorate=int(vote.opened["electorate"]),
        quorum=Fraction(vote.opened["quorum"]),
        threshold=_threshold(vote.opened["threshold"]),
    )
    winners = ["yes"] if result.outcome == "carried" else []
    _compare(vote, result.outcome, winners, vote.stated["turnout"], plain(result))


def check_votes(directory: Path, record: Record) -> list[str]:
    """Recount every closed vote from its ballots and compare with the record and stored count."""
    assemblies = items = elections = delegation_votes = casts = 0
    for row in json_lines(directory / VOTES):
        vote = _Vote(record, row)
        decision = row["decision"]
        if (decision["outcome"], decision["winners"], decision["turnout"]) != (
            vote.stated["outcome"],
            vote.stated["winners"],
            vote.stated["turnout"],
        ):
            raise vote.fail(f"the stored decision of vote {vote.pk} differs from it")
        try:
            if vote.opened["session"] is None:
                _assembly(record, vote)
                assemblies += 1
            elif vote.opened["item"] is None:
                _election(record, vote)
                elections += 1
                casts += len(row.get("casts") or ())
            else:
                _item(record, vote, int(vote.opened["item"]))
                items += 1
                delegation_votes += len(row["delegation_votes"])
                casts += len(row.get("casts") or ())
        except (CountError, ValueError) as error:
            raise vote.fail(f"vote {vote.pk} cannot be recounted: {error}") from None
    return [
        f"{assemblies} assembly votes recounted from their ballots or tallies with the counting "
        "engine: each ballot as the record has it, each outcome and stored count as recorded",
        f"{items} council items: {delegation_votes} delegation votes, each mandated one as its "
        "mandate gives it and each other one as its delegates' casts give it; each item "
        "recounted from them",
        f"{elections} council elections recounted with the counting engine from the delegates' "
        "casts, each weighing its delegation's votes per seat",
        f"{casts} delegates' casts, each as the record has it, each on a free mandate or on what "
        "arose at the session",
    ]
