from typing import Any

from django.db import migrations, models


def grant_change_shop(apps: Any, schema_editor: Any) -> None:
    """An install made before this migration: its administrators get ``core.change_shop`` (the shop profile
    page) now. A new install has no groups yet; ``roles_sync`` gives them every permission of core.roles."""
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="admin").first()
    if group is None:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="core", model="shop")
    permission, _ = Permission.objects.get_or_create(content_type=content_type, codename="change_shop",
                                                     defaults={"name": "Can change shop"})
    group.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='shop',
            name='setup_dismissed',
            field=models.BooleanField(default=False, verbose_name='setup checklist dismissed'),
        ),
        migrations.RunPython(grant_change_shop, migrations.RunPython.noop),
    ]
