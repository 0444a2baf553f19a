"""A congress for a real server: one assembly of many members, each with an API token, and
motions open to their vote; and the HTTP client that casts and reads against the server.

The congress is built through the services in a process of its own pointed at the server's
database (`python -m tests.support.congress OUT.json --voters N --votes K`, DATABASE_URL set),
which writes what the clients need: the votes' ids and each voter's member id and token.
Accounts are linked to members directly, as the API tests do (no service makes accounts yet),
with unusable passwords: tokens alone sign these voters in, and no password is hashed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.scratch import environment
from tests.support.server import PROXY_HEADERS


@dataclass(frozen=True)
class Congress:
    """What the clients need: the votes open, and each voter's member id and API token."""

    votes: list[int]
    members: list[int]
    tokens: list[str]

    @classmethod
    def load(cls, path: Path) -> Congress:
        data = json.loads(path.read_text())
        return cls(votes=data["votes"], members=data["members"], tokens=data["tokens"])


def seed(voters: int, votes: int) -> dict[str, Any]:
    """Build the congress through the services in this process's database; return its ids."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import connection

    from frombelow.core.statutes import Statute
    from frombelow.db.models import Member, Vote
    from frombelow.services import bodies, clock, deciding, motions
    from frombelow.services.tokens import issue_token

    if connection.vendor == "postgresql":
        # The congress is the test's fixture: its thousands of small transactions need not each
        # wait for the disk (a crash of this process would only fail the test's set-up).
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    members = [
        bodies.register_member(actor="system", name=f"Delegate {i:05d}")
        for i in range(1, voters + 1)
    ]
    # No notice and no deadline: a submitted motion opens by itself at once, for the statute's
    # minimum voting period (72 hours by default), as `frombelow notify` opens it.
    statute = Statute(min_notice_hours=0, motion_deadline_days=0)
    assembly = bodies.found_assembly(
        actor=members[0], name="Congress", slug="congress", founders=members, statute=statute
    )
    users = User.objects.bulk_create(
        User(username=f"delegate-{m.pk}", password=make_password(None)) for m in members
    )
    tokens = []
    for member, user in zip(members, users, strict=True):
        Member.objects.filter(pk=member.pk).update(user=user)
        tokens.append(issue_token(user=user, name="congress")[1])
    submitted = [
        motions.submit_motion(
            actor=members[0],
            motion=motions.propose_motion(
                actor=members[0], body=assembly, title=f"Motion {number}", text="We resolve"
            ),
        ).pk
        for number in range(1, votes + 1)
    ]
    assert deciding.open_due_motions(clock.now()) == votes
    opened = list(
        Vote.objects.filter(motion__in=submitted).order_by("pk").values_list("pk", flat=True)
    )
    return {"votes": opened, "members": [m.pk for m in members], "tokens": tokens}


def build(url: str, data_dir: Path, out: Path, *, voters: int, votes: int) -> Congress:
    """Seed the congress into the database at `url` from a child process; return it."""
    command = [sys.executable, "-m", "tests.support.congress", str(out)]
    command += ["--voters", str(voters), "--votes", str(votes)]
    subprocess.run(
        command,
        env=environment(url, data_dir),
        cwd=Path(__file__).resolve().parents[2],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return Congress.load(out)


@dataclass(frozen=True)
class Reply:
    """A server's answer: its status, its body, and how long the request took."""

    status: int
    body: bytes
    seconds: float


def call(
    address: tuple[str, int],
    method: str,
    path: str,
    token: str,
    body: Any = None,
    *,
    key: str | None = None,
    timeout: float = 60.0,
) -> Reply:
    """Send one request on a fresh connection (gunicorn's sync workers close each after one).

    Raises OSError (or http.client's errors) when the server is not there or drops the request.
    """
    headers = {**PROXY_HEADERS, "Authorization": f"Bearer {token}"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if key is not None:
        headers["Idempotency-Key"] = key
    started = time.perf_counter()
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return Reply(response.status, data, time.perf_counter() - started)


def cast(address: tuple[str, int], vote: int, token: str, choice: str, key: str | None) -> Reply:
    """Cast a ballot for `choice` on a motion's vote through the API."""
    return call(
        address, "POST", f"/api/v1/votes/{vote}/ballots", token, {"ranking": [[choice]]}, key=key
    )


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.congress", description=__doc__)
    parser.add_argument("out", type=Path, help="where to write the votes, members and tokens")
    parser.add_argument("--voters", type=int, required=True)
    parser.add_argument("--votes", type=int, default=1)
    options = parser.parse_args(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    options.out.write_text(json.dumps(seed(options.voters, options.votes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
