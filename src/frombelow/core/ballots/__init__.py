"""Ballots and the files they come in (BLT, PrefLib, CSV)."""

from frombelow.core.ballots.profile import Ballot, BallotError, Profile

__all__ = ["Ballot", "BallotError", "Profile"]
