"""The statute's rule that officers and delegates act only after signing in with a second factor.

Which second factor a request proved is the edge's knowledge (the page's session, the API token),
not the services'; the edge says it once per request with `proving`, and the rule asks it here, so
that every service that checks an officer or a delegate (services/standing.py) applies the rule
whichever edge called it. A call outside any request (a script, a test) proved nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from frombelow.core.errors import StandingError, Words
from frombelow.db.models import Body, Member, SecondFactor
from frombelow.services.queries.bodies import statute_of

# Where a refusal sends the member: the page where they enrol and see their factor.
ENROL_PAGE = "/accounts/two-factor/"

_proved: ContextVar[int | None] = ContextVar("frombelow_second_factor", default=None)


class SecondFactorRequiredError(StandingError):
    """An officer's or delegate's act whose body's statute needs a second factor not yet proved."""


@contextmanager
def proving(factor_id: int | None) -> Iterator[None]:
    """Let the services know, for the calls inside, which second factor the request proved."""
    token = _proved.set(factor_id)
    try:
        yield
    finally:
        _proved.reset(token)


def prove(factor_id: int | None) -> None:
    """Say which factor the request proved, inside a `proving` block that an edge opened."""
    _proved.set(factor_id)


def proved_factor() -> int | None:
    """Return the id of the second factor the current request proved, if any."""
    return _proved.get()


def has_proved(member: Member) -> bool:
    """Tell whether the current request proved a live second factor of the member's account."""
    factor = _proved.get()
    if factor is None or member.user_id is None:
        return False
    return SecondFactor.objects.filter(
        pk=factor, user_id=member.user_id, confirmed_at__isnull=False, disabled_at__isnull=True
    ).exists()


def require_second_factor(member: Member, bodies: Iterable[Body], what: str) -> None:
    """Refuse the act if the statute of any of `bodies` needs a second factor the member lacks.

    `bodies` are those whose statute governs the role: the body an officer serves; the council a
    delegate sits in and the member bodies that elected them.
    """
    needing = [body for body in bodies if statute_of(body).officers_need_two_factor]
    if not needing or has_proved(member):
        return
    raise SecondFactorRequiredError(
        "%(what)s: the statute of %(body)r requires its officers and delegates to sign in with a "
        "second factor, and %(member)s has not done so in this session (nor issued this API "
        "token from such a session); enrol one at %(page)s and sign in with its code",
        what=Words(what),
        body=needing[0].slug,
        member=member.name,
        page=ENROL_PAGE,
    )
