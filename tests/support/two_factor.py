"""A member's authenticator app, for tests: the codes it shows, and an account enrolled with one."""

from __future__ import annotations

import time

import pyotp
from django.contrib.auth.models import User

from frombelow.db.models import SecondFactor
from frombelow.services import two_factor


def code_of(factor: SecondFactor, ahead: int = 0) -> str:
    """Return what the member's app shows now, or `ahead` 30-second steps later."""
    return pyotp.TOTP(factor.secret).at(time.time() + 30 * ahead)


def enrolled(user: User) -> tuple[SecondFactor, list[str]]:
    """Enrol and confirm a factor for the account; return it and its recovery codes."""
    factor = two_factor.begin_enrolment(user=user)
    return two_factor.confirm_enrolment(user=user, code=code_of(factor))
