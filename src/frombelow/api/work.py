"""What needs me now, and which notices by e-mail I get (issue 11).

`GET /me/work` is the same read as the member's home page and their daily digest
(`services.work`): one list, each entry saying the part the member plays in it, what it is, and
the page where it is done.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema

from frombelow.api.auth import acting_member
from frombelow.api.common import ERRORS
from frombelow.services import clock, notices
from frombelow.services.work import entries, link, work_of

router = Router(tags=["members"])


class WorkEntry(Schema):
    """One thing that needs me now."""

    role: str = Field(description="the part I play in it: member, delegate, or officer (secretary)")
    what: str = Field(
        description=(
            "as a member: vote, referendum (open for my vote), candidacy (an election I may "
            "stand in), petition (I may sign), mandate (my assembly's mandate on a council's "
            "item to decide), ratification (a council's provisional decision my assembly has "
            "not answered), overdue (a decision I carry out, past its date); as a delegate: "
            "session (my council's, scheduled or open), mandate-held (my delegation's mandate "
            "on an item), cast (due from me); as an officer: motion (to put to the vote), count "
            "(a vote past its close, or a meeting's tally to enter), election-due (to call), "
            "agenda (to send down), session-to-run (my council's session whose time has come: "
            "to open, decide its items and close), overdue (my body's decision past its date), "
            "application (to join my assembly, as its membership officer)"
        )
    )
    id: int = Field(
        description=(
            "the id of the vote, referendum, election, petition, agenda item, session, motion "
            "decision or application; for election-due, of the body"
        )
    )
    title: str = Field(
        description="its question or title, the office elected, or who applied to join"
    )
    body: str = Field(description="the name of the body it belongs to")
    when: str | None = Field(
        description=(
            "when it closes (vote, referendum, cast), starts (session, mandate-held, "
            "session-to-run), must be "
            "decided before (mandate) or answered by (ratification), sent by (agenda), closed "
            "(count), has been due since (election-due) or waited since (application), or the "
            "day it was due by (overdue)"
        )
    )
    page: str = Field(description="the address of the page where it is done")


class MyWork(Schema):
    """What needs me now, by the part I play: as a member, a delegate, an officer."""

    at: str
    entries: list[WorkEntry]


class NoticeChoiceOut(Schema):
    """One kind of notice by e-mail, and whether I get it."""

    kind: str
    label: str
    wanted: bool


class NoticeChoices(Schema):
    """Which notices I get (every kind but the daily digest until I choose), and where to."""

    email: str
    kinds: list[NoticeChoiceOut]


class NoticesIn(Schema):
    """The kinds of notice I want: every other kind is turned off."""

    wanted: list[str] = Field(max_length=50)


def _when(moment: object) -> str | None:
    return moment.isoformat() if isinstance(moment, date) else None


@router.get("/me/work", response={200: MyWork, **ERRORS}, summary="Read what needs me now")
def my_work(request: HttpRequest) -> MyWork:
    """Return what needs the asking member now, as their home page and digest list it."""
    member = acting_member(request)
    now = clock.now()
    return MyWork(
        at=now.isoformat(),
        entries=[
            WorkEntry(
                role=e.role,
                what=e.what,
                id=e.id,
                title=e.title,
                body=e.body,
                when=_when(e.when),
                page=link(e.page),
            )
            for e in entries(work_of(member, now))
        ],
    )


def _choices(email: str, chosen: dict[str, bool]) -> NoticeChoices:
    return NoticeChoices(
        email=email,
        kinds=[
            NoticeChoiceOut(kind=kind, label=str(label), wanted=chosen[kind])
            for kind, label in notices.LABELS.items()
        ],
    )


@router.get(
    "/me/notices", response={200: NoticeChoices, **ERRORS}, summary="Read my choice of notices"
)
def my_notices(request: HttpRequest) -> NoticeChoices:
    """Return which kinds of notice by e-mail the asking member gets."""
    member = acting_member(request)
    return _choices(member.email, notices.choices_of(member))


@router.put(
    "/me/notices",
    response={200: NoticeChoices, **ERRORS},
    summary="Choose my notices and daily digest",
)
def choose_notices(request: HttpRequest, data: NoticesIn) -> NoticeChoices:
    """Set the kinds of notice the asking member gets: those named, and no others."""
    member = acting_member(request)
    return _choices(member.email, notices.choose_notices(member=member, wanted=data.wanted))
