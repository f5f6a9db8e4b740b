"""ImportJob joins this app's state; its table (``channels_importjob``) was created by the channels app."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('channels', '0004_importjob_runner'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('format', models.CharField(max_length=40, verbose_name='format')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file')),
                        ('file_path', models.CharField(blank=True, max_length=1000)),
                        ('options', models.JSONField(blank=True, default=dict)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Imported'), ('rejected', 'Rejected'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                        ('progress', models.FloatField(default=0.0, verbose_name='progress')),
                        ('rows', models.PositiveBigIntegerField(default=0, verbose_name='rows')),
                        ('inserted', models.PositiveBigIntegerField(default=0, verbose_name='inserted')),
                        ('updated', models.PositiveBigIntegerField(default=0, verbose_name='updated')),
                        ('unchanged', models.PositiveBigIntegerField(default=0, verbose_name='unchanged')),
                        ('rejected', models.PositiveBigIntegerField(default=0, verbose_name='rejected')),
                        ('errors', models.JSONField(blank=True, default=list)),
                        ('seconds', models.FloatField(default=0.0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('runner', models.CharField(blank=True, max_length=300)),
                        ('channel_account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='channels.channelaccount', verbose_name='channel account')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.shop', verbose_name='shop')),
                    ],
                    options={
                        'verbose_name': 'import job',
                        'verbose_name_plural': 'import jobs',
                        'ordering': ['-id'],
                        'db_table': 'channels_importjob',
                    },
                ),
            ],
        ),
    ]
