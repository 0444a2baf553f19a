"""The words a row's kind or status is stored as, for the edges to compare with and offer.

These are values, not rows: an edge names `BodyKind.ASSEMBLY` or offers `MotionKind` in a schema
without importing the models, which it reads only through the queries.
"""

from __future__ import annotations

from frombelow.db.models import Body, Motion, NoticeKind, Petition, Vote

__all__ = ["BallotKind", "BodyKind", "MotionKind", "MotionStatus", "NoticeKind", "PetitionKind"]

BallotKind = Vote.BallotKind
BodyKind = Body.Kind
MotionKind = Motion.Kind
MotionStatus = Motion.Status
PetitionKind = Petition.Kind
