"""The models: storage only. The rules live in `frombelow.core`, the writes in services."""

from frombelow.db.models.applications import Application
from frombelow.db.models.bodies import Affiliation, Body, Membership
from frombelow.db.models.charges import Charge, Reply
from frombelow.db.models.decisions import (
    Decision,
    Dissent,
    Implementation,
    OptOut,
    ProgressReport,
    Ratification,
    Ratified,
)
from frombelow.db.models.foundings import Founder, Founding, MembershipApplication
from frombelow.db.models.motions import Amendment, Motion, Support
from frombelow.db.models.notices import NoticeChoice, NoticeKind, NoticeSent
from frombelow.db.models.offices import (
    Candidacy,
    Election,
    Substitute,
    Term,
    TermEnd,
    Withdrawal,
)
from frombelow.db.models.people import Member
from frombelow.db.models.petitions import Petition, Signature
from frombelow.db.models.record import Checkpoint, RecordEntry, RecordHead
from frombelow.db.models.referendums import (
    Referendum,
    ReferendumBallot,
    ReferendumParticipation,
    ReferendumResult,
    ReferendumTally,
)
from frombelow.db.models.sanctions import Appeal, Lifting, Sanction
from frombelow.db.models.sessions import Delegation, Item, Mandate, Session
from frombelow.db.models.statutes import StatuteVersion
from frombelow.db.models.tendencies import Adherence, Hiding, Statement, Tendency
from frombelow.db.models.tokens import ApiToken, IdempotentRequest
from frombelow.db.models.two_factor import RecoveryCode, SecondFactor
from frombelow.db.models.votes import (
    Attendance,
    Ballot,
    DelegateCast,
    DelegationVote,
    Elector,
    Participation,
    SecretBallot,
    Tally,
    Vote,
)
from frombelow.db.models.weights import BodyWeight, WeightSnapshot

__all__ = [
    "Adherence",
    "Affiliation",
    "Amendment",
    "ApiToken",
    "Appeal",
    "Application",
    "Attendance",
    "Ballot",
    "Body",
    "BodyWeight",
    "Candidacy",
    "Charge",
    "Checkpoint",
    "Decision",
    "DelegateCast",
    "Delegation",
    "DelegationVote",
    "Dissent",
    "Election",
    "Elector",
    "Founder",
    "Founding",
    "Hiding",
    "IdempotentRequest",
    "Implementation",
    "Item",
    "Lifting",
    "Mandate",
    "Member",
    "Membership",
    "MembershipApplication",
    "Motion",
    "NoticeChoice",
    "NoticeKind",
    "NoticeSent",
    "OptOut",
    "Participation",
    "Petition",
    "ProgressReport",
    "Ratification",
    "Ratified",
    "RecordEntry",
    "RecordHead",
    "RecoveryCode",
    "Referendum",
    "ReferendumBallot",
    "ReferendumParticipation",
    "ReferendumResult",
    "ReferendumTally",
    "Reply",
    "Sanction",
    "SecondFactor",
    "SecretBallot",
    "Session",
    "Signature",
    "Statement",
    "StatuteVersion",
    "Substitute",
    "Support",
    "Tally",
    "Tendency",
    "Term",
    "TermEnd",
    "Vote",
    "WeightSnapshot",
    "Withdrawal",
]
