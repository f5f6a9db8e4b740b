# SKU matching: an order line may be unmatched (sku null) and keeps what the export said of its item.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_sku_mapping'),
        ('core', '0001_initial'),
        ('orders', '0003_factsrefreshdue'),
    ]

    operations = [
        migrations.AddField(
            model_name='orderline',
            name='match_key',
            field=models.CharField(blank=True, db_default='', max_length=255, verbose_name='match key'),
        ),
        migrations.AddField(
            model_name='orderline',
            name='platform_item_id',
            field=models.CharField(blank=True, db_default='', max_length=64, verbose_name='platform item id'),
        ),
        migrations.AddField(
            model_name='orderline',
            name='platform_sku_id',
            field=models.CharField(blank=True, db_default='', max_length=64, verbose_name='platform SKU id'),
        ),
        migrations.AddField(
            model_name='orderline',
            name='seller_code',
            field=models.CharField(blank=True, db_default='', max_length=64, verbose_name='seller code'),
        ),
        migrations.AddField(
            model_name='orderline',
            name='spec',
            field=models.CharField(blank=True, db_default='', max_length=200, verbose_name='spec'),
        ),
        migrations.AlterField(
            model_name='orderline',
            name='sku',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='order_lines', to='catalog.sku'),
        ),
        migrations.AddIndex(
            model_name='orderline',
            index=models.Index(condition=models.Q(('match_key', ''), _negated=True), fields=['shop', 'match_key'], name='orderline_match_key'),
        ),
    ]
