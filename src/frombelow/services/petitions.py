"""Petitions from below: a recall, a referendum, the reopening of a decision.

Who may sign is fixed when the petition opens (the roll at that moment, from the membership
history); whether it has reached its threshold is the core's rule (`frombelow.core.petitions`).
The signature that reaches it opens what the petition asks for in the same act: no one's
approval is asked, so no one can withhold it.

Whoever opens a petition is its first signer, and a petition for what an open one already asks
(the same term to recall, the same decision to reopen, the same question to put) is refused with
the open one named: each duplicate would split the signatures, and none would reach its threshold.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction

from frombelow.core import petitions as core
from frombelow.core.errors import DecisionError, PetitionError, StandingError
from frombelow.db.models import Body, Decision, Motion, Petition, Signature, Term, Vote
from frombelow.services import clock, notices
from frombelow.services.motion_kinds import MotionKind, declare
from frombelow.services.motions import motion_data, new_motion
from frombelow.services.queries.bodies import member_bodies_at, statute_of
from frombelow.services.queries.petitions import (
    motion_under_way,
    open_petition_for,
    referendum_under_way,
)
from frombelow.services.record import Actor, append_entry
from frombelow.services.referendums import open_referendum
from frombelow.services.standing import as_member, members_under, terms_held
from frombelow.services.votes import earliest_close, put_to_vote

RECALL_VOTE_DAYS = 7  # how long a recall vote opened by petition stays open


def _entitled_members(petition: Petition) -> set[int]:
    return members_under(petition.body, petition.opened_at)


def _entitled_bodies(petition: Petition) -> set[str]:
    return set(member_bodies_at(petition.body, petition.opened_at).values_list("slug", flat=True))


def _state(petition: Petition) -> core.PetitionState:
    """Ask the core whether the petition's signatures open what it asks for."""
    statute = statute_of(petition.body)
    label = str(petition.pk)
    members = _entitled_members(petition)
    by_members: core.Signatures[int] = core.Signatures(
        label,
        frozenset(
            petition.signatures.filter(member__isnull=False).values_list("member_id", flat=True)
        ),
    )
    if petition.kind == Petition.Kind.RECALL:
        return core.recall_petition(statute, by_members, members)
    if petition.kind == Petition.Kind.REOPENING:
        assert petition.decision is not None
        return core.reopening_petition(
            statute, by_members, members, decided_at=petition.decision.decided_at, now=clock.now()
        )
    by_bodies: core.Signatures[str] = core.Signatures(
        label,
        frozenset(
            petition.signatures.filter(member_body__isnull=False).values_list(
                "member_body__slug", flat=True
            )
        ),
    )
    return core.referendum_petition(
        statute,
        members=members,
        member_signatures=by_members,
        member_bodies=_entitled_bodies(petition),
        body_signatures=by_bodies,
    )


@transaction.atomic(durable=True)
def open_petition(
    *,
    actor: Actor,
    kind: str,
    body: Body,
    question: str,
    text: str = "",
    term: Term | None = None,
    decision: Decision | None = None,
) -> Petition:
    """Open a petition to a body, as one entitled to sign it."""
    member = as_member(actor, "opening a petition")
    now = clock.now()
    statute = statute_of(body)
    if kind == Petition.Kind.RECALL:
        if term is None or term.body_id != body.pk:
            raise PetitionError("a recall petition names a term the body itself elected")
        if not Term.objects.filter(terms_held(now), pk=term.pk).exists():
            raise PetitionError(
                "%(holder)s's term is not held now: there is no one to recall",
                holder=term.holder.name,
            )
        if body.kind != Body.Kind.ASSEMBLY:
            raise PetitionError("a council recalls by a motion in session, not by petition")
    elif kind == Petition.Kind.REOPENING:
        if decision is None or decision.body_id != body.pk:
            raise PetitionError("a reopening petition names a decision of the body itself")
        reopenable = decision.decided_at + timedelta(days=statute.reopening_after_days)
        if now < reopenable:
            raise PetitionError(
                "decision %(decision)s can be reopened from %(reopenable)s, after the statute's "
                "minimum period of %(days)s days",
                decision=decision.pk,
                reopenable=reopenable,
                days=statute.reopening_after_days,
            )
    elif kind == Petition.Kind.REFERENDUM:
        if body.kind != Body.Kind.COUNCIL:
            raise PetitionError("a referendum is of every member under a council")
    else:
        raise PetitionError(
            "a petition is for a recall, a referendum or a reopening, not %(kind)r", kind=kind
        )
    if not question.strip():
        raise PetitionError("a petition states what it asks")
    if kind == Petition.Kind.RECALL and not text.strip():
        assert term is not None
        raise PetitionError(
            "a recall petition states its reason: why %(holder)s should be recalled",
            holder=term.holder.name,
        )
    entitled = members_under(body, now)
    if member.pk not in entitled:
        raise StandingError(
            "%(member)s is not among those entitled to sign a petition to %(body)r",
            member=member.name,
            body=body.slug,
        )
    threshold = {
        "recall": statute.recall_petition,
        "reopening": statute.reopening_petition,
        "referendum": statute.referendum_petition_members,
    }[kind]
    # One opener at a time per body, so that two clicks cannot both find no open petition.
    Body.objects.select_for_update().filter(pk=body.pk).first()
    _check_not_already_asked(kind, body, question, term, decision, now)
    petition = Petition.objects.create(
        kind=kind,
        body=body,
        term=term,
        decision=decision,
        question=question,
        text=text,
        opened_by=member,
        opened_at=now,
        entitled=len(entitled),
        required=threshold.required(len(entitled)),
    )
    append_entry(
        actor=actor,
        action="petition.opened",
        subject=f"petition:{petition.pk}",
        body=body,
        data={
            "kind": kind,
            "question": question,
            "reason": text,
            "term": term.pk if term else None,
            "decision": decision.pk if decision else None,
            "entitled": petition.entitled,
            "required": petition.required,
        },
    )
    if kind == Petition.Kind.RECALL:
        # The members who elected the holder hear of it once the petition is committed.
        notices.after_commit(partial(notices.recall_petition_opened, petition.pk))
    # Opening a petition is signing it: its opener is its first signer (and, in a small body,
    # may be the one whose signature reaches the threshold).
    Signature.objects.create(petition=petition, member=member, signed_at=now)
    _after_signature(actor, petition, f"member:{member.pk}")
    return petition


def _check_not_already_asked(
    kind: str,
    body: Body,
    question: str,
    term: Term | None,
    decision: Decision | None,
    now: datetime,
) -> None:
    """Refuse a petition for what an open petition, or the vote one opened, already asks."""
    same = open_petition_for(kind, body, question=question, term=term, decision=decision)
    if same is not None:
        raise PetitionError(
            "petition %(petition)s, opened on %(opened_at)s, already asks this and is open: "
            "sign it rather than opening another",
            petition=same.pk,
            opened_at=same.opened_at,
        )
    if kind == Petition.Kind.REFERENDUM:
        if referendum_under_way(body, question, now):
            raise PetitionError(
                "a referendum on %(question)r is open now: vote in it", question=question
            )
        return
    under_way = motion_under_way(kind, term=term, decision=decision)
    if under_way is not None:
        raise PetitionError(
            "motion %(motion)s, %(title)r, already puts this to the vote: take part in it",
            motion=under_way.pk,
            title=under_way.title,
        )


def _locked(petition: Petition) -> Petition:
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.reached_at is not None:
        raise PetitionError(
            "the petition reached its threshold at %(reached_at)s", reached_at=petition.reached_at
        )
    return petition


@transaction.atomic(durable=True)
def sign_petition(*, actor: Actor, petition: Petition) -> Signature:
    """Sign a petition, once; the signature that reaches the threshold opens what it asks."""
    member = as_member(actor, "signing a petition")
    petition = _locked(petition)
    signed = frozenset(
        petition.signatures.filter(member__isnull=False).values_list("member_id", flat=True)
    )
    # The core refuses a second signature, or one of someone not entitled.
    core.Signatures(str(petition.pk), signed).sign(member.pk, _entitled_members(petition))
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                petition=petition, member=member, signed_at=clock.now()
            )
    except IntegrityError:
        raise PetitionError(
            "%(member)s has already signed this petition", member=member.name
        ) from None
    _after_signature(actor, petition, f"member:{member.pk}")
    return signature


def sign_by_body(decision: Decision) -> None:
    """Sign a referendum petition by a member body's carried decision (the effect of it)."""
    motion = decision.motion
    assert motion is not None
    assert motion.petition is not None
    petition = _locked(motion.petition)
    body = decision.body
    signed = frozenset(
        petition.signatures.filter(member_body__isnull=False).values_list(
            "member_body__slug", flat=True
        )
    )
    core.Signatures(str(petition.pk), signed).sign(body.slug, _entitled_bodies(petition))
    Signature.objects.create(
        petition=petition, member_body=body, decision=decision, signed_at=clock.now()
    )
    _after_signature("system", petition, f"body:{body.slug}")


def _after_signature(actor: Actor, petition: Petition, signer: str) -> None:
    state = _state(petition)
    append_entry(
        actor=actor,
        action="petition.signed",
        subject=f"petition:{petition.pk}",
        body=petition.body,
        data={
            "signer": signer,
            "signatures": state.signatures,
            "required": state.required,
            "opens": state.opens,
            "reason": state.reason,
        },
    )
    if state.opens:
        petition.reached_at = clock.now()
        petition.save(update_fields=["reached_at"])
        _open_what_it_asks(petition)


def _open_what_it_asks(petition: Petition) -> None:
    """Open the recall vote, the referendum, or the reopened motion: no one's leave is asked."""
    if petition.kind == Petition.Kind.REFERENDUM:
        open_referendum(petition=petition)
        return
    if petition.kind == Petition.Kind.RECALL:
        assert petition.term is not None
        kind, title, text = Motion.Kind.RECALL, f"Recall {petition.term.holder}", petition.text
        targets: dict[str, object] = {"term": petition.term}
    else:
        assert petition.decision is not None
        reopened = petition.decision.motion
        kind = Motion.Kind.REOPEN
        title = f"Reopen: {reopened.title if reopened else petition.question}"
        text = reopened.text if reopened else petition.text
        targets = {"decision": petition.decision}
    motion = new_motion(
        body=petition.body,
        kind=kind,
        title=title,
        text=text,
        proposer=None,
        details={"petition": petition.pk},
        targets=targets,
        status=Motion.Status.SUBMITTED,
    )
    append_entry(
        actor="system",
        action="motion.proposed",
        subject=f"motion:{motion.pk}",
        body=petition.body,
        data={**motion_data(motion), "petition": petition.pk},
    )
    if kind == Motion.Kind.RECALL:
        put_to_vote(
            actor="system",
            motion=Motion.objects.select_for_update().get(pk=motion.pk),
            amendment=None,
            ballot_kind=Vote.BallotKind.SECRET,
            mode=Vote.Mode.ONLINE,
            # Never shorter than the statute's minimum, which may exceed the usual week.
            closes_at=max(
                clock.now() + timedelta(days=RECALL_VOTE_DAYS),
                earliest_close(statute_of(petition.body), clock.now()),
            ),
        )


def _check_signing(motion: Motion) -> None:
    petition = motion.petition
    assert petition is not None
    if petition.kind != Petition.Kind.REFERENDUM or petition.reached_at is not None:
        raise DecisionError("a body signs only an open referendum petition")
    if not member_bodies_at(petition.body, petition.opened_at).filter(pk=motion.body_id).exists():
        raise StandingError(
            "%(body)r is not a member body of %(council)r",
            body=motion.body.slug,
            council=petition.body.slug,
        )


def _check_reopening(motion: Motion) -> None:
    decision = motion.decision
    assert isinstance(decision, Decision)
    if decision.body_id != motion.body_id:
        raise StandingError(
            "a body reopens only its own decisions, not %(body)s's", body=decision.body.name
        )


declare(
    MotionKind(
        Motion.Kind.SIGN_PETITION,
        targets=frozenset({"petition"}),
        check=_check_signing,
        effect=sign_by_body,
    ),
    # A reopened decision is decided again: the new decision is the effect.
    MotionKind(
        Motion.Kind.REOPEN,
        targets=frozenset({"decision"}),
        check=_check_reopening,
        by_petition_only=True,
    ),
)
