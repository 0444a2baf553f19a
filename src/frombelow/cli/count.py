"""`frombelow count FILE... --method NAME`: count ballot files and publish the result sheets.

Only `frombelow.core` and the standard library are imported, never Django, so that the command
starts at once and can be used where no database exists.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import NoReturn, TextIO

from frombelow.cli.sheet import format_sheet
from frombelow.core.ballots.files import SUPPORTED_EXTENSIONS, ballot_files_under, read_ballot_file
from frombelow.core.ballots.profile import BallotError
from frombelow.core.counting.registry import RULES, get_rule
from frombelow.core.counting.rule import CountError, CountOptions, Rule, Threshold
from frombelow.core.counting.serialize import result_to_dict

PROG = "frombelow count"


class _RefusedError(Exception):
    """Bad input: the message is printed on one line and the command exits with status 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports a bad argument as one line, not a usage block."""

    def error(self, message: str) -> NoReturn:
        """Refuse the arguments."""
        raise _RefusedError(f"{message} (see `{PROG} --help`)")


def _epilog() -> str:
    """List the counting rules, the file formats and the exit statuses."""
    width = max(len(name) for name in RULES)
    lines = ["counting rules (--method):"]
    lines += [f"  {name:<{width}}  {rule.summary}" for name, rule in RULES.items()]
    lines += [
        "",
        f"ballot files: {', '.join(SUPPORTED_EXTENSIONS)} (see docs/ballot-files.md); a folder",
        "counts every ballot file under it, in order of path.",
        "",
        "exit status: 0 when every file was counted; 2 when any input was refused (each",
        "refusal is one line on stderr naming the file; the other files are still counted).",
    ]
    return "\n".join(lines)


def _parser() -> _Parser:
    """Describe the command's arguments."""
    parser = _Parser(
        prog=PROG,
        description="Count ballot files by a counting rule and print the result of each.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a ballot file or a folder")
    parser.add_argument("--method", required=True, metavar="NAME", help="the counting rule")
    parser.add_argument(
        "--seats", type=_positive, metavar="N", help="seats to fill (default: the file's, or 1)"
    )
    parser.add_argument(
        "--seed", type=int, metavar="S", help="seed of the lot for ties (default: drawn, printed)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--electorate", type=_positive, metavar="N", help="majority: members entitled to vote"
    )
    parser.add_argument(
        "--quorum",
        type=_share,
        default=Fraction(0),
        metavar="Q",
        help="majority: share of the electorate that must vote (1/3, 0.25, 25%%)",
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=Threshold(),
        metavar="T",
        help="majority: simple, absolute, two-thirds, 3/5 or 3/5-electorate",
    )
    parser.add_argument(
        "--progress", action="store_true", help="name each file on stderr as it is counted"
    )
    return parser


def _positive(text: str) -> int:
    """Read a whole number above 0."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def _share(text: str) -> Fraction:
    """Read a share between 0 and 1: a fraction, a decimal or a percentage."""
    try:
        share = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a share such as 1/3 or 25%") from None
    if not 0 <= share <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share between 0 and 1")
    return share


def _threshold(text: str) -> Threshold:
    """Read a threshold as a statute words it."""
    try:
        return Threshold.parse(text)
    except CountError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: list[str]) -> int:
    """Count the files the arguments name; return the exit status."""
    out, err = sys.stdout, sys.stderr
    try:
        arguments = _parser().parse_args(args)
        rule = get_rule(arguments.method)
    except SystemExit as done:  # --help printed the help
        return 0 if done.code is None else int(done.code)
    except (_RefusedError, CountError) as error:
        print(f"{PROG}: {error}", file=err)
        return 2
    try:
        return _count_all(arguments, rule, out, err)
    except BrokenPipeError:
        # The reader of our output left (`| head`): stop quietly, as the Python docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _count_all(arguments: argparse.Namespace, rule: Rule, out: TextIO, err: TextIO) -> int:
    """Count every file; print each result and each refusal; return the exit status."""
    refused = printed = 0
    files = list(_files(arguments.files))
    show_progress = arguments.progress or (len(files) > 1 and err.isatty())
    for number, path in enumerate(files, 1):
        try:
            if isinstance(path, _RefusedError):
                raise path
            if show_progress:
                print(f"[{number}/{len(files)}] {path}", file=err, flush=True)
            text = _count_file(path, rule, arguments)
        except _RefusedError as error:
            print(f"{PROG}: {error}", file=err, flush=True)
            refused += 1
            continue
        # Sheets are set apart by a blank line; JSON is one object a line.
        print(text if arguments.format == "json" or not printed else "\n" + text, file=out)
        printed += 1
    return 2 if refused else 0


def _files(arguments: list[str]) -> Iterator[str | _RefusedError]:
    """Yield each file named, and each ballot file under each folder named, as paths."""
    for argument in arguments:
        path = Path(argument)
        if not path.is_dir():
            yield argument
            continue
        found = ballot_files_under(path)
        if not found:
            yield _RefusedError(
                f"{argument}: no ballot files ({', '.join(SUPPORTED_EXTENSIONS)}) in this folder"
            )
        yield from (str(file) for file in found)


def _count_file(file: str, rule: Rule, arguments: argparse.Namespace) -> str:
    """Read one file, count it and return its result as text or JSON; refuse bad input."""
    try:
        profile = read_ballot_file(file)
    except BallotError as error:
        raise _RefusedError(str(error)) from None
    seats = arguments.seats or profile.seats or 1
    standing = len(profile.candidates) - len(profile.withdrawn)
    if seats > standing:
        raise _RefusedError(f"{file}: {seats} seats, but only {standing} candidates stand")
    options = CountOptions(
        seats=seats,
        seed=arguments.seed,
        electorate=arguments.electorate,
        quorum=arguments.quorum,
        threshold=arguments.threshold,
    )
    try:
        result = rule.count(profile, options)
    except (BallotError, CountError) as error:
        raise _RefusedError(f"{file}: {error}") from None
    if arguments.format == "json":
        return json.dumps({"file": file, **result_to_dict(result)})
    return format_sheet(result, title=profile.title, file=file, summary=rule.summary).rstrip("\n")
