"""The models: storage only. The rules live in `frombelow.core`, the writes in services."""

from frombelow.db.models.bodies import Affiliation, Body, Membership
from frombelow.db.models.people import Member
from frombelow.db.models.record import RecordEntry, RecordHead

__all__ = ["Affiliation", "Body", "Member", "Membership", "RecordEntry", "RecordHead"]
