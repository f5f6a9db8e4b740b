"""The import pipeline moved to the ``imports`` app: ImportJob leaves this app's state; its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0004_importjob_runner'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImportJob')],
            database_operations=[],
        ),
    ]
