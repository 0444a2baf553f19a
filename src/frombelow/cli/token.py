"""`frombelow token`: issue, list and revoke a user's API tokens for scripts and apps.

The operator's acts on a member's account leave a trace: issuing and revoking are record entries
in the operator's name, the member is told by e-mail, and a token issued here acts for them only
once they confirm it on their account's security page.
"""

from __future__ import annotations

import argparse
import os
import sys


def parser() -> argparse.ArgumentParser:
    """Return the command line of `frombelow token`."""
    p = argparse.ArgumentParser(
        prog="frombelow token", description="Issue, list and revoke API tokens."
    )
    sub = p.add_subparsers(dest="action", required=True)
    issue = sub.add_parser(
        "issue",
        help="issue a token; it is printed once and never again, and acts once its user confirms",
    )
    issue.add_argument("username")
    issue.add_argument("name", help="what the token is for, to tell it apart later")
    listing = sub.add_parser("list", help="list a user's tokens (their prefixes, not the tokens)")
    listing.add_argument("username")
    revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
    revoke.add_argument("username")
    revoke.add_argument("prefix")
    return p


def run(args: list[str]) -> int:
    """Run `frombelow token`."""
    options = parser().parse_args(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    from django.core.exceptions import ObjectDoesNotExist

    from frombelow.core.errors import DomainError
    from frombelow.services import tokens
    from frombelow.services.queries.accounts import tokens_of, user_named

    user = user_named(options.username)
    if user is None:
        print(f"frombelow token: there is no user {options.username!r}", file=sys.stderr)
        return 1
    try:
        if options.action == "issue":
            row, token = tokens.issue_for_user(user=user, name=options.name)
            print(
                f"{token}\n(prefix {row.prefix}; this is the only time the token is shown; it acts "
                "once its user confirms it on their account's security page)"
            )
        elif options.action == "revoke":
            row = tokens.revoke_for_user(user=user, prefix=options.prefix)
            print(f"revoked {row.prefix} ({row.name})")
        else:
            for row in tokens_of(user):
                state = (
                    f"revoked {row.revoked_at:%Y-%m-%d}"
                    if row.revoked_at
                    else "live"
                    if row.confirmed_at
                    else "not yet confirmed"
                )
                print(f"{row.prefix}  {row.created_at:%Y-%m-%d}  {state:<18}  {row.name}")
    # Revoking a prefix the user has no token under says so as a missing row.
    except (DomainError, ObjectDoesNotExist) as error:
        print(f"frombelow token: {error}", file=sys.stderr)
        return 1
    return 0
