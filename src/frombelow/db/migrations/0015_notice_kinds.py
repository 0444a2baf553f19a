"""Notices of what needs a member: an agenda, a mandate vote, candidacies, a ratification,
an implementation overdue, and a daily digest (issue 11): only the choices change, no column;
and an index by subject for the senders that run every minute."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("frombelow", "0014_candidacy_statement_and_withdrawal"),
    ]

    operations = [
        migrations.AlterField(
            model_name="noticechoice",
            name="kind",
            field=models.CharField(
                choices=[
                    ("vote-opened", "Vote Opened"),
                    ("vote-closing", "Vote Closing"),
                    ("mandate-decided", "Mandate Decided"),
                    ("recall-petition", "Recall Petition"),
                    ("agenda-sent", "Agenda Sent"),
                    ("mandate-vote", "Mandate Vote"),
                    ("candidacies", "Candidacies"),
                    ("ratification", "Ratification"),
                    ("overdue", "Overdue"),
                    ("digest", "Digest"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="noticesent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("vote-opened", "Vote Opened"),
                    ("vote-closing", "Vote Closing"),
                    ("mandate-decided", "Mandate Decided"),
                    ("recall-petition", "Recall Petition"),
                    ("agenda-sent", "Agenda Sent"),
                    ("mandate-vote", "Mandate Vote"),
                    ("candidacies", "Candidacies"),
                    ("ratification", "Ratification"),
                    ("overdue", "Overdue"),
                    ("digest", "Digest"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="noticesent",
            index=models.Index(fields=["kind", "subject"], name="notice_sent_by_subject"),
        ),
    ]
