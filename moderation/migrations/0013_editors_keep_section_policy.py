from django.contrib.auth.management import create_permissions
from django.db import migrations

from moderation.roles import EDITORS, SECTION_PERMISSIONS


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, apps=apps, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    for app_label, codename in SECTION_PERMISSIONS:
        editors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS):
        for app_label, codename in SECTION_PERMISSIONS:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0012_campaign_clusters"),
        ("articles", "0003_sections"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
