"""Every kind of motion is declared once, names what it acts on, and has one effect or none."""

from __future__ import annotations

import pytest

from frombelow.core.errors import DecisionError
from frombelow.db.models import Motion
from frombelow.services import deciding, motion_kinds
from frombelow.services.motion_kinds import Applies, MotionKind, Scope, declare, declared, kind_of


def test_every_kind_of_motion_is_declared_by_a_module_the_deciding_service_imports() -> None:
    assert set(declared()) == set(Motion.Kind.values)
    owners = {kind.effect.__module__ for kind in declared().values() if kind.effect is not None}
    assert owners <= {module.__name__ for module in deciding.KIND_OWNERS}


def test_the_kinds_without_an_effect_are_positions_and_reopenings() -> None:
    # A general motion is a position; a reopened decision is decided again, and the new decision
    # is its effect. (A founding decision founds the council once the last founder's carries.)
    without = {code for code, kind in declared().items() if kind.effect is None}
    assert without == {Motion.Kind.GENERAL, Motion.Kind.REOPEN}


def test_an_answer_follows_whatever_the_outcome_only_for_applications_mandates_and_ratifying() -> (
    None
):
    either_way = {
        code for code, kind in declared().items() if kind.applies is Applies.WHATEVER_THE_OUTCOME
    }
    # A body's application to a council, and a person's to an assembly, are answered either way.
    assert either_way == {
        Motion.Kind.ADMIT_MEMBER,
        Motion.Kind.ACCEPT_MEMBER_BODY,
        Motion.Kind.DECIDE_MANDATE,
        Motion.Kind.RATIFY,
    }


def test_no_kind_acts_on_another_body_except_a_councils_own_member_bodies() -> None:
    # The only kinds that name another body: joining or leaving a council (the body's own
    # membership), and a council accepting or expelling one of its own member bodies.
    naming_a_body = {code for code, kind in declared().items() if "other_body" in kind.targets}
    assert naming_a_body == {
        Motion.Kind.JOIN_COUNCIL,
        Motion.Kind.LEAVE_COUNCIL,
        Motion.Kind.ACCEPT_MEMBER_BODY,
        Motion.Kind.EXPEL_MEMBER_BODY,
    }


def test_due_process_is_owed_exactly_where_a_kind_acts_on_a_charge() -> None:
    owed = {code for code, kind in declared().items() if kind.needs_due_process}
    assert owed == {
        Motion.Kind.EXPEL_MEMBER_BODY,
        Motion.Kind.HIDE_STATEMENT,
        Motion.Kind.SANCTION_MEMBER,
    }


def test_scopes_petitions_thresholds_and_amending_are_declared_with_the_kind() -> None:
    kinds = declared()
    assert {c for c, k in kinds.items() if k.scope is Scope.ASSEMBLY} == {
        Motion.Kind.ADMIT_MEMBER,
        Motion.Kind.SANCTION_MEMBER,
    }
    assert {c for c, k in kinds.items() if k.scope is Scope.COUNCIL} == {
        Motion.Kind.ACCEPT_MEMBER_BODY,
        Motion.Kind.EXPEL_MEMBER_BODY,
        Motion.Kind.DECIDE_APPEAL,
        Motion.Kind.CALL_REFERENDUM,
    }
    assert {c for c, k in kinds.items() if k.by_petition_only} == {Motion.Kind.REOPEN}
    assert {c for c, k in kinds.items() if k.threshold is not None} == {Motion.Kind.RECALL}
    assert {c for c, k in kinds.items() if not k.as_proposed} == {Motion.Kind.GENERAL}


def test_a_kind_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        declare(MotionKind(Motion.Kind.GENERAL))
    assert kind_of(Motion.Kind.GENERAL).as_proposed is False  # the first declaration stands


def test_a_kind_names_only_what_a_motion_can_name() -> None:
    with pytest.raises(ValueError, match="a motion names no vote"):
        MotionKind(Motion.Kind.GENERAL, targets=frozenset({"vote"}))


def test_a_code_no_kind_has_is_refused_with_the_kinds_there_are() -> None:
    with pytest.raises(DecisionError, match="there is no kind of motion 'coup'") as refused:
        kind_of("coup")
    assert "admit-member" in str(refused.value)
    assert motion_kinds.SYSTEM == "system"
