"""Drawing lots from a seeded generator, so that anyone can redraw the same lot."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence


class Lot:
    """A reproducible lot: the same seed and the same ties draw the same candidates."""

    def __init__(self, seed: int | None = None) -> None:
        # With no seed given, pick one at random and record it in the Result.
        self.seed: int = secrets.randbits(63) if seed is None else seed
        self._random = random.Random(self.seed)

    def draw(self, tied: Sequence[int]) -> int:
        """Draw one of the tied candidates (indices), uniformly."""
        if not tied:
            raise ValueError("cannot draw a lot among no candidates")
        return sorted(tied)[self._random.randrange(len(tied))]

    def method(self) -> str:
        """Describe this lot for the tie-break record."""
        return f"lot (seed {self.seed})"
