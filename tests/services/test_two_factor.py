"""Two-factor sign-in in the services, and the statute's rule for officers and delegates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from frombelow.core.errors import StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import (
    Body,
    Member,
    Motion,
    RecordEntry,
    RecoveryCode,
    SecondFactor,
    Session,
    Vote,
)
from frombelow.services import deciding, motions, sessions, tokens, two_factor, votes
from frombelow.services.queries.bodies import statute_of
from frombelow.services.standing import SECRETARY
from frombelow.services.two_factor_rule import SecondFactorRequiredError, proving
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    decide,
    elect_one,
    federation,
    people,
    propose,
)
from tests.support.two_factor import code_of, enrolled

pytestmark = pytest.mark.django_db

STRICT = Statute(officers_need_two_factor=True)


def with_account(member: Member, username: str) -> User:
    user = User.objects.create_user(username=username, password=None)
    Member.objects.filter(pk=member.pk).update(user=user)
    member.user = user
    return user


def schedule(clock: Clock, council: Body, delegate: Member) -> Session:
    """Schedule a session of the council: a delegate's act in their seat."""
    return sessions.schedule_session(
        actor=delegate, council=council, title="Next", starts_at=clock.now + timedelta(days=20)
    )


def test_enrolment_is_confirmed_by_a_code_and_gives_ten_hashed_recovery_codes() -> None:
    user = User.objects.create_user(username="ana")
    factor = two_factor.begin_enrolment(user=user)
    assert two_factor.live_factor(user) is None
    assert two_factor.provisioning_uri(factor).startswith("otpauth://totp/frombelow:ana?secret=")
    wrong = "000000" if code_of(factor) != "000000" else "111111"
    with pytest.raises(two_factor.TwoFactorError, match="does not match"):
        two_factor.confirm_enrolment(user=user, code=wrong)
    factor.refresh_from_db()
    assert factor.confirmed_at is None
    assert not RecoveryCode.objects.exists()  # a refused confirmation stores nothing
    confirmed, codes = two_factor.confirm_enrolment(user=user, code=code_of(factor))
    assert confirmed.pk == factor.pk
    assert two_factor.live_factor(user) == confirmed
    assert len(codes) == len(set(codes)) == 10
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert stored == {two_factor.digest_of(code) for code in codes}
    assert not stored & set(codes)  # only hashes are kept


def test_a_code_is_accepted_once_and_a_recovery_code_is_spent() -> None:
    user = User.objects.create_user(username="ana")
    factor, codes = enrolled(user)
    # The code that confirmed the enrolment cannot be played again.
    assert two_factor.check_code(user=user, code=code_of(factor)) is None
    later = code_of(factor, ahead=1)
    assert two_factor.check_code(user=user, code=later) == factor
    assert two_factor.check_code(user=user, code=later) is None
    assert two_factor.check_code(user=user, code=codes[0].lower()) == factor
    assert two_factor.check_code(user=user, code=codes[0]) is None
    assert two_factor.recovery_codes_left(factor) == 9
    assert two_factor.check_code(user=user, code="not a code") is None


def test_disabling_needs_a_code_and_a_second_enrolment_needs_disabling_first() -> None:
    user = User.objects.create_user(username="ana")
    factor, codes = enrolled(user)
    with pytest.raises(two_factor.TwoFactorError, match="disable it first"):
        two_factor.begin_enrolment(user=user)
    with pytest.raises(two_factor.TwoFactorError, match="needs a current code"):
        two_factor.disable(user=user, code="123456x")
    assert two_factor.live_factor(user) == factor
    two_factor.disable(user=user, code=codes[3])
    assert two_factor.live_factor(user) is None
    assert SecondFactor.objects.filter(pk=factor.pk, disabled_at__isnull=False).exists()
    assert two_factor.begin_enrolment(user=user).pk != factor.pk


def test_second_factors_are_not_in_the_record() -> None:
    user = User.objects.create_user(username="ana")
    before = RecordEntry.objects.count()
    _, codes = enrolled(user)
    two_factor.disable(user=user, code=codes[0])
    assert RecordEntry.objects.count() == before


def test_the_retired_rule_reads_as_nothing_and_the_new_one_must_be_true_or_false() -> None:
    written_before = {**statute_json(Statute()), "two_factor_for_officers": True}
    del written_before["officers_need_two_factor"]
    assert read_statute(written_before) == Statute()
    assert not read_statute(written_before).officers_need_two_factor
    with pytest.raises(StatuteError, match="true or false"):
        Statute(officers_need_two_factor="yes")  # type: ignore[arg-type]  # not a bool, on purpose


def test_a_body_requires_a_second_factor_of_its_secretary_by_amending_its_statute(
    clock: Clock,
) -> None:
    m = people("Nurse", 4)
    body = assembly("ward", m)
    elect_one(clock, body, SECRETARY, m[0], m)
    motion = propose(body, m[1])
    clock.advance(hours=48)  # the statute's notice
    vote = votes.open_vote(actor=m[0], motion=motion, mode=Vote.Mode.MEETING)
    decide(
        clock,
        body,
        m[1],
        all_yes(m),
        kind=Motion.Kind.AMEND_STATUTE,
        details={"statute": statute_json(STRICT)},
    )
    assert statute_of(body).officers_need_two_factor
    change = RecordEntry.objects.get(action="statute.amended").data["changes"]
    assert change["officers_need_two_factor"] == {"before": False, "after": True}
    user = with_account(m[0], "secretary")
    counts, present = [([["yes"]], 3)], m[:3]
    with pytest.raises(SecondFactorRequiredError, match="/accounts/two-factor/"):
        deciding.enter_tally(actor=m[0], vote=vote, counts=counts, attendance=present)
    factor, _ = enrolled(user)
    # Proving someone else's factor proves nothing for the secretary.
    other, _ = enrolled(User.objects.create_user(username="other"))
    with proving(other.pk), pytest.raises(SecondFactorRequiredError):
        deciding.enter_tally(actor=m[0], vote=vote, counts=counts, attendance=present)
    with proving(factor.pk):
        decision = deciding.enter_tally(actor=m[0], vote=vote, counts=counts, attendance=present)
    assert decision.outcome == "carried"


def test_opening_a_meeting_vote_is_an_officers_act_too(clock: Clock) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m, STRICT)
    elect_one(clock, body, SECRETARY, m[0], m)
    with pytest.raises(SecondFactorRequiredError, match="'ward' requires its officers"):
        votes.open_vote(actor=m[0], motion=propose(body, m[1]), mode=Vote.Mode.MEETING)
    # Putting a motion to an online vote is the secretary's act too.
    motion = propose(body, m[1])
    clock.advance(hours=48)
    with pytest.raises(SecondFactorRequiredError, match="'ward' requires its officers"):
        votes.open_vote(actor=m[0], motion=motion, closes_at=clock.now + timedelta(days=3))
    # Members acting as members need nothing more: a motion is proposed and supported as before.
    assert motions.support_motion(
        actor=m[2], motion=motions.propose_motion(actor=m[1], body=body, title="T", text="x")
    ).pk


def test_a_delegate_acts_in_a_strict_council_only_with_a_proved_factor(clock: Clock) -> None:
    fed = federation(clock, STRICT)
    chair = next(iter(fed.delegates.values()))
    with pytest.raises(SecondFactorRequiredError, match="'federation'"):
        schedule(clock, fed.council, chair)
    user = with_account(chair, "chair")
    factor, _ = enrolled(user)
    with proving(factor.pk):
        session = schedule(clock, fed.council, chair)
    assert session.pk
    # Once the factor is disabled, what it proved counts no more.
    two_factor.disable(user=user, code=code_of(factor, ahead=1))
    with proving(factor.pk), pytest.raises(SecondFactorRequiredError):
        sessions.open_session(actor=chair, session=session)


def test_a_delegate_elected_by_a_strict_assembly_needs_the_factor_in_any_council(
    clock: Clock,
) -> None:
    fed = federation(clock)
    docks = fed.assemblies["docks"]
    decide(
        clock,
        docks,
        fed.members["docks"][1],
        all_yes(fed.members["docks"]),
        kind=Motion.Kind.AMEND_STATUTE,
        details={"statute": statute_json(STRICT)},
    )
    with pytest.raises(SecondFactorRequiredError, match="'docks'"):
        schedule(clock, fed.council, fed.delegates["docks"])
    assert schedule(clock, fed.council, fed.delegates["rail"]).pk


def test_a_token_proves_the_factor_of_the_session_that_issued_it() -> None:
    user = User.objects.create_user(username="ana")
    plain, _ = tokens.issue_token(user=user, name="before")
    factor, _ = enrolled(user)
    assert plain.second_factor is None
    unproved, _ = tokens.issue_token(user=user, name="cli")
    assert unproved.second_factor is None
    proved, _ = tokens.issue_token(user=user, name="phone", proved_factor=factor.pk)
    assert proved.second_factor == factor
