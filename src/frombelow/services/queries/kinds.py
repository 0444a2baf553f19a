"""The words a row's kind is stored as, for the edges to compare with and offer.

These are values, not rows: an edge names `BodyKind.ASSEMBLY` or offers `MotionKindCode` in a
schema without importing the models, which it reads only through the queries.
"""

from __future__ import annotations

from frombelow.db.models import Amendment, Body, Motion, NoticeKind, Petition, Vote

__all__ = [
    "AmendmentStatus",
    "BallotKind",
    "BodyKind",
    "MotionKindCode",
    "MotionStatus",
    "NoticeKind",
    "PetitionKind",
    "VoteMode",
]

BallotKind = Vote.BallotKind
BodyKind = Body.Kind
# The code a motion kind is stored and proposed under (`motion_kinds.MotionKind.code`).
MotionKindCode = Motion.Kind
MotionStatus = Motion.Status
AmendmentStatus = Amendment.Status
PetitionKind = Petition.Kind
VoteMode = Vote.Mode
