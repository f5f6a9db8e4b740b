import datetime

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RobotTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('wecom', 'WeCom group robot'), ('dingtalk', 'DingTalk group robot'), ('feishu', 'Feishu group robot')], max_length=10, verbose_name='platform')),
                ('name', models.CharField(max_length=60, verbose_name='name')),
                ('webhook_url', models.CharField(max_length=1000, verbose_name='webhook address')),
                ('secret', models.CharField(blank=True, max_length=200, verbose_name='signing secret')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.shop', verbose_name='shop')),
            ],
            options={
                'verbose_name': 'group robot',
                'verbose_name_plural': 'group robots',
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='BriefingSetting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=True, verbose_name='send every day')),
                ('send_time', models.TimeField(default=datetime.time(9, 0), verbose_name='send time')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.shop', verbose_name='shop')),
            ],
            options={
                'verbose_name': 'daily report setting',
                'verbose_name_plural': 'daily report settings',
                'constraints': [models.UniqueConstraint(fields=('shop',), name='uniq_briefing_setting_shop')],
            },
        ),
        migrations.CreateModel(
            name='BriefingSend',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='report date')),
                ('ok', models.BooleanField(default=False, verbose_name='delivered')),
                ('manual', models.BooleanField(default=False, verbose_name='sent by hand')),
                ('answer', models.CharField(blank=True, max_length=300, verbose_name='answer')),
                ('sent_at', models.DateTimeField(auto_now_add=True)),
                ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.shop', verbose_name='shop')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sends', to='briefing.robottarget', verbose_name='group robot')),
            ],
            options={
                'verbose_name': 'report push',
                'verbose_name_plural': 'report pushes',
                'ordering': ['-sent_at', '-id'],
                'indexes': [models.Index(fields=['target', 'date'], name='briefing_send_target_date')],
            },
        ),
    ]
