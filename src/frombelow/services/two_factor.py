"""Two-factor sign-in: enrol a TOTP secret, confirm it, check codes and recovery codes, disable.

A second factor is account security, not an act of self-government, so it writes no record entry
(like API tokens, services/tokens.py): which devices a member uses is theirs alone (MODEL 8,
privacy), and a secret must never reach the record. Codes follow RFC 6238 through pyotp
(docs/decisions/0005-two-factor-with-pyotp.md); time is the real time of the member's device,
never the services' clock, which tests move.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import pyotp
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from frombelow.core.errors import DomainError
from frombelow.db.models import RecoveryCode, SecondFactor
from frombelow.services import clock

ISSUER = "frombelow"
RECOVERY_CODES = 10
# 16 base32 characters are 80 random bits: beyond guessing, so a fast hash at rest suffices, and
# a code is found by its digest in one indexed read (no stretching of ten hashes per attempt).
RECOVERY_CHARS = 16
# A code is accepted one step (30 s) either side of now, for a phone's clock that drifts a little.
DRIFT_STEPS = 1


class TwoFactorError(DomainError):
    """A second factor that cannot be enrolled, confirmed or disabled as asked."""


def normalize(code: str) -> str:
    """Return a typed code without spaces and dashes, upper-cased (base32 has no lower case)."""
    return "".join(code.split()).replace("-", "").upper()


def digest_of(code: str) -> str:
    """Return the hex SHA-256 by which a recovery code is kept."""
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def _factors(user: User, *, confirmed: bool) -> QuerySet[SecondFactor]:
    return SecondFactor.objects.filter(
        user=user, confirmed_at__isnull=not confirmed, disabled_at__isnull=True
    )


def live_factor(user: User) -> SecondFactor | None:
    """Return the account's confirmed, live second factor, or None."""
    return _factors(user, confirmed=True).first()


def pending_factor(user: User) -> SecondFactor | None:
    """Return the account's enrolment begun but not yet confirmed, or None."""
    return _factors(user, confirmed=False).first()


def provisioning_uri(factor: SecondFactor) -> str:
    """Return the otpauth:// URI an authenticator app reads (the secret, the account, us)."""
    return pyotp.TOTP(factor.secret).provisioning_uri(name=factor.user.username, issuer_name=ISSUER)


@transaction.atomic
def begin_enrolment(*, user: User) -> SecondFactor:
    """Make a new secret for the account, to be confirmed with a code from the member's app."""
    if live_factor(user) is not None:
        raise TwoFactorError(
            "%(username)s already signs in with a second factor; disable it first to enrol "
            "a new one",
            username=user.username,
        )
    now = clock.now()
    # An enrolment begun and abandoned is set aside, so that the new secret is the only pending one.
    _factors(user, confirmed=False).update(disabled_at=now)
    return SecondFactor.objects.create(user=user, secret=pyotp.random_base32(), created_at=now)


def _accepted_step(factor: SecondFactor, code: str) -> int | None:
    """Return the time step whose code `code` is, if it is current and not used before."""
    code = normalize(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(factor.secret)
    step = totp.timecode(datetime.now(tz=UTC))
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        candidate = step + offset
        if factor.last_step is not None and candidate <= factor.last_step:
            continue  # already used: a code overheard once cannot be played again
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


@transaction.atomic
def confirm_enrolment(*, user: User, code: str) -> tuple[SecondFactor, list[str]]:
    """Confirm the pending secret with a current code; return it and ten recovery codes.

    The recovery codes are returned once, here, and kept only as hashes.
    """
    factor = _factors(user, confirmed=False).select_for_update().first()
    if factor is None:
        raise TwoFactorError(
            "%(username)s has no enrolment to confirm; begin one first", username=user.username
        )
    step = _accepted_step(factor, code)
    if step is None:
        raise TwoFactorError(
            "that code does not match the secret: enter the 6 digits your app shows now"
        )
    factor.confirmed_at = clock.now()
    factor.last_step = step
    factor.save(update_fields=["confirmed_at", "last_step"])
    return factor, _new_recovery_codes(factor)


def _new_recovery_codes(factor: SecondFactor) -> list[str]:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(RECOVERY_CHARS))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_CHARS, 4)))
    RecoveryCode.objects.bulk_create(
        RecoveryCode(factor=factor, digest=digest_of(code)) for code in codes
    )
    return codes


@transaction.atomic
def check_code(*, user: User, code: str) -> SecondFactor | None:
    """Return the live factor if `code` is its current TOTP code or an unused recovery code.

    An accepted TOTP code cannot be accepted again; a recovery code is spent.
    """
    factor = _factors(user, confirmed=True).select_for_update().first()
    if factor is None:
        return None
    step = _accepted_step(factor, code)
    if step is not None:
        factor.last_step = step
        factor.save(update_fields=["last_step"])
        return factor
    spent = RecoveryCode.objects.filter(
        factor=factor, digest=digest_of(code), used_at__isnull=True
    ).update(used_at=clock.now())
    return factor if spent else None


def recovery_codes_left(factor: SecondFactor) -> int:
    """Return how many of the factor's recovery codes are still unused."""
    return factor.recovery_codes.filter(used_at__isnull=True).count()


@transaction.atomic
def disable(*, user: User, code: str) -> SecondFactor:
    """Disable the account's second factor, on a current code or a recovery code.

    Sessions and API tokens that proved it stop counting as a second factor with it: the rule in
    services/two_factor_rule.py asks for a live factor. They keep their link to it, so that the
    owner can still see which factor a token was issued under.
    """
    factor = check_code(user=user, code=code)
    if factor is None:
        raise TwoFactorError(
            "disabling the second factor needs a current code from your app, or a recovery code"
        )
    factor.disabled_at = clock.now()
    factor.save(update_fields=["disabled_at"])
    return factor
