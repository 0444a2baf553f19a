"""Rate limits and failed sign-ins count in the database, so that every server process counts the
same requests.

Gunicorn runs several worker processes; a count kept in each one's memory would let a flood
through at the rate times the number of workers. Here a second Python process, started on the
test database, counts the same requester's posts as this one.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from frombelow.http.ratelimit import requester

# Committed for real, so that the other process sees it. The flush afterwards is kept to
# django-axes' tables: the record's tables refuse it, and these tests write nothing else (the
# counts' table, which no flush empties, is cleared by tests/conftest.py).
pytestmark = pytest.mark.django_db(
    transaction=True, available_apps=["django.contrib.contenttypes", "axes"]
)

RATE = "3/m"

# What a worker does for one post: count it against its requester, and say what it counted.
WORKER = """
import json, os, sys
import django
from django.conf import settings
django.setup()
settings.DATABASES["default"]["NAME"] = sys.argv[1]
from django.test import RequestFactory
from django_ratelimit.core import get_usage
from frombelow.http.ratelimit import requester
request = RequestFactory().post("/petitions/1/sign/", REMOTE_ADDR="192.0.2.7")
usage = get_usage(request, group="sign", key=requester, rate=sys.argv[2], method="POST",
                  increment=True)
print(json.dumps([usage["count"], usage["should_limit"]]))
"""


def count_here() -> tuple[int, bool]:
    request = RequestFactory().post("/petitions/1/sign/", REMOTE_ADDR="192.0.2.7")
    usage = get_usage(
        request, group="sign", key=requester, rate=RATE, method="POST", increment=True
    )
    assert usage is not None
    return usage["count"], usage["should_limit"]


def run_in_another_process(script: str, *arguments: str) -> str:
    """Run a script in a new Python process on the test database; return its last line."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(connection.settings_dict["NAME"]), *arguments],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip().splitlines()[-1]


def count_in_another_process() -> tuple[int, bool]:
    count, should_limit = json.loads(run_in_another_process(WORKER, RATE))
    return count, should_limit


def test_two_processes_count_the_same_requesters_posts() -> None:
    assert count_here() == (1, False)
    assert count_in_another_process() == (2, False)
    assert count_here() == (3, False)
    # The fourth post within the minute is over the rate, whichever process receives it.
    assert count_in_another_process() == (4, True)


# A worker's failed sign-ins, as the sign-in form's authentication makes them; then whether the
# name and address are locked out.
FAILED_SIGN_INS = """
import json, sys
import django
from django.conf import settings
django.setup()
settings.DATABASES["default"]["NAME"] = sys.argv[1]
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.test import RequestFactory
request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.8")
for _ in range(int(sys.argv[2])):
    assert authenticate(request, username="ana", password="wrong") is None
print(json.dumps(AxesProxyHandler.is_locked(request, {"username": "ana"})))
"""


def test_failed_sign_ins_in_two_processes_add_up_to_a_lockout() -> None:
    # No account is needed: django-axes counts failures by the name tried, existing or not.
    failures = settings.AXES_FAILURE_LIMIT
    assert json.loads(run_in_another_process(FAILED_SIGN_INS, str(failures - 1))) is False
    assert json.loads(run_in_another_process(FAILED_SIGN_INS, "1")) is True
    attempt = AccessAttempt.objects.get(username="ana", ip_address="192.0.2.8")
    assert attempt.failures_since_start == failures
