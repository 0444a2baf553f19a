"""Accounts' sign-ins: ended when their member leaves an assembly or is sanctioned.

Called by the services that end a membership or impose a sanction, in their own transaction (no
signal: the act says what follows from it), so that a member who is no longer what their signed-in
pages assumed signs in again and is seen afresh; the sessions come back if the act fails.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from frombelow.db.models import Member

# The session engines that keep every session in the sessions table, where they can be found.
FINDABLE_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def end_sessions(member: Member) -> int:
    """Sign the member's account out everywhere; return how many sessions ended."""
    if member.user_id is None:
        return 0
    if settings.SESSION_ENGINE not in FINDABLE_ENGINES:
        raise ImproperlyConfigured(
            f"cannot end a member's sessions kept by {settings.SESSION_ENGINE}: "
            f"use one of {sorted(FINDABLE_ENGINES)}"
        )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    user = str(member.user_id)
    # Sessions are keyed by a random key, not by account: every live one is read. The acts that
    # call this are rare (a member leaving, a sanction), so the cost is paid seldom.
    ended = 0
    # Sessions expire in real time, not on the services' clock (which tests move).
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == user:
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
