"""The daily digest: one e-mail a day listing what needs a member, for those who choose it.

It lists the member's work (`services.work`, the same read as their home page and the API) and
goes out with the first run of `frombelow notify` from `DIGEST_HOUR` UTC on each day, once: the
day is remembered for each member (`NoticeSent`), even one with nothing to list, so that each
member's work is read once a day, not at every run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.utils.translation import gettext as _

from frombelow.db.models import Member, NoticeKind
from frombelow.services import clock, notices
from frombelow.services.work import Entry, entries, link, work_of

# The hour of the day (UTC) from which the day's digest goes out.
DIGEST_HOUR = 6


def _headings() -> dict[str, str]:
    """Return each kind of work's heading, in the active language: the home page's own."""
    return {
        "vote": _("Open for my vote"),
        "referendum": _("Open for my vote"),
        "candidacy": _("Elections taking candidacies"),
        "petition": _("Petitions to sign"),
        "mandate": _("Mandates to decide"),
        "ratification": _("Provisional decisions to ratify"),
        "cast": _("Casts due from me"),
        "session": _("My councils' sessions"),
        "mandate-held": _("Mandates my delegation carries"),
        "motion": _("Motions waiting to be put to the vote"),
        "count": _("Votes to count or to tally"),
        "election-due": _("Elections to call"),
        "agenda": _("Agendas to send down"),
        "session-to-run": _("Sessions to open, run and close"),
        "application": _("Applications to join"),
        "overdue": _("Decisions past their date"),
    }


def _dated(entry: Entry) -> str:
    """Say an entry's date as the home page does, for its kind of work."""
    when = entry.when
    if when is None:
        return ""
    said = f"{when:%Y-%m-%d %H:%M} UTC" if isinstance(when, datetime) else f"{when:%Y-%m-%d}"
    phrases = {
        "vote": _("closes %(when)s"),
        "referendum": _("closes %(when)s"),
        "cast": _("closes %(when)s"),
        "mandate": _("before the session opens on %(when)s"),
        "ratification": _("answer by %(when)s"),
        "session": _("starts %(when)s"),
        "mandate-held": _("starts %(when)s"),
        "count": _("closed %(when)s"),
        "election-due": _("since %(when)s"),
        "agenda": _("send by %(when)s"),
        "session-to-run": _("starts %(when)s"),
        "application": _("since %(when)s"),
        "overdue": _("due %(when)s"),
    }
    return " · " + phrases.get(entry.what, "%(when)s") % {"when": said}


def write_digest(listed: Iterable[Entry], day: date) -> tuple[str, str] | None:
    """Write the digest of these entries for `day` as (subject line, body); None if none."""
    headings = _headings()
    sections: dict[str, list[str]] = {}
    for entry in listed:
        line = f"- {entry.title} · {entry.body}{_dated(entry)}\n  {link(entry.page)}"
        sections.setdefault(headings[entry.what], []).append(line)
    if not sections:
        return None
    text = _("What needs you in frombelow on %(day)s:") % {"day": f"{day:%Y-%m-%d}"}
    for heading, lines in sections.items():
        text += "\n\n" + heading + "\n" + "\n".join(lines)
    return _("What needs you today (%(n)d)") % {"n": sum(map(len, sections.values()))}, (
        text + "\n\n" + notices.footer()
    )


def send_digests() -> int:
    """Send today's digest to each member who chose it and has not had it; return how many."""
    now = clock.now()
    if now.hour < DIGEST_HOUR:
        return 0
    day = now.date()

    def write(member: Member) -> tuple[str, str] | None:
        return write_digest(entries(work_of(member, now)), day)

    return notices.send_notices(
        NoticeKind.DIGEST, f"digest:{day:%Y-%m-%d}", Member.objects.all(), write
    )
