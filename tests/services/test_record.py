"""Every act's entry is appended in the act's own transaction, numbered densely, hashed exactly."""

import hashlib

import pytest
from django.db import transaction
from django.utils import timezone

from frombelow.core.record.entry import entry_from_bytes
from frombelow.db.models import Body, RecordEntry, RecordHead
from frombelow.services.record import OutsideTransactionError, append_entry

pytestmark = pytest.mark.django_db


def _body() -> Body:
    return Body.objects.create(
        kind=Body.Kind.ASSEMBLY, name="Dock workers", slug="dock", founded_at=timezone.now()
    )


def test_entries_are_numbered_in_order_and_hash_their_canonical_bytes() -> None:
    body = _body()
    for n in range(3):
        with transaction.atomic():
            append_entry(
                actor="system", action="test.counted", subject=f"n{n}", data={"n": n}, body=body
            )
    entries = list(RecordEntry.objects.all())
    assert [e.seq for e in entries] == [0, 1, 2]
    assert RecordHead.objects.get().size == 3
    for e in entries:
        canonical = bytes(e.canonical)
        assert bytes(e.leaf_hash) == hashlib.sha256(b"\x00" + canonical).digest()
        decoded = entry_from_bytes(canonical)
        assert decoded.sequence == e.seq
        assert decoded.body == "dock"
        assert dict(decoded.data) == e.data


# Outside any transaction for real; the record's tables are left out of the flush afterwards,
# which their triggers would refuse, and which is not needed since the test writes nothing.
@pytest.mark.django_db(transaction=True, available_apps=["django.contrib.contenttypes"])
def test_an_entry_outside_a_transaction_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(OutsideTransactionError, match=r"test\.counted"):
        append_entry(actor="system", action="test.counted", subject="x", data={})
    assert not RecordEntry.objects.exists()


def test_an_act_that_fails_leaves_no_entry() -> None:
    def failing_act() -> None:
        with transaction.atomic():  # a savepoint within the test's transaction
            append_entry(actor="system", action="test.counted", subject="x", data={})
            raise RuntimeError("the act failed after its entry was written")

    with pytest.raises(RuntimeError):
        failing_act()
    assert not RecordEntry.objects.exists()
    assert RecordHead.objects.get().size == 0
