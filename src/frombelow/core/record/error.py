"""The errors of the record: malformed input, and proofs or signatures that do not hold."""

from __future__ import annotations


class RecordError(ValueError):
    """Input to the record is malformed: say what and where."""


class VerificationError(RecordError):
    """A proof, signature or checkpoint does not verify: say which check failed."""
