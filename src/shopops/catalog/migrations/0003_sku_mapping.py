# SKU matching (商品对应关系): the mapping table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_category_tree_listing_skus'),
        ('channels', '0005_importjob_to_imports'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SkuMapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('match_key', models.CharField(max_length=255, verbose_name='match key')),
                ('platform_item_id', models.CharField(blank=True, max_length=64, verbose_name='platform item id')),
                ('platform_sku_id', models.CharField(blank=True, max_length=64, verbose_name='platform SKU id')),
                ('seller_code', models.CharField(blank=True, max_length=64, verbose_name='seller code')),
                ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                ('spec', models.CharField(blank=True, max_length=200, verbose_name='spec')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('channel_account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sku_mappings', to='channels.channelaccount', verbose_name='channel account')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.shop', verbose_name='shop')),
                ('sku', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mappings', to='catalog.sku', verbose_name='SKU')),
            ],
            options={
                'verbose_name': 'SKU mapping',
                'verbose_name_plural': 'SKU mappings',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('shop', 'channel_account', 'match_key'), name='uniq_sku_mapping_key')],
            },
        ),
    ]
