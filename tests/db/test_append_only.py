"""The database itself refuses to rewrite the record, whatever code tries."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from frombelow.db.models import RecordEntry

pytestmark = pytest.mark.django_db


def _entry() -> RecordEntry:
    return RecordEntry.objects.create(
        seq=0,
        recorded_at=timezone.now(),
        actor="system",
        action="test.written",
        data={"n": 1},
        canonical=b"{}",
        leaf_hash=b"\0" * 32,
    )


def test_an_entry_cannot_be_updated_through_the_orm() -> None:
    entry = _entry()
    entry.action = "test.rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    assert RecordEntry.objects.get(pk=entry.pk).action == "test.written"


def test_an_entry_cannot_be_deleted_even_with_raw_sql() -> None:
    entry = _entry()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM frombelow_recordentry")
    assert RecordEntry.objects.filter(pk=entry.pk).exists()


def test_a_bulk_update_is_refused() -> None:
    _entry()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordEntry.objects.update(data={"n": 2})
    assert RecordEntry.objects.get().data == {"n": 1}
