"""The table in which rate limits count, shared by every server process (docs/decisions/0007).

Django makes a database cache's table with `createcachetable`, from the CACHES setting; running it
here means that `migrate`, which every installation already runs, makes it too. It does nothing
where the table exists.
"""

from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_cache_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0009_secret_ballots_in_key_order")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
