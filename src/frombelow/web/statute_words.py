"""A statute in plain sentences, in the reader's language, grouped as MODEL.md groups its rules.

The API keeps the statute's stable codes (`statute_json`); a page says what each rule means for
the members: "A vote counts only if at least 10% of those entitled take part", not
`quorum 1/10`. Each sentence is one rule; a rule with its default value is said all the same, so
that members read the whole of what binds them.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from frombelow.core.counting.rule import Threshold
from frombelow.core.statutes import (
    ApportionedSeats,
    PetitionThreshold,
    RatificationMajority,
    Statute,
)

# Shares said in words where there is a common word for them; others as a percentage.
_NAMED_SHARES = {
    Fraction(1, 2): "half",
    Fraction(1, 3): "a third",
    Fraction(2, 3): "two thirds",
    Fraction(1, 4): "a quarter",
    Fraction(3, 4): "three quarters",
    Fraction(3, 5): "three fifths",
}


def share_words(share: Fraction) -> str:
    """Say a share: "half", "two thirds", or "12.5%"."""
    named = _NAMED_SHARES.get(share)
    if named is not None:
        return _(named)
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{float(percent):.1f}%"


def _days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def _hours(n: int) -> str:
    return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}


def _yes_or_no(rule: bool, yes: str, no: str) -> str:
    return _(yes) if rule else _(no)


def threshold_words(threshold: Threshold) -> str:
    """Say what a motion needs to carry."""
    words = {"share": share_words(threshold.share)}
    if threshold.base == "cast":
        if threshold.strict:
            return _("more than %(share)s of the votes cast for and against") % words
        return _("at least %(share)s of the votes cast for and against") % words
    if threshold.strict:
        return _("more than %(share)s of all those entitled to vote") % words
    return _("at least %(share)s of all those entitled to vote") % words


def petition_words(threshold: PetitionThreshold, of: str) -> str:
    """Say how many signatures a petition needs: "10% of the members or 5, whichever is smaller"."""
    share = share_words(threshold.share)
    if threshold.count is None:
        return _("%(share)s of %(of)s") % {"share": share, "of": of}
    if threshold.whichever == "smaller":
        text = _("%(share)s of %(of)s or %(count)s, whichever is smaller")
    else:
        text = _("%(share)s of %(of)s or %(count)s, whichever is larger")
    return text % {"share": share, "of": of, "count": threshold.count}


def _ratification(majority: RatificationMajority) -> str:
    share = share_words(majority.share)
    by = {
        "number": _("of the member bodies"),
        "weight": _("of the member bodies' weight"),
        "both": _("of the member bodies, by number and by weight"),
    }[majority.by]
    if majority.strict:
        return _("more than %(share)s %(by)s") % {"share": share, "by": by}
    return _("at least %(share)s %(by)s") % {"share": share, "by": by}


# The counting rules by the names members know them by.
METHODS = {
    "irv": gettext_lazy("instant runoff (IRV)"),
    "stv-scottish": gettext_lazy("single transferable vote (Scottish rules)"),
    "stv-meek": gettext_lazy("single transferable vote (Meek's method)"),
    "plurality": gettext_lazy("plurality"),
    "approval": gettext_lazy("approval"),
    "schulze": gettext_lazy("Schulze"),
}


def method_words(method: str) -> str:
    """Name a counting method in words."""
    return str(METHODS.get(method, method))


def _listed(matters: frozenset[str]) -> str:
    return ", ".join(sorted(matters))


def sentences(statute: Statute) -> list[tuple[str, list[str]]]:
    """Return the statute as groups of sentences: (heading, its rules), in the active language."""
    return [
        (_("Deciding"), _deciding(statute)),
        (_("Members"), _members(statute)),
        (_("Electing and representing"), _electing(statute)),
        (_("Mandates, ratification and referendum"), _mandates(statute)),
        (_("Recall and due process"), _recall(statute)),
    ]


def _deciding(s: Statute) -> list[str]:
    said = [
        _("A vote counts only if at least %(share)s of those entitled to vote take part.")
        % {"share": share_words(s.quorum)},
        _("A motion carries with %(threshold)s.") % {"threshold": threshold_words(s.threshold)},
        _("Members hear of a motion at least %(hours)s before its vote opens.")
        % {"hours": _hours(s.min_notice_hours)},
        _("An online vote stays open at least %(hours)s.") % {"hours": _hours(s.min_voting_hours)},
        _(
            "The elected secretary puts a submitted motion to the vote within %(days)s; after "
            "that it opens by itself."
        )
        % {"days": _days(s.motion_deadline_days)},
        ngettext(
            "A motion is put to the vote once %(n)s member besides its proposer supports it.",
            "A motion is put to the vote once %(n)s members besides its proposer support it.",
            s.motion_supporters,
        )
        % {"n": s.motion_supporters}
        if s.motion_supporters
        else _("A motion needs no supporters besides its proposer to be put to the vote."),
        _yes_or_no(
            s.ballots_changeable_until_close,
            "A voter may change their ballot until the vote closes.",
            "A ballot cast cannot be changed.",
        ),
        _yes_or_no(
            s.secretary_closes_early,
            "The secretary may close an online vote early once everyone on its roll has voted.",
            "Every online vote stays open to its end.",
        ),
        _("A decision may be reopened after %(days)s, by a petition signed by %(signers)s.")
        % {
            "days": _days(s.reopening_after_days),
            "signers": petition_words(s.reopening_petition, _("the members")),
        },
    ]
    if s.consent_matters:
        said.append(
            _("These matters may be decided by consent: %(matters)s.")
            % {"matters": _listed(s.consent_matters)}
        )
    if s.competences:
        said.append(
            _("Its member bodies delegated these matters to it: %(matters)s.")
            % {"matters": _listed(s.competences)}
        )
    return said


def _members(s: Statute) -> list[str]:
    return [
        _yes_or_no(
            s.officer_admits_members,
            "The elected membership officer may admit members; the assembly may always admit "
            "by its own vote.",
            "Members are admitted by the assembly's own vote.",
        ),
        ngettext(
            "A new assembly is founded once %(n)s founder has accepted.",
            "A new assembly is founded once %(n)s founders have accepted.",
            s.min_founders,
        )
        % {"n": s.min_founders},
        _yes_or_no(
            s.officers_need_two_factor,
            "Officers and delegates act in their role only after signing in with a second factor.",
            "Officers and delegates sign in with their password alone.",
        ),
    ]


def _electing(s: Statute) -> list[str]:
    if isinstance(s.seat_scheme, ApportionedSeats):
        seats = _(
            "Its %(seats)s seats are shared among the member bodies by size (%(method)s), at "
            "least %(minimum)s each."
        ) % {
            "seats": s.seat_scheme.seats,
            "method": s.seat_scheme.method,
            "minimum": s.seat_scheme.minimum,
        }
    else:
        seats = _("Each member body sends one delegate, who votes with the body's weight.")
    said = [
        _("One seat is elected by %(method)s; several seats by %(multi)s.")
        % {
            "method": method_words(s.single_seat_method),
            "multi": method_words(s.multi_seat_method),
        },
        seats,
        _yes_or_no(
            s.member_counting == "once",
            "A member of several member bodies counts once in the weights.",
            "A member counts in the weight of every member body they belong to.",
        ),
        _("A term lasts at most %(days)s.") % {"days": _days(s.max_term_days)},
        _(
            "An election is due %(notice)s before the terms end: it is called by itself, takes "
            "candidacies for %(nominations)s, then its vote opens by itself for %(voting)s."
        )
        % {
            "notice": _days(s.election_notice_days),
            "nominations": _days(s.nomination_days),
            "voting": _days(s.election_voting_days),
        },
    ]
    if s.rotation_limit is not None:
        said.append(
            ngettext(
                "No one holds the same seat or office for more than %(n)s term in a row.",
                "No one holds the same seat or office for more than %(n)s terms in a row.",
                s.rotation_limit,
            )
            % {"n": s.rotation_limit}
        )
    else:
        said.append(_("There is no limit to consecutive terms."))
    return said


def _mandates(s: Statute) -> list[str]:
    return [
        _("A session's agenda reaches the member bodies at least %(days)s before it.")
        % {"days": _days(s.mandate_deadline_days)},
        _(
            "A decision outside the delegated matters binds only once ratified by %(majority)s, "
            "within %(days)s."
        )
        % {"majority": _ratification(s.ratification_majority), "days": _days(s.ratification_days)},
        _("A referendum opens on a petition of %(members)s, or of %(bodies)s.")
        % {
            "members": petition_words(s.referendum_petition_members, _("the members")),
            "bodies": petition_words(s.referendum_petition_bodies, _("the member bodies")),
        },
        _yes_or_no(
            s.double_majority,
            "A referendum carries with a majority of the members and of the member bodies.",
            "A referendum carries with a majority of the members who vote.",
        ),
    ]


def _recall(s: Statute) -> list[str]:
    return [
        _("A recall vote opens on a petition of %(signers)s.")
        % {"signers": petition_words(s.recall_petition, _("those who elected the delegate"))},
        _("Whoever is charged has %(days)s to reply before the charge is heard.")
        % {"days": _days(s.reply_days)},
    ]
