"""The account mails' outbox becomes the outbox of every mail to one address (outbox.Mail):
the table is renamed, its rows stay; keyed posting, builder parameters and a failure count."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0013_kinds_are_registered_strings"),
    ]

    operations = [
        migrations.RenameModel(old_name="AccountMail", new_name="Mail"),
        migrations.AlterModelOptions(name="mail", options={"verbose_name": "E-Mail", "verbose_name_plural": "E-Mails"}),
        migrations.RenameIndex(model_name="mail", new_name="mail_queue_idx", old_name="account_mail_queue_idx"),
        migrations.AddField(
            model_name="mail",
            name="key",
            field=models.CharField(blank=True, max_length=200, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="mail",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="mail",
            name="failures",
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
