"""A motion's way to a decision through the API: edit, withdraw, put to the vote, a meeting's
tally, progress reports; each refusal says why and stores nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from frombelow.core.statutes import Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Amendment, Decision, Motion, ProgressReport, RecordEntry, Vote
from frombelow.services import deciding, votes
from tests.api.conftest import World
from tests.services.world import Clock, open_at_once, propose, vote_in

# Marked, so that `make test` runs them again on PostgreSQL.
pytestmark = pytest.mark.django_db


def refused(world: World, role: str, method: str, path: str, body: Any, status: int) -> str:
    """Ask for an act the rules refuse; return the reason, having checked nothing was stored."""
    entries = RecordEntry.objects.count()
    response = world.client(role).call(method, path, body)
    assert response.status_code == status, response.json()
    assert RecordEntry.objects.count() == entries
    detail: str = response.json()["detail"]
    return detail


def test_the_proposer_edits_a_draft_and_the_record_keeps_both_texts(world: World) -> None:
    path = f"/motions/{world.draft.pk}"
    reason = refused(world, "member", "PATCH", path, {"text": "Ours"}, 403)
    assert reason == "editing a motion is the proposer's act"
    assert world.client("member").call("POST", f"{path}/support").status_code == 201
    assert world.client("member").call("GET", path).json()["supporters"] == 1
    answer = world.client("officer").call("PATCH", path, {"title": "Picket at dawn"}).json()
    assert (answer["title"], answer["text"]) == ("Picket at dawn", "We picket")
    # The member supported another title: the edit drops that support, and she may give it again.
    assert answer["supporters"] == 0
    entry = RecordEntry.objects.get(action="motion.edited")
    assert entry.data["before"]["title"] == "Picket"
    assert entry.data["supporters_dropped"] == 1
    assert world.client("member").call("POST", f"{path}/support").status_code == 201
    submitted = f"/motions/{world.debated.pk}"
    reason = refused(world, "member", "PATCH", submitted, {"text": "Lower"}, 409)
    assert "only a draft is edited" in reason
    refused(world, "officer", "PATCH", path, {"title": ""}, 422)


def test_a_vote_shorter_than_the_statute_allows_is_refused_saying_the_earliest(
    world: World, clock: Clock
) -> None:
    path = f"/motions/{world.tabled.pk}/votes"
    soon = (clock.now + timedelta(hours=1)).isoformat()
    reason = refused(world, "officer", "POST", path, {"closes_at": soon}, 409)
    earliest = (clock.now + timedelta(hours=72)).strftime("%Y-%m-%d %H:%M")
    assert reason == (
        f"the statute of 'docks' keeps a vote open at least 72 hours: it may close at "
        f"{earliest} UTC at the earliest"
    )
    naive = (clock.now + timedelta(days=4)).replace(tzinfo=None).isoformat()
    assert "has no time zone" in refused(world, "officer", "POST", path, {"closes_at": naive}, 422)
    reason = refused(world, "officer", "POST", path, {}, 409)
    assert reason == "a vote cast online states when it closes, later than now"
    # Only the elected secretary puts a motion to the vote, online or at a meeting.
    later = (clock.now + timedelta(days=4)).isoformat()
    reason = refused(world, "member", "POST", path, {"closes_at": later}, 403)
    assert reason.startswith("putting a motion to the vote: only the secretary that 'docks'")
    refused(world, "member", "POST", path, {"mode": "meeting"}, 403)
    assert Motion.objects.get(pk=world.tabled.pk).status == Motion.Status.SUBMITTED
    assert not Vote.objects.filter(motion=world.tabled).exists()
    vote = world.client("officer").call("POST", path, {"closes_at": later, "ballot_kind": "secret"})
    assert vote.status_code == 201
    assert (vote.json()["ballot_kind"], vote.json()["mode"]) == ("secret", "online")


def test_an_amendment_goes_to_the_vote_before_its_motion(world: World, clock: Clock) -> None:
    later = {"closes_at": (clock.now + timedelta(days=4)).isoformat()}
    reason = refused(world, "officer", "POST", f"/motions/{world.debated.pk}/votes", later, 409)
    assert reason == "Wages has amendments to decide first"
    answer = world.client("officer").call("POST", f"/amendments/{world.amendment.pk}/votes", later)
    assert answer.status_code == 201
    assert Amendment.objects.get(pk=world.amendment.pk).status == Amendment.Status.VOTING
    reason = refused(world, "member", "POST", f"/amendments/{world.amendment.pk}/withdraw", {}, 409)
    assert "it can no longer be withdrawn" in reason


def test_the_secretary_enters_a_meetings_tally_checked_against_attendance(world: World) -> None:
    path = f"/votes/{world.meeting_vote.pk}/tally"
    crew = world.fed.members["docks"]
    present = [m.pk for m in crew[:2]]
    too_many = {"counts": [{"ranking": [["yes"]], "count": 3}], "attendance": present}
    reason = refused(world, "officer", "POST", path, too_many, 409)
    assert reason == "3 ballots counted, but only 2 members attended"
    stranger = {"counts": [], "attendance": [world.other.pk]}
    assert "was not on the roll" in refused(world, "officer", "POST", path, stranger, 403)
    nobody = {"counts": [], "attendance": [999_999]}
    reason = refused(world, "officer", "POST", path, nobody, 422)
    assert reason == "attendance: there is no member 999999"
    maybe = {"counts": [{"ranking": [["maybe"]], "count": 1}], "attendance": present}
    refused(world, "officer", "POST", path, maybe, 422)
    assert not Decision.objects.filter(vote=world.meeting_vote).exists()
    good = {"counts": [{"ranking": [["yes"]], "count": 2}], "attendance": present}
    decision = world.client("officer").call("POST", path, good).json()
    assert (decision["outcome"], decision["turnout"]) == ("carried", 2)


def test_the_implementer_reports_progress_shown_on_the_decision(world: World, clock: Clock) -> None:
    path = f"/decisions/{world.decision.pk}"
    before = world.client("member").call("GET", path).json()["implementation"]
    assert before == {
        "implementers": [world.member.pk],
        "due_on": None,
        "overdue": False,
        "reports": [],
    }
    reason = refused(world, "officer", "POST", f"{path}/progress", {"text": "Mine"}, 403)
    assert "was not named to carry out this decision" in reason
    refused(world, "member", "POST", f"{path}/progress", {"text": ""}, 422)
    answer = world.client("member").call(
        "POST", f"{path}/progress", {"text": "Drafted", "done": True}
    )
    assert answer.status_code == 201
    after = world.client("delegate").call("GET", path).json()["implementation"]
    assert [(r["author"], r["text"], r["done"]) for r in after["reports"]] == [
        (world.member.pk, "Drafted", True)
    ]
    assert ProgressReport.objects.count() == 1


def test_a_proposal_names_its_implementers_and_refuses_one_who_is_no_member(
    world: World,
) -> None:
    body = {"title": "Canteen", "text": "Open", "implementers": [999_999]}
    reason = refused(world, "member", "POST", "/bodies/docks/motions", body, 422)
    assert reason == "implementers: there is no member 999999"
    body = {**body, "implementers": [world.member.pk], "implement_by": "2027-03-01"}
    made = world.client("member").call("POST", "/bodies/docks/motions", body)
    assert made.status_code == 201
    motion = Motion.objects.get(pk=made.json()["id"])
    assert [m.pk for m in motion.implementers.all()] == [world.member.pk]
    assert str(motion.implement_by) == "2027-03-01"


def test_a_motion_goes_to_the_vote_after_its_notice_or_by_itself_at_its_deadline(
    world: World, clock: Clock
) -> None:
    made = world.client("member").call(
        "POST", "/bodies/docks/motions", {"title": "Lockers", "text": "A locker each"}
    )
    path = f"/motions/{made.json()['id']}"
    submitted = world.client("member").call("POST", f"{path}/submit").json()
    notice, deadline = clock.now + timedelta(hours=48), clock.now + timedelta(days=14)
    assert (submitted["may_be_put_from"], submitted["opens_by_itself_at"]) == (
        notice.isoformat(),
        deadline.isoformat(),
    )
    later = {"closes_at": (clock.now + timedelta(days=4)).isoformat()}
    reason = refused(world, "officer", "POST", f"{path}/votes", later, 409)
    assert reason == (
        "Lockers was submitted less than 48 hours ago: members have that notice before its "
        f"vote, which may open from {notice:%Y-%m-%d %H:%M} UTC"
    )
    # No one puts it: at its deadline the scheduler opens it, for the shortest period allowed.
    clock.now = deadline
    deciding.open_due_motions(clock.now)
    opened = world.client("member").call("GET", path).json()
    assert (opened["status"], opened["opens_by_itself_at"]) == ("voting", None)
    vote = world.client("member").call("GET", f"/votes/{opened['votes'][0]}").json()
    assert vote["closes_at"] == (deadline + timedelta(hours=72, minutes=1)).isoformat()


def test_the_secretary_closes_a_vote_early_once_all_have_voted_where_the_statute_lets_them(
    world: World, clock: Clock
) -> None:
    crew = world.fed.members["docks"]
    rules = Statute(officer_admits_members=True, secretary_closes_early=True)
    vote_in(
        clock,
        propose(
            world.docks,
            crew[0],
            "Our secretary may close",
            kind=Motion.Kind.AMEND_STATUTE,
            details={"statute": statute_json(rules)},
        ),
        dict.fromkeys(crew, "yes"),
    )
    vote = open_at_once(propose(world.docks, crew[0], "Gloves"), closes_at=clock.now + timedelta(3))
    path = f"/votes/{vote.pk}/close"
    assert world.client("officer").call("GET", f"/votes/{vote.pk}").json()["secretary_closes_early"]
    for voter in crew[:-1]:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    reason = refused(world, "officer", "POST", path, None, 409)
    assert reason.endswith("and some members on its roll have not voted")
    votes.cast_ballot(actor=crew[-1], vote=vote, ranking=[["no"]])
    assert "only the secretary" in refused(world, "member", "POST", path, None, 403)
    decision = world.client("officer").call("POST", path).json()
    assert (decision["outcome"], decision["turnout"]) == ("carried", len(crew))


def test_a_secret_ballots_tracker_is_given_once_and_changes_the_ballot(
    world: World, clock: Clock
) -> None:
    crew = world.fed.members["docks"]
    secret = open_at_once(
        propose(world.docks, crew[0], "Night rota"),
        closes_at=clock.now + timedelta(days=3),
        ballot_kind=Vote.BallotKind.SECRET,
    )
    path = f"/votes/{secret.pk}/ballots"
    cast = world.client("member").call("POST", path, {"ranking": [["yes"]]}).json()
    tracker = cast["tracker"]
    assert len(tracker) == 64
    # A keyed request's answer is kept to be replayed: it carries no tracker.
    keyed = world.client("officer").call(
        "POST", path, {"ranking": [["no"]]}, **{"Idempotency-Key": "k1"}
    )
    assert keyed.json()["tracker"] is None
    wrong = {"tracker": "0" * 64, "ranking": [["no"]]}
    reason = refused(world, "member", "POST", f"{path}/change", wrong, 409)
    assert reason == "no ballot in 'Night rota' has this tracker"
    changed = world.client("member").call(
        "POST", f"{path}/change", {"tracker": tracker, "ranking": [["no"]]}
    )
    assert changed.json() == {"done": "ballot.changed", "id": str(secret.pk)}
    assert secret.closes_at is not None
    clock.now = secret.closes_at
    decision = deciding.close_vote(actor="system", vote=secret)
    assert decision.count["rounds"][0]["votes"]["no"] == "2"


def test_a_choice_among_options_is_proposed_voted_by_approval_and_counted(
    world: World, clock: Clock
) -> None:
    one = {
        "title": "Route",
        "text": "The march",
        "details": {"method": "approval", "options": ["a"]},
    }
    reason = refused(world, "member", "POST", "/bodies/docks/motions", one, 409)
    assert reason == "a choice is among 2 to 50 options, not 1"
    two = {**one, "details": {"method": "approval", "options": ["harbour", "town hall"]}}
    made = world.client("member").call("POST", "/bodies/docks/motions", two)
    assert made.status_code == 201
    motion = Motion.objects.get(pk=made.json()["id"])
    assert world.client("member").call("POST", f"/motions/{motion.pk}/submit").status_code == 200
    vote = open_at_once(motion, closes_at=clock.now + timedelta(days=3))
    cast = world.client("member").call(
        "POST", f"/votes/{vote.pk}/ballots", {"ranking": [["harbour", "town hall"]]}
    )
    assert cast.status_code == 201, cast.json()
    cast = world.client("officer").call(
        "POST", f"/votes/{vote.pk}/ballots", {"ranking": [["town hall"]]}
    )
    assert cast.status_code == 201, cast.json()
    assert vote.closes_at is not None
    clock.now = vote.closes_at
    decision = deciding.close_vote(actor="system", vote=vote)
    assert (decision.outcome, decision.winners) == ("chosen", ["town hall"])
