"""Foundings of assemblies (a convenor, invited founders, their answers) and people's applications
to join an assembly (issue 12)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('frombelow', '0015_notice_kinds'),
    ]

    operations = [
        migrations.CreateModel(
            name='Founding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('slug', models.SlugField(max_length=100)),
                ('template', models.CharField(blank=True, max_length=50)),
                ('rules', models.JSONField()),
                ('convened_at', models.DateTimeField()),
                ('lapses_at', models.DateTimeField()),
                ('body', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='founding', to='frombelow.body')),
                ('convenor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='convened', to='frombelow.member')),
            ],
            options={
                'ordering': ('-convened_at', '-id'),
            },
        ),
        migrations.CreateModel(
            name='Founder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('invited_at', models.DateTimeField()),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('declined_at', models.DateTimeField(blank=True, null=True)),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='foundings', to='frombelow.member')),
                ('founding', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='founders', to='frombelow.founding')),
            ],
            options={
                'ordering': ('invited_at', 'id'),
                'constraints': [models.UniqueConstraint(fields=('founding', 'member'), name='one_founder_each')],
            },
        ),
        migrations.CreateModel(
            name='MembershipApplication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('statement', models.TextField(blank=True)),
                ('applied_at', models.DateTimeField()),
                ('outcome', models.CharField(blank=True, choices=[('admitted', 'Admitted'), ('refused', 'Refused'), ('withdrawn', 'Withdrawn')], max_length=10)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('assembly', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='membership_applications', to='frombelow.body')),
                ('decision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='frombelow.decision')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='frombelow.member')),
            ],
            options={
                'ordering': ('applied_at', 'id'),
                'constraints': [models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True)), fields=('member', 'assembly'), name='one_open_membership_application')],
            },
        ),
    ]
