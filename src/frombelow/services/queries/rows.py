"""The rows the queries return, named for the edges' annotations: for type checking only.

An edge annotates with them under `if TYPE_CHECKING:` and reads rows only through the queries; at
run time this module names nothing, so that no edge can reach a model's manager through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frombelow.db.models import (
        Amendment,
        ApiToken,
        Appeal,
        Body,
        Charge,
        Decision,
        DelegateCast,
        Delegation,
        DelegationVote,
        Election,
        Founder,
        Founding,
        Implementation,
        Item,
        Mandate,
        Member,
        MembershipApplication,
        Motion,
        Petition,
        ProgressReport,
        Referendum,
        Reply,
        Sanction,
        Session,
        Statement,
        Tendency,
        Term,
        Vote,
    )

    __all__ = [
        "Amendment",
        "ApiToken",
        "Appeal",
        "Body",
        "Charge",
        "Decision",
        "DelegateCast",
        "Delegation",
        "DelegationVote",
        "Election",
        "Founder",
        "Founding",
        "Implementation",
        "Item",
        "Mandate",
        "Member",
        "MembershipApplication",
        "Motion",
        "Petition",
        "ProgressReport",
        "Referendum",
        "Reply",
        "Sanction",
        "Session",
        "Statement",
        "Tendency",
        "Term",
        "Vote",
    ]
