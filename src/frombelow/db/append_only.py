"""Database triggers that make a table append-only: UPDATE, DELETE (and TRUNCATE) are refused.

Used by migrations for the record and the ballot tables, so that even code that bypasses the
services, or an operator with a SQL shell who does not drop the triggers first, cannot rewrite them.
"""

from __future__ import annotations

from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _statements(vendor: str, table: str) -> tuple[list[str], list[str]]:
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
            for op in ("UPDATE", "DELETE")
        ]
        drop = [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]
        return create, drop
    if vendor == "postgresql":
        function = f"{table}_refuse_change"
        create = [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            # No '%' here: the driver would take it for a query parameter.
            "BEGIN RAISE EXCEPTION USING MESSAGE = "
            "TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused'; END $$",
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
        drop = [
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"DROP FUNCTION IF EXISTS {function}()",
        ]
        return create, drop
    raise NotImplementedError(
        f"append-only triggers are written for SQLite and PostgreSQL, not {vendor}"
    )


def make_append_only(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    """Install the triggers that refuse UPDATE and DELETE on `table`."""
    for sql in _statements(schema_editor.connection.vendor, table)[0]:
        schema_editor.execute(sql)


def allow_changes(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    """Remove those triggers (only to reverse the migration that installed them)."""
    for sql in _statements(schema_editor.connection.vendor, table)[1]:
        schema_editor.execute(sql)
