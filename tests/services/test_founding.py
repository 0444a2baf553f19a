"""Founding an assembly from nothing: convened by a person, accepted by each founder, founded once
the statute's minimum has accepted, its first officers elected by the founders; nobody appointed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from frombelow.core.errors import (
    DecisionError,
    DomainError,
    FederationError,
    StandingError,
    StatuteError,
)
from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Election, Founder, Founding, Member, RecordEntry, Term
from frombelow.services import bodies, deciding, elections, founding, invites, roll, votes
from frombelow.services.founding import Invitee
from frombelow.services.queries.bodies import is_member
from frombelow.services.standing import MEMBERSHIP_OFFICER, SECRETARY
from frombelow.services.statute_templates import TEMPLATES, template_named
from tests.services.world import Clock, person

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]
STATUTE = Statute(officer_admits_members=True, min_founders=3)
FRIENDS = [
    Invitee("Berta Sol", "berta@example.org"),
    Invitee("Carlos Mar", "carlos@example.org"),
    Invitee("Dora Paz", "dora@example.org"),
]


def convene(convenor: Member, invitees: list[Invitee] = FRIENDS, **kwargs: Any) -> Founding:
    return founding.convene_founding(
        actor=convenor,
        name=kwargs.pop("name", "Tenants of Calle Mayor"),
        slug=kwargs.pop("slug", "calle-mayor"),
        statute=kwargs.pop("statute", STATUTE),
        invitees=invitees,
        **kwargs,
    )


def invited(called: Founding, email: str) -> Member:
    return Founder.objects.get(founding=called, member__email=email).member


def test_convening_invites_each_founder_and_gives_the_new_ones_an_account(
    clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    ana = person("Ana Ruiz")
    # Berta has an account already and signs in: she is told by e-mail at once.
    berta = bodies.register_member(actor="system", name="Berta Sol", email="Berta@Example.org")
    berta.user = User.objects.create_user(username="berta", password="a long passphrase 1")
    berta.save(update_fields=["user"])
    with django_capture_on_commit_callbacks(execute=True):
        called = convene(ana, template="tenants-assembly")
    founders = {f.member.email.lower(): f for f in called.founders.select_related("member")}
    assert founders["berta@example.org"].member == berta  # her address names her: one person
    assert founders["berta@example.org"].accepted_at is None
    assert Founder.objects.get(founding=called, member=ana).accepted_at == clock.now
    newcomers = [invited(called, "carlos@example.org"), invited(called, "dora@example.org")]
    for newcomer in newcomers:
        assert newcomer.user is not None
        assert not newcomer.user.has_usable_password()
        assert newcomer.invitation_due == clock.now  # sent shortly by `frombelow notify`
    assert [m.subject for m in mail.outbox] == ["You are invited to found Tenants of Calle Mayor"]
    assert mail.outbox[0].to == ["Berta@Example.org"]
    assert f"/foundings/{called.pk}/" in mail.outbox[0].body
    entry = RecordEntry.objects.get(action="founding.convened")
    assert entry.actor == f"member:{ana.pk}"
    assert entry.data["invited"] == [f"member:{m.pk}" for m in [berta, *newcomers]]
    assert entry.data["template"] == "tenants-assembly"
    registered = RecordEntry.objects.filter(action="member.registered", actor=f"member:{ana.pk}")
    assert registered.count() == 2  # Carlos and Dora, by the convenor's invitation
    assert not Body.objects.exists()


def test_a_new_founders_invitation_asks_them_to_found_and_links_the_founding(
    clock: Clock,
) -> None:
    called = convene(person("Ana Ruiz"))
    assert invites.send_due_invitations() == 3
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {"You are invited to found Tenants of Calle Mayor"}
    assert all(f"/foundings/{called.pk}/" in m.body for m in mail.outbox)
    assert all("/accounts/invitation/" in m.body for m in mail.outbox)


def test_the_assembly_exists_once_the_minimum_has_accepted_with_those_alone(clock: Clock) -> None:
    ana = person("Ana Ruiz")
    called = convene(ana)
    berta, carlos, dora = (invited(called, i.email) for i in FRIENDS)
    founding.accept_founding(actor=berta, founding=called)
    assert not Body.objects.exists()  # two of three
    clock.advance(hours=1)
    founding.accept_founding(actor=carlos, founding=called)
    called.refresh_from_db()
    body = called.body
    assert body is not None
    assert body.slug == "calle-mayor"
    assert {m for m in (ana, berta, carlos, dora) if is_member(m, body, clock.now)} == {
        ana,
        berta,
        carlos,
    }
    entry = RecordEntry.objects.get(action="body.founded")
    assert entry.actor == f"member:{carlos.pk}"  # the acceptance that completed it
    assert entry.data["founders"] == [f"member:{m.pk}" for m in (ana, berta, carlos)]
    # Its first officers' elections are called at once, by the system, taking candidacies.
    called_now = Election.objects.filter(body=body).order_by("pk")
    assert [(e.office, e.seats, e.vote_id) for e in called_now] == [
        (MEMBERSHIP_OFFICER, 1, None),
        (SECRETARY, 1, None),
    ]
    assert all(
        e.data["because"] == "founding" and e.actor == "system"
        for e in RecordEntry.objects.filter(action="election.called")
    )
    assert not Term.objects.exists()  # nobody appointed, the convenor included


def test_a_founder_listed_who_has_not_accepted_is_never_a_member(clock: Clock) -> None:
    called = convene(person("Ana Ruiz"))
    berta, carlos, dora = (invited(called, i.email) for i in FRIENDS)
    founding.accept_founding(actor=berta, founding=called)
    founding.accept_founding(actor=carlos, founding=called)
    body = Body.objects.get(slug="calle-mayor")
    before = RecordEntry.objects.count()
    with pytest.raises(DecisionError, match="founded already: whoever is not among its founders"):
        founding.accept_founding(actor=dora, founding=called)
    assert RecordEntry.objects.count() == before
    assert not is_member(dora, body, clock.now)
    assert Founder.objects.get(founding=called, member=dora).accepted_at is None


def test_the_convenor_acting_as_an_officer_before_the_election_is_refused(clock: Clock) -> None:
    ana = person("Ana Ruiz")
    called = convene(ana)
    founders = [ana, *(invited(called, i.email) for i in FRIENDS[:2])]
    for founder in founders[1:]:
        founding.accept_founding(actor=founder, founding=called)
    body = Body.objects.get(slug="calle-mayor")
    newcomer = person("Eva Luna")
    before = RecordEntry.objects.count()
    with pytest.raises(StandingError, match="only the membership officer that 'calle-mayor'"):
        bodies.admit_member(actor=ana, assembly=body, member=newcomer)
    with pytest.raises(StandingError, match="only the membership officer"):
        roll.preview_roll(actor=ana, assembly=body, data="name\nEva Luna\n")
    assert RecordEntry.objects.count() == before
    assert not is_member(newcomer, body, clock.now)
    # The founders elect: the membership officer is whom they chose, and only then admits.
    election = Election.objects.get(body=body, office=MEMBERSHIP_OFFICER)
    elections.stand(actor=founders[1], election=election)
    vote = elections.open_election(
        actor=ana, election=election, closes_at=clock.now + timedelta(days=3)
    )
    for voter in founders:
        votes.cast_ballot(
            actor=voter, vote=vote, ranking=[[elections.candidate_label(founders[1])]]
        )
    clock.advance(days=3)
    deciding.close_vote(actor="system", vote=vote)
    bodies.admit_member(actor=founders[1], assembly=body, member=newcomer)
    assert is_member(newcomer, body, clock.now)


def test_a_founder_who_declines_is_never_counted_and_cannot_accept_after(clock: Clock) -> None:
    called = convene(person("Ana Ruiz"))
    berta, carlos, _ = (invited(called, i.email) for i in FRIENDS)
    founding.decline_founding(actor=berta, founding=called)
    with pytest.raises(DecisionError, match="declined to found"):
        founding.accept_founding(actor=berta, founding=called)
    founding.accept_founding(actor=carlos, founding=called)
    assert not Body.objects.exists()  # Ana and Carlos: two of three
    assert RecordEntry.objects.filter(action="founding.declined").count() == 1


def test_only_an_invited_founder_answers_and_only_once(clock: Clock) -> None:
    called = convene(person("Ana Ruiz"))
    outsider = person("Otto")
    with pytest.raises(StandingError, match="Otto is not invited to found"):
        founding.accept_founding(actor=outsider, founding=called)
    with pytest.raises(StandingError, match="is a member's act"):
        founding.accept_founding(actor="operator:root", founding=called)
    berta = invited(called, "berta@example.org")
    founding.accept_founding(actor=berta, founding=called)
    with pytest.raises(DecisionError, match=r"accepted to found .* already"):
        founding.accept_founding(actor=berta, founding=called)
    with pytest.raises(DecisionError, match=r"accepted to found .* already"):
        founding.decline_founding(actor=berta, founding=called)


def test_a_founding_lapses_and_frees_its_name(clock: Clock) -> None:
    ana = person("Ana Ruiz")
    called = convene(ana)
    with pytest.raises(FederationError, match="under way already"):
        convene(ana)
    clock.advance(days=founding.FOUNDING_DAYS)
    with pytest.raises(DecisionError, match="lapsed on"):
        founding.accept_founding(actor=invited(called, "berta@example.org"), founding=called)
    again = convene(ana, [Invitee("Berta Sol", "berta@example.org"), FRIENDS[1]])
    assert again.slug == called.slug


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"slug": "Calle Mayor"}, DomainError, "no body's short name"),
        ({"name": "  "}, DomainError, "needs a name"),
        ({"invitees": FRIENDS[:1]}, FederationError, "asks for 3 founders"),
        (
            {"invitees": [FRIENDS[0], Invitee("B", "BERTA@example.org")]},
            DomainError,
            "invited already",
        ),
        ({"invitees": [FRIENDS[0], Invitee("X", "not-an-address")]}, DomainError, "no e-mail"),
        ({"invitees": [FRIENDS[0], Invitee("", "x@example.org")]}, DomainError, "needs a name"),
        ({"invitees": [FRIENDS[0], Invitee("Me", "ana@example.org")]}, DomainError, "convenor"),
        ({"statute": {"quorum": "1/2"}}, StatuteError, "with a Statute"),
    ],
)
def test_a_founding_that_cannot_be_is_refused_and_nothing_is_stored(
    clock: Clock, change: dict[str, Any], error: type[Exception], words: str
) -> None:
    ana = bodies.register_member(actor="system", name="Ana Ruiz", email="ana@example.org")
    before = RecordEntry.objects.count(), Member.objects.count()
    with pytest.raises(error, match=words):
        convene(ana, **change)
    assert (RecordEntry.objects.count(), Member.objects.count()) == before
    assert not Founding.objects.exists()


def test_a_slug_taken_by_a_body_is_refused(clock: Clock) -> None:
    ana = person("Ana Ruiz")
    bodies.found_assembly(
        actor=ana, name="Calle", slug="calle-mayor", founders=[ana], statute=Statute()
    )
    with pytest.raises(FederationError, match="already a body 'calle-mayor'"):
        convene(ana)


def test_every_template_is_a_statute_and_an_unknown_one_is_refused() -> None:
    assert set(TEMPLATES) == {
        "union-section",
        "cooperative",
        "tenants-assembly",
        "neighbourhood-assembly",
    }
    assert all(t.statute.min_founders >= 3 for t in TEMPLATES.values())
    assert not TEMPLATES["cooperative"].statute.officer_admits_members
    with pytest.raises(StatuteError, match="no statute template 'club'"):
        template_named("club")


def test_a_statute_asks_two_founders_at_least() -> None:
    with pytest.raises(StatuteError, match="at least two founders"):
        Statute(min_founders=1)
    assert Statute().min_founders == 3


def test_the_convenor_invites_more_founders_while_it_is_under_way(
    clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    ana = person("Ana Ruiz")
    called = convene(ana, FRIENDS[:2])
    berta = invited(called, "berta@example.org")
    before = RecordEntry.objects.count(), Founder.objects.count()
    # Only the convenor invites; one invited already is named; nothing is stored either way.
    with pytest.raises(StandingError, match="only Ana Ruiz, who convened"):
        founding.invite_founders(actor=berta, founding=called, invitees=[FRIENDS[2]])
    with pytest.raises(DomainError, match="invited already: Berta Sol"):
        founding.invite_founders(actor=ana, founding=called, invitees=[FRIENDS[0]])
    assert (RecordEntry.objects.count(), Founder.objects.count()) == before
    with django_capture_on_commit_callbacks(execute=True):
        founding.invite_founders(actor=ana, founding=called, invitees=[FRIENDS[2]])
    dora = invited(called, "dora@example.org")
    entry = RecordEntry.objects.get(action="founding.invited")
    assert entry.data == {"invited": [f"member:{dora.pk}"]}
    # Dora, new, gets an account to set up; her acceptance counts like the others'.
    assert Member.objects.get(pk=dora.pk).user is not None
    founding.accept_founding(actor=berta, founding=called)
    founding.accept_founding(actor=dora, founding=called)
    assert Body.objects.filter(slug="calle-mayor").exists()


def test_the_convenor_abandons_a_founding_and_its_name_is_free(clock: Clock) -> None:
    ana = person("Ana Ruiz")
    called = convene(ana)
    berta = invited(called, "berta@example.org")
    with pytest.raises(StandingError, match="abandoning a founding: only Ana Ruiz"):
        founding.abandon_founding(actor=berta, founding=called)
    founding.abandon_founding(actor=ana, founding=called)
    assert RecordEntry.objects.filter(action="founding.abandoned").count() == 1
    with pytest.raises(DecisionError, match="lapsed on"):
        founding.accept_founding(actor=berta, founding=called)
    with pytest.raises(DecisionError, match="lapsed on"):
        founding.invite_founders(actor=ana, founding=called, invitees=[FRIENDS[0]])
    assert convene(ana).slug == called.slug
