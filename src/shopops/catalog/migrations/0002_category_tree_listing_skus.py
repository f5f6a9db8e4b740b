# Categories as a tree, a listing's URL, and the SKUs of a listing as the platform knows them.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_initial'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='parent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='catalog.category', verbose_name='parent category'),
        ),
        migrations.AddField(
            model_name='listing',
            name='url',
            field=models.URLField(blank=True, max_length=500, verbose_name='URL'),
        ),
        migrations.CreateModel(
            name='ListingSku',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('platform_sku_id', models.CharField(blank=True, max_length=64, verbose_name='platform SKU id')),
                ('price_fen', models.BigIntegerField(blank=True, null=True, verbose_name='platform price (fen)')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('online', 'Online'), ('offline', 'Offline')], default='online', max_length=10, verbose_name='status')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='skus', to='catalog.listing')),
                ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.shop', verbose_name='shop')),
                ('sku', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='listing_skus', to='catalog.sku')),
            ],
            options={
                'verbose_name': 'listing SKU',
                'ordering': ['id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('platform_sku_id', ''), _negated=True), fields=('listing', 'platform_sku_id'), name='uniq_listing_platform_sku'), models.CheckConstraint(condition=models.Q(('price_fen__gte', 0), ('price_fen__isnull', True), _connector='OR'), name='listing_sku_price_non_negative')],
            },
        ),
    ]
