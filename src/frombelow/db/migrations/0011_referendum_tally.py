"""A stored tally per referendum: ballots per set of assemblies and option (docs/performance.md).

The count of a referendum with a million ballots read them all, grouped in the database; the tally
keeps those groups, written with each ballot, so the count reads one row per set and option. A
referendum already open or counted when this runs gets its tally made from its ballots here, as
`services.referendums.rebuild_tally` makes it.
"""

from collections import Counter

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def fill_tallies(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ballot = apps.get_model("frombelow", "ReferendumBallot")
    tally = apps.get_model("frombelow", "ReferendumTally")
    db = schema_editor.connection.alias
    counts: Counter[tuple[int, str, str]] = Counter()
    grouped = (
        ballot.objects.using(db)
        .values_list("referendum_id", "assemblies", "option")
        .annotate(n=models.Count("pk"))
        .order_by()
    )
    for referendum, assemblies, option, n in grouped:
        counts[(referendum, " ".join(sorted(assemblies)), option)] += n
    tally.objects.using(db).bulk_create(
        (
            tally(referendum_id=r, assemblies=a, option=o, ballots=n)
            for (r, a, o), n in counts.items()
        ),
        batch_size=5_000,
    )


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0010_limits_cache")]

    operations = [
        migrations.CreateModel(
            name="ReferendumTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("assemblies", models.TextField()),
                ("option", models.CharField(max_length=200)),
                ("ballots", models.PositiveIntegerField()),
                (
                    "referendum",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tally",
                        to="frombelow.referendum",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("referendum", "assemblies", "option"),
                        name="one_tally_per_set_and_option",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_tallies, migrations.RunPython.noop),
    ]
