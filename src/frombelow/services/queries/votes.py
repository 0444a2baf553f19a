"""Reads about votes: one by its id, the vote on an item or a motion, who voted, a live tally."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count

from frombelow.db.models import Amendment, Ballot, Item, Member, Motion, Participation, Vote
from frombelow.services.queries.lookup import one


def vote_with_id(pk: int) -> Vote:
    """Return the vote with this id, with its body."""
    return one(Vote.objects.select_related("body"), pk)


def session_vote_with_id(pk: int) -> Vote:
    """Return the vote with this id if a council's session holds it."""
    return one(Vote.objects.filter(session__isnull=False), pk)


def item_vote_with_id(pk: int) -> Vote:
    """Return the vote with this id if it is on an agenda item, with its item and body."""
    return one(Vote.objects.filter(item__isnull=False).select_related("item", "body"), pk)


def vote_on_item(item: Item) -> Vote | None:
    """Return the vote on an agenda item, if one has opened."""
    return Vote.objects.filter(item=item).order_by("pk").first()


def latest_vote_on(motion: Motion) -> Vote | None:
    """Return the latest vote on the motion itself (not on its amendments), if any."""
    return motion.votes.filter(amendment__isnull=True).order_by("-opened_at").first()


def is_elector(vote: Vote, member: Member) -> bool:
    """Tell whether the member is on the vote's roll."""
    return vote.electors.filter(member=member).exists()


def has_voted(vote: Vote, member_id: int) -> bool:
    """Tell whether the member has cast a ballot in the vote (open or secret)."""
    return (
        Ballot.objects.filter(vote=vote, voter_id=member_id).exists()
        or Participation.objects.filter(vote=vote, member_id=member_id).exists()
    )


def first_choices(vote: Vote) -> tuple[int, Counter[str]]:
    """Return an open vote's turnout and, per option, the ballots that rank it first."""
    # Grouped by first rank in the database: a handful of rows, not one per ballot, for a tally
    # a surge's watchers poll every few seconds while the ballots pile up.
    groups = vote.ballots.order_by().values_list("ranking__0").annotate(n=Count("pk"))
    firsts: Counter[str] = Counter()
    turnout = 0
    for first, count in groups:
        turnout += count
        for option in first or ():
            firsts[option] += count
    return turnout, firsts


def turnout_of(vote: Vote) -> int:
    """Return how many members took part in a secret vote."""
    return vote.participations.count()


def latest_vote_on_amendment(amendment: Amendment) -> Vote | None:
    """Return the vote on the amendment, if it has been put to one."""
    return Vote.objects.filter(amendment=amendment).order_by("-opened_at").first()


def electors_of(vote: Vote) -> list[Member]:
    """Return the members on the vote's roll, by name (a meeting's attendance is among them)."""
    on_roll = vote.electors.filter(member__isnull=False).values("member_id")
    return list(Member.objects.filter(pk__in=on_roll).order_by("name", "pk"))
