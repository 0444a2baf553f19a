"""Reads about referendums: the ballots paired with the roll, and the rolled-up result.

The ballot keeps the voter's assemblies at opening and no voter. To roll up, the ballots of each
set of assemblies are paired with the voters who took part from that same set, in an order that
means nothing: each body's result depends only on how many of each set chose each option, so the
fiction changes no figure, and no one's choice is ever joined to their name. The pairing is done
on arrays, and the ballots per set come from the referendum's stored tally (one row per set and
option, kept with each ballot), so that a million ballots are read and rolled up in seconds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet

from frombelow.core import referendum as core
from frombelow.core.errors import ReferendumError
from frombelow.core.federation import Federation, Roll
from frombelow.db.models import (
    Member,
    Membership,
    Referendum,
    ReferendumParticipation,
    ReferendumResult,
)
from frombelow.services.queries.arrays import fetch_ints
from frombelow.services.queries.bodies import roll_at
from frombelow.services.queries.lookup import one
from frombelow.services.weights import subtree_at

IntArray = npt.NDArray[np.int64]


def referendum_with_id(pk: int) -> Referendum:
    """Return the referendum with this id, with its council."""
    return one(Referendum.objects.select_related("council"), pk)


def memberships_under(referendum: Referendum) -> QuerySet[Membership]:
    """Return the memberships of assemblies under the council when the referendum opened."""
    at = referendum.opened_at
    below = subtree_at(referendum.council, at).assemblies_under(referendum.council.slug)
    return Membership.objects.filter(assembly__slug__in=below, joined_at__lte=at).exclude(
        left_at__lte=at
    )


def assemblies_of(member: Member, referendum: Referendum) -> list[str]:
    """Return the member's assemblies under the council when the referendum opened: where they
    vote from; none if they joined after it opened."""
    memberships = memberships_under(referendum).filter(member=member)
    return sorted(memberships.values_list("assembly__slug", flat=True))


def has_taken_part(referendum: Referendum, member: Member) -> bool:
    """Tell whether the member has cast their ballot in the referendum."""
    return ReferendumParticipation.objects.filter(referendum=referendum, member=member).exists()


def result_of(referendum: Referendum) -> ReferendumResult | None:
    """Return the referendum's rolled-up result, once it is counted."""
    return ReferendumResult.objects.filter(referendum=referendum).first()


def _sets_of_people(roll: Roll) -> tuple[IntArray, IntArray]:
    """Return each person's set of assemblies as a row of codes, and each person's set's row."""
    order = np.lexsort((roll.codes, roll.person))
    people, codes = roll.person[order], roll.codes[order]
    width = int(roll.memberships.max(initial=1))
    starts = np.concatenate(([0], np.cumsum(roll.memberships)[:-1]))
    column = np.arange(people.size) - starts[people]
    table = np.full((roll.people.size, width), -1, dtype=np.int64)
    table[people, column] = codes
    base = len(roll.assemblies) + 1
    if base**width < 2**62:
        # Each set as one integer (its codes as digits), which sorts far faster than rows.
        digits = base ** np.arange(width, dtype=np.int64)
        keys, of_person = np.unique((table + 1) @ digits, return_inverse=True)
        sets = (keys[:, None] // digits) % base - 1
    else:
        sets, of_person = np.unique(table, axis=0, return_inverse=True)
    return sets, of_person.reshape(-1)


def referendum_ballots(referendum: Referendum, roll: Roll) -> core.ReferendumBallots:
    """Pair the referendum's ballots with its voters, set of assemblies by set (see the module)."""
    options = tuple(referendum.options)
    sets, set_of_person = _sets_of_people(roll)
    row_of_set = {tuple(row): i for i, row in enumerate(sets.tolist())}
    code = {assembly: i for i, assembly in enumerate(roll.assemblies)}
    chosen = np.zeros((len(sets), len(options)), dtype=np.int64)
    # The stored tally, kept with each ballot: one row per set and option, not every ballot.
    counted = referendum.tally.filter(ballots__gt=0)  # rows made at opening stay at nought
    for joined, option, n in counted.values_list("assemblies", "option", "ballots"):
        assemblies = joined.split(" ")
        codes = sorted(code.get(a, -1) for a in assemblies)
        key = tuple(codes + [-1] * (sets.shape[1] - len(codes)))
        if key not in row_of_set or option not in options:
            raise ReferendumError(
                "%(n)s ballots from %(assemblies)s for %(option)r: no voter on the roll took part "
                "from that set of assemblies, or the option is not the referendum's",
                n=n,
                assemblies=assemblies,
                option=option,
            )
        chosen[row_of_set[key], options.index(option)] += n
    ballots = referendum.ballots.count()
    if int(chosen.sum()) != ballots:
        # The tally is a cache of the ballots, which stay the record: cheap to check in full.
        raise ReferendumError(
            "the referendum's tally counts %(counted)s ballots but its ballot box holds "
            "%(ballots)s: make the tally again from the ballots (rebuild_tally)",
            counted=int(chosen.sum()),
            ballots=ballots,
        )
    voters = fetch_ints(
        referendum.participations.order_by("member_id").values_list("member_id"), 1
    ).reshape(-1)
    at = np.searchsorted(roll.people, voters)
    known = at < roll.people.size
    known[known] = roll.people[at[known]] == voters[known]
    if not known.all():
        raise ReferendumError(
            "member %(member)s took part but is on no roll under the council",
            member=int(voters[~known][0]),
        )
    voter_set = set_of_person[at]
    from_set = np.bincount(voter_set, minlength=len(sets))
    if not np.array_equal(from_set, chosen.sum(axis=1)):
        bad = int(np.flatnonzero(from_set != chosen.sum(axis=1))[0])
        names = [roll.assemblies[c] for c in sets[bad] if c >= 0]
        raise ReferendumError(
            "%(ballots)s ballots but %(voters)s voters from %(assemblies)s: the ballot box does "
            "not match who took part",
            ballots=int(chosen[bad].sum()),
            voters=int(from_set[bad]),
            assemblies=names,
        )
    # Voters grouped by set, each set's choices laid out option by option: the pairing.
    by_set = np.argsort(voter_set, kind="stable")
    choices = np.empty(voters.size, dtype=np.int64)
    choices[by_set] = np.repeat(np.tile(np.arange(len(options)), len(sets)), chosen.reshape(-1))
    return core.ReferendumBallots(voters, choices, options)


def referendum_roll_up(referendum: Referendum) -> tuple[Federation, core.RollUp]:
    """Read the referendum's ballots and roll them up the graph as it stood when it opened."""
    council, at = referendum.council, referendum.opened_at
    federation = subtree_at(council, at)
    roll = roll_at(at, federation.assemblies_under(council.slug))
    ballots = referendum_ballots(referendum, roll)
    return federation, core.roll_up(federation, council.slug, roll, ballots)
