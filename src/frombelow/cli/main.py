"""The `frombelow` console script: one entry point, one module per subcommand."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from importlib import import_module

# Subcommands are imported only when called, so that `frombelow count` starts without Django.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "count": ("frombelow.cli.count", "count ballot files by a counting rule"),
    "record": ("frombelow.cli.record", "sign, export and verify the record; witness a log"),
    "manage": ("frombelow.cli.manage", "run a Django management command (migrate, shell, ...)"),
    "token": ("frombelow.cli.token", "issue, list and revoke API tokens for scripts and apps"),
    "serve": ("frombelow.cli.serve", "serve the web application with the production server"),
    "seed-demo": ("frombelow.cli.seed_demo", "create the demo confederation (once)"),
    "notify": ("frombelow.cli.notify", "send the notices that are due (votes closing in a day)"),
    "backup": ("frombelow.cli.backup", "copy the whole database into one file, while it runs"),
    "restore": ("frombelow.cli.restore", "replace the whole database with a backup"),
}


def usage() -> str:
    """Return the top-level help text."""
    lines = ["usage: frombelow COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<9} {summary}" for name, (_, summary) in SUBCOMMANDS.items()]
    lines += ["", "Run `frombelow COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a subcommand and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"frombelow: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = import_module(SUBCOMMANDS[name][0])
    run: Callable[[list[str]], int] = module.run
    return run(rest)


if __name__ == "__main__":
    sys.exit(main())
