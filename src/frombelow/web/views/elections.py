"""An election: its candidates, the ranking form, and the count round by round."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from frombelow.services.elections import candidate_label
from frombelow.services.queries.decisions import decision_of
from frombelow.services.queries.elections import election_with_id
from frombelow.services.queries.votes import has_voted, is_elector
from frombelow.web.charts import label_name, round_pictures
from frombelow.web.pages import member_page, now, reader_of

# The counting rules by the names members know them by.
METHODS = {
    "irv": _("instant runoff (IRV)"),
    "stv-scottish": _("single transferable vote (Scottish rules)"),
    "stv-meek": _("single transferable vote (Meek's method)"),
    "plurality": _("plurality"),
    "approval": _("approval"),
    "schulze": _("Schulze"),
}


@member_page
def election(request: HttpRequest, pk: int) -> HttpResponse:
    """Render an election: candidates, the ballot while open, and the result with its rounds."""
    found = election_with_id(pk)
    member = reader_of(request, found.body)
    at = now()
    vote = found.vote
    decision = decision_of(vote) if vote is not None else None
    candidacies = list(found.candidacies.select_related("member", "tendency"))
    options = (
        [(i, label_name(label)) for i, label in enumerate(vote.options)] if vote is not None else []
    )
    context = {
        "election": found,
        "candidacies": candidacies,
        "vote": vote,
        "options": options,
        "method": METHODS.get(vote.method, vote.method) if vote is not None else "",
        "may_vote": vote is not None
        and decision is None
        and vote.session_id is None
        and vote.closes_at is not None
        and vote.closes_at > at
        and is_elector(vote, member)
        and not has_voted(vote, member.pk),
        "voted": vote is not None and has_voted(vote, member.pk),
        "may_count": vote is not None
        and decision is None
        and vote.closes_at is not None
        and vote.closes_at <= at,
        "decision": decision,
        "winners": [label_name(w) for w in decision.winners] if decision else [],
        "rounds": round_pictures(decision.count) if decision else [],
        "tie_breaks": decision.count.get("tie_breaks", []) if decision else [],
        "terms": list(found.terms.select_related("holder")),
        "substitutes": list(found.substitutes.select_related("member")),
        "labels": {candidate_label(c.member): c.member.name for c in candidacies},
        "now": at,
    }
    return render(request, "web/election.html", context)
