"""PrefLib files of ordinal preferences (.soi, .toi, .soc, .toc): read, parse, write.

Source: the PrefLib format specification (PrefLib/PrefLib-Data, FORMAT_SPECIFICATION.md, the
2022 format), "PrefLib File Format": "Metadata Header" and "File Formats for Ordinal
Preferences". A file is a header of metadata lines, then one line per distinct order:

    # FILE NAME: 00001-00000001.soi
    # TITLE: 2002 Dublin North
    # DATA TYPE: soi
    # NUMBER ALTERNATIVES: 12
    # NUMBER VOTERS: 43942
    # NUMBER UNIQUE ORDERS: 19299
    # ALTERNATIVE NAME 1: Cathal Boland F.G.
    ...
    13: 1, {4, 3}, 2        13 voters: 1 first, then 4 and 3 equally, then 2

The alternatives are the candidates (numbered from 1). SOC and TOC orders are complete (they rank
every alternative), SOI and TOI orders may stop early; SOC and SOI have no equal rankings
(curly brackets). Where the header gives NUMBER VOTERS or NUMBER UNIQUE ORDERS, the orders must
agree with it. Two metadata lines of our own carry what an election needs and PrefLib has no
place for, `# NUMBER SEATS: 3` and `# WITHDRAWN ALTERNATIVES: 2, 5`; other readers ignore them.
The older PrefLib format (a first line with the number of candidates) is not read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from frombelow.core.ballots.profile import (
    Ballot,
    BallotError,
    Profile,
    RankGroup,
    Ranking,
)
from frombelow.core.ballots.source import Where, read_text, write_text

DATA_TYPES = ("soc", "soi", "toc", "toi")
STRICT_TYPES = frozenset({"soc", "soi"})  # no equal rankings
COMPLETE_TYPES = frozenset({"soc", "toc"})  # every alternative ranked

_METADATA = re.compile(r"#\s*([A-Za-z][A-Za-z0-9 ]*?)\s*:(.*)$")
_ALTERNATIVE_NAME = re.compile(r"ALTERNATIVE NAME\s+(\d+)$")
_READ_METADATA = frozenset(
    {
        "TITLE",
        "DATA TYPE",
        "NUMBER ALTERNATIVES",
        "NUMBER VOTERS",
        "NUMBER UNIQUE ORDERS",
        "NUMBER SEATS",
        "WITHDRAWN ALTERNATIVES",
    }
)
_ORDER_TOKEN = re.compile(r"\s*(\d+|[{},]|\S)")


def read_preflib(path: str | os.PathLike[str]) -> Profile:
    """Read a PrefLib file; its extension, where it is one of the four, must be its data type."""
    extension = Path(path).suffix.lower().removeprefix(".")
    data_type = extension if extension in DATA_TYPES else None
    return parse_preflib(read_text(path), source=str(path), data_type=data_type)


def parse_preflib(text: str, *, source: str = "<text>", data_type: str | None = None) -> Profile:
    """Parse the text of a PrefLib file; `data_type` is what its name says it holds, if known."""
    where = Where(source)
    metadata: dict[str, tuple[int, str]] = {}  # key -> (line number, value)
    names: dict[int, tuple[int, str]] = {}  # alternative number -> (line number, name)
    orders: list[tuple[int, str, str]] = []  # (line number, count, order)
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            match = _METADATA.match(stripped)
            key = match[1].upper() if match else ""
            alternative = _ALTERNATIVE_NAME.match(key)
            if match is None or (key not in _READ_METADATA and alternative is None):
                continue  # a comment, or metadata we have no use for
            if orders:
                raise where.error(number, "metadata must come before the orders")
            value = match[2].strip()
            if alternative:
                index = int(alternative[1])
                if index in names:
                    raise where.error(number, f"alternative {index} is named twice")
                names[index] = (number, value)
            elif key in metadata:
                raise where.error(number, f"{key} is given twice")
            else:
                metadata[key] = (number, value)
            continue
        count, colon, order = stripped.partition(":")
        if not colon:
            raise where.error(
                number, f"an order line reads 'count: order', as in '3: 1,2'; this reads {line!r}"
            )
        orders.append((number, count.strip(), order))

    kind = _data_type(metadata, data_type, where)
    candidates = _alternatives(metadata, names, where)
    n = len(candidates)
    weights: dict[Ranking, int] = {}
    for number, count_text, order in orders:
        if not count_text.isdigit() or int(count_text) < 1:
            raise where.error(number, f"the count {count_text!r} is not a whole number above 0")
        ranking = _order(order, n, number, where)
        if kind in STRICT_TYPES and any(len(group) > 1 for group in ranking):
            raise where.error(number, f"a {kind} file cannot rank alternatives equally")
        if kind in COMPLETE_TYPES and sum(map(len, ranking)) != n:
            ranked = {c for group in ranking for c in group}
            missing = next(c for c in range(n) if c not in ranked)
            raise where.error(
                number, f"a {kind} order ranks every alternative; this one leaves out {missing + 1}"
            )
        weights[ranking] = weights.get(ranking, 0) + int(count_text)
    _check_totals(metadata, sum(weights.values()), len(orders), where)
    return Profile.from_ballots(
        candidates,
        (Ballot(ranking, weight) for ranking, weight in weights.items()),
        withdrawn=_withdrawn(metadata, n, where),
        seats=_seats(metadata, where),
        title=metadata.get("TITLE", (0, ""))[1],
    )


def _data_type(metadata: dict[str, tuple[int, str]], named: str | None, where: Where) -> str:
    """Return the data type the header declares, checked against the file's name."""
    line, declared = metadata.get("DATA TYPE", (None, named or "toi"))
    declared = declared.lower()
    if declared not in DATA_TYPES:
        raise where.error(
            line, f"DATA TYPE {declared!r} is not ordinal preferences ({', '.join(DATA_TYPES)})"
        )
    if named is not None and declared != named:
        raise where.error(line, f"the file is named .{named} but its DATA TYPE is {declared}")
    return declared


def _alternatives(
    metadata: dict[str, tuple[int, str]], names: dict[int, tuple[int, str]], where: Where
) -> tuple[str, ...]:
    """Return the alternatives' names, checked against NUMBER ALTERNATIVES."""
    if "NUMBER ALTERNATIVES" not in metadata:
        raise where.error(None, "no '# NUMBER ALTERNATIVES:' line (is this a PrefLib 2022 file?)")
    line, text = metadata["NUMBER ALTERNATIVES"]
    if not text.isdigit() or int(text) < 1:
        raise where.error(line, f"NUMBER ALTERNATIVES {text!r} is not a whole number above 0")
    n = int(text)
    for index, (number, _) in sorted(names.items()):
        if not 1 <= index <= n:
            raise where.error(number, f"alternative {index} is not among 1..{n}")
    seen: dict[str, int] = {}
    for index in range(1, n + 1):
        if index not in names:
            raise where.error(None, f"no '# ALTERNATIVE NAME {index}:' line (there are {n})")
        number, name = names[index]
        if not name:
            raise where.error(number, f"alternative {index} has an empty name")
        if name in seen:
            raise where.error(number, f"alternatives {seen[name]} and {index} are both {name!r}")
        seen[name] = index
    return tuple(names[index][1] for index in range(1, n + 1))


def _order(text: str, n: int, number: int, where: Where) -> Ranking:
    """Read one order, `1, {4, 3}, 2`, as rank groups of candidate indices."""
    groups: list[RankGroup] = []
    group: list[int] | None = None  # the group being read inside curly brackets
    expect_item = True  # an alternative or '{' comes next (else ',' or '}')
    seen: set[int] = set()
    for match in _ORDER_TOKEN.finditer(text):
        token = match[1]
        if token.isdigit() and expect_item:
            alternative = int(token)
            if not 1 <= alternative <= n:
                raise where.error(number, f"alternative {alternative} is not among 1..{n}")
            if alternative in seen:
                raise where.error(number, f"alternative {alternative} is ranked twice")
            seen.add(alternative)
            if group is None:
                groups.append((alternative - 1,))
            else:
                group.append(alternative - 1)
            expect_item = False
        elif token == "{" and expect_item and group is None:
            group = []
        elif token == "}" and group is not None and not expect_item:
            groups.append(tuple(group))
            group = None
        elif token == "," and not expect_item:
            expect_item = True
        else:
            raise where.error(number, f"unexpected {token!r} in the order {text.strip()!r}")
    if group is not None or (expect_item and groups):
        raise where.error(number, f"the order {text.strip()!r} is unfinished")
    return tuple(groups)


def _check_totals(
    metadata: dict[str, tuple[int, str]], voters: int, orders: int, where: Where
) -> None:
    """Check NUMBER VOTERS and NUMBER UNIQUE ORDERS, where given, against the orders."""
    for key, actual, what in (
        ("NUMBER VOTERS", voters, "the counts add up to"),
        ("NUMBER UNIQUE ORDERS", orders, "there are order lines:"),
    ):
        if key in metadata:
            line, text = metadata[key]
            if not text.isdigit():
                raise where.error(line, f"{key} {text!r} is not a whole number")
            if int(text) != actual:
                raise where.error(line, f"{key} is {text} but {what} {actual}")


def _seats(metadata: dict[str, tuple[int, str]], where: Where) -> int | None:
    """Return the seats our NUMBER SEATS line gives, if any."""
    if "NUMBER SEATS" not in metadata:
        return None
    line, text = metadata["NUMBER SEATS"]
    if not text.isdigit() or int(text) < 1:
        raise where.error(line, f"NUMBER SEATS {text!r} is not a whole number above 0")
    return int(text)


def _withdrawn(metadata: dict[str, tuple[int, str]], n: int, where: Where) -> frozenset[int]:
    """Return the candidates our WITHDRAWN ALTERNATIVES line names, as indices."""
    if "WITHDRAWN ALTERNATIVES" not in metadata:
        return frozenset()
    line, text = metadata["WITHDRAWN ALTERNATIVES"]
    withdrawn = set()
    for item in filter(None, (part.strip() for part in text.split(","))):
        if not item.isdigit() or not 1 <= int(item) <= n:
            raise where.error(line, f"withdrawn alternative {item!r} is not among 1..{n}")
        withdrawn.add(int(item) - 1)
    return frozenset(withdrawn)


# -- Writing -----------------------------------------------------------------------------------


def data_type_of(profile: Profile) -> str:
    """Return the most restrictive PrefLib data type that holds the profile, as PrefLib asks."""
    rankings = [ballot.ranking for ballot in profile.ballots]
    strict = all(len(group) == 1 for ranking in rankings for group in ranking)
    n = len(profile.candidates)
    complete = all(sum(map(len, ranking)) == n for ranking in rankings)
    return ("s" if strict else "t") + ("oc" if complete else "oi")


def write_preflib(profile: Profile, target: str | os.PathLike[str] | TextIO) -> None:
    """Write a profile as a PrefLib file; a path's extension chooses the data type."""
    if isinstance(target, str | os.PathLike):
        path = Path(target)
        extension = path.suffix.lower().removeprefix(".")
        if extension not in DATA_TYPES:
            raise BallotError(f"{path}: a PrefLib file is named .soc, .soi, .toc or .toi")
        write_text(format_preflib(profile, data_type=extension, file_name=path.name), path)
    else:
        write_text(format_preflib(profile), target)


def format_preflib(profile: Profile, *, data_type: str | None = None, file_name: str = "") -> str:
    """Write a profile as the text of a PrefLib file, one line per distinct order."""
    fits = data_type_of(profile)
    kind = data_type or fits
    if kind not in DATA_TYPES:
        raise BallotError(f"PrefLib data type {kind!r} is not one of {', '.join(DATA_TYPES)}")
    if kind in STRICT_TYPES and fits[0] != "s":
        raise BallotError(f"a .{kind} file cannot hold equal rankings; write .t{kind[1:]}")
    if kind in COMPLETE_TYPES and fits[1:] != "oc":
        raise BallotError(f"a .{kind} file ranks every candidate; these ballots stop early")
    for name in (*profile.candidates, profile.title, file_name):
        if "\n" in name or "\r" in name or name != name.strip():
            raise BallotError(f"PrefLib cannot keep the name {name!r}: a newline or outer spaces")
    if any(not name for name in profile.candidates):
        raise BallotError("PrefLib cannot write a candidate without a name")
    weights: dict[Ranking, int] = {}
    for ballot in profile.ballots:
        if ballot.weight < 1:
            raise BallotError(f"PrefLib counts voters; a ballot of weight {ballot.weight} is none")
        weights[ballot.ranking] = weights.get(ballot.ranking, 0) + ballot.weight
    # PrefLib lists orders by count, most voters first; equal counts keep the profile's order.
    orders = sorted(weights.items(), key=lambda item: -item[1])
    header = {
        "FILE NAME": file_name,
        "TITLE": profile.title,
        "DESCRIPTION": "",
        "DATA TYPE": kind,
        "MODIFICATION TYPE": "original",
        "RELATES TO": "",
        "RELATED FILES": "",
        "PUBLICATION DATE": "",
        "MODIFICATION DATE": "",
        "NUMBER ALTERNATIVES": str(len(profile.candidates)),
        "NUMBER VOTERS": str(sum(weights.values())),
        "NUMBER UNIQUE ORDERS": str(len(orders)),
    }
    if profile.seats is not None:
        header["NUMBER SEATS"] = str(profile.seats)
    if profile.withdrawn:
        header["WITHDRAWN ALTERNATIVES"] = ",".join(str(c + 1) for c in sorted(profile.withdrawn))
    lines = [f"# {key}: {value}".rstrip() for key, value in header.items()]
    lines += [f"# ALTERNATIVE NAME {i}: {name}" for i, name in enumerate(profile.candidates, 1)]
    lines += [f"{weight}: {_format_order(ranking)}".rstrip() for ranking, weight in orders]
    return "\n".join(lines) + "\n"


def _format_order(ranking: Iterable[RankGroup]) -> str:
    """Write one order: `1,{4,3},2`."""
    return ",".join(
        str(group[0] + 1) if len(group) == 1 else "{" + ",".join(str(c + 1) for c in group) + "}"
        for group in ranking
    )
