"""A small federation in the middle of its life, built only through the services, for the pages.

Two assemblies (the docks, nine members; the rail depot, four) founded the transport federation.
The docks elected their delegate by instant runoff over three rounds, so that a recall has a
substitute to seat; the rail depot elected theirs unopposed. The federation has a session ahead
on a strike, the rail depot has decided its proportional mandate on it, and the docks' vote on
their bound mandate is open. The federation's delegations elected Carmen, a docker, its
secretary, who schedules its sessions and sends their agendas down. Ana, a docker, has an account;
so have Dolores, the docks' delegate, and Carmen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User

from frombelow.db.models import Body, Election, Item, Member, Motion, Session, Term, Vote
from frombelow.services.queries.terms import holders
from tests.services.world import (
    Clock,
    assembly,
    council_session,
    elect,
    elect_one,
    elect_secretary,
    found_council,
    mandate,
    open_at_once,
    person,
    propose,
)

PASSWORD = "a long demo password"  # a test account's, nothing real

DOCKERS = ["Dolores Ibárruri", "Ana Ruiz", "Benito Sala", "Carmen Vidal", "Diego Marín"]
DOCKERS += ["Elena Soto", "Félix Roca", "Gloria Pardo", "Hugo Lema"]
RAILWAYS = ["Rosa Campos", "Pablo Tena", "Lucía Ferrer", "Mario Gil"]


@dataclass
class Scene:
    """The federation, the people with accounts, and the acts under way."""

    council: Body
    docks: Body
    rail: Body
    dockers: list[Member]
    railways: list[Member]
    ana: Member  # a docker with an account
    dolores: Member  # the docks' delegate, with an account
    rosa: Member  # the rail depot's delegate
    carmen: Member  # the federation's secretary, with an account
    delegate_term: Term
    election: Election
    session: Session
    item: Item
    mandate_vote: Vote  # the docks' vote on their mandate, open


def account(member: Member, username: str) -> User:
    """Give a member an account to sign in with (accounts are outside the record's acts)."""
    user = User.objects.create_user(username=username, password=PASSWORD)
    Member.objects.filter(pk=member.pk).update(user=user)
    member.user = user
    return user


def build(clock: Clock) -> Scene:
    """Build the scene at the clock's time."""
    dockers = [person(name) for name in DOCKERS]
    railways = [person(name) for name in RAILWAYS]
    docks, rail = assembly("docks", dockers), assembly("rail-depot", railways)
    council = found_council(clock, "transport", [(docks, dockers), (rail, railways)])
    dolores, ana, benito, carmen = dockers[:4]
    # Four first preferences for Dolores, three for Benito, two for Carmen, whose voters put
    # Dolores next: Carmen is excluded in round 1 and Dolores wins in round 2.
    firsts = [dolores] * 4 + [benito] * 3 + [carmen] * 2
    rankings = [
        (voter, [top, dolores] if top == carmen else [top, benito] if top == dolores else [top])
        for voter, top in zip(dockers, firsts, strict=True)
    ]
    election, _ = elect(
        clock, docks, "delegate", [dolores, benito, carmen], rankings, council=council
    )
    (term,) = holders(docks, "delegate", clock.now, council=council)
    rosa = railways[0]
    elect_one(clock, rail, "delegate", rosa, railways, council)
    elect_secretary(clock, council, carmen)
    strike = propose(council, rosa, "Strike on the first of May", text="All depots stop for a day.")
    session, (item,) = council_session(clock, council, carmen, [strike])
    mandate(
        clock,
        rail,
        rosa,
        item,
        "proportional",
        {railways[0]: "yes", railways[1]: "yes", railways[2]: "yes", railways[3]: "no"},
    )
    ours = propose(
        docks,
        dolores,
        "Our mandate on the strike",
        text="We bind our delegate to the docks' majority.",
        kind=Motion.Kind.DECIDE_MANDATE,
        details={"mandate": "bound"},
        council_item=item,
    )
    mandate_vote = open_at_once(ours, closes_at=clock.now + timedelta(days=7))
    account(ana, "ana")
    account(dolores, "dolores")
    account(carmen, "carmen")
    return Scene(
        council,
        docks,
        rail,
        dockers,
        railways,
        ana,
        dolores,
        rosa,
        carmen,
        term,
        election,
        session,
        item,
        mandate_vote,
    )
