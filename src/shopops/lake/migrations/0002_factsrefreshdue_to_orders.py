"""The order facts' refresh outbox moved to the orders app: it leaves this app's state; its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('lake', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='FactsRefreshDue')],
            database_operations=[],
        ),
    ]
