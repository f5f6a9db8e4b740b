"""FactsRefreshDue joins this app's state; its table (``lake_factsrefreshdue``) was created by the lake app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('lake', '0001_initial'),
        ('orders', '0002_order_fingerprint'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='FactsRefreshDue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date_from', models.DateField(verbose_name='first paid date')),
                        ('date_to', models.DateField(verbose_name='last paid date')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.shop', verbose_name='shop')),
                    ],
                    options={
                        'verbose_name': 'order facts refresh due',
                        'verbose_name_plural': 'order facts refreshes due',
                        'db_table': 'lake_factsrefreshdue',
                        'default_permissions': (),
                    },
                ),
            ],
        ),
    ]
