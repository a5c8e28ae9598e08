"""Counts of mails that outlive their rows (portal.notifications.tallies): the mails the outbox
deletes, counted per template, subject, day and status; the deliveries per space and day."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0014_search_vectors_and_document_text'),
        ('notifications', '0014_one_mail_outbox'),
    ]

    operations = [
        migrations.CreateModel(
            name='RollupMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, unique=True)),
                ('complete_before', models.DateField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='MailTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('template', models.CharField(max_length=100)),
                ('subject_id', models.PositiveBigIntegerField(default=0)),
                ('day', models.DateField()),
                ('status', models.CharField(choices=[('pending', 'Wartet'), ('sending', 'Wird verschickt'), ('sent', 'Verschickt'), ('skipped', 'Übersprungen'), ('failed', 'Fehlgeschlagen')], max_length=16)),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'Gezählte E-Mails',
                'verbose_name_plural': 'Gezählte E-Mails',
                'constraints': [models.UniqueConstraint(fields=('template', 'subject_id', 'day', 'status'), name='one_mail_tally_per_day')],
            },
        ),
        migrations.CreateModel(
            name='DeliveryDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('total', models.PositiveIntegerField(default=0)),
                ('sent', models.PositiveIntegerField(default=0)),
                ('failed', models.PositiveIntegerField(default=0)),
                ('skipped', models.PositiveIntegerField(default=0)),
                ('space', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='groups.space')),
            ],
            options={
                'verbose_name': 'Zustellungen eines Tages',
                'verbose_name_plural': 'Zustellungen je Tag',
                'constraints': [models.UniqueConstraint(fields=('space', 'day'), name='one_delivery_day_per_space')],
            },
        ),
    ]
