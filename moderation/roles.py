"""The newsroom roles and their permissions, shared by the data migrations and tests."""

MODERATORS = "Moderators"
EDITORS = "Editors"
# A CMS's account: it syncs the articles of the sites that name it among their publishers.
PUBLISHERS = "Publishers"

MODERATOR_PERMISSIONS = [
    ("moderation", "view_comment"),
    ("moderation", "change_comment"),
    ("moderation", "view_moderationevent"),
    ("moderation", "view_commentreport"),
    ("moderation", "view_wordlistterm"),
    ("articles", "view_article"),
]

SECTION_PERMISSIONS = [
    ("articles", "view_section"),
    ("articles", "add_section"),
    ("articles", "change_section"),
]

EDITOR_PERMISSIONS = [
    *MODERATOR_PERMISSIONS,
    ("articles", "change_article"),
    ("articles", "add_article"),
    ("articles", "view_correctionrequest"),
    ("articles", "change_correctionrequest"),
    ("articles", "view_correction"),
    ("articles", "add_correction"),
    ("articles", "change_correction"),
    ("moderation", "view_classifiermodel"),
    ("moderation", "change_classifiermodel"),
    # Moderators read the word lists; editors keep them.
    ("moderation", "add_wordlistterm"),
    ("moderation", "change_wordlistterm"),
    ("moderation", "delete_wordlistterm"),
    # The section policy page (granted by the migration that adds sections).
    *SECTION_PERMISSIONS,
    # A site's webhook endpoints and their delivery log.
    ("articles", "view_webhookendpoint"),
    ("articles", "add_webhookendpoint"),
    ("articles", "change_webhookendpoint"),
    ("articles", "view_webhookdelivery"),
]

PUBLISHER_PERMISSIONS = [
    ("articles", "view_article"),
    ("articles", "add_article"),
    ("articles", "change_article"),
]

ROLE_PERMISSIONS = {
    MODERATORS: MODERATOR_PERMISSIONS,
    EDITORS: EDITOR_PERMISSIONS,
    PUBLISHERS: PUBLISHER_PERMISSIONS,
}


def ensure_role(name: str):  # type: ignore[no-untyped-def]
    """The group with its permissions, created if missing (tests that flush the database)."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=name)
    if created:
        for app_label, codename in ROLE_PERMISSIONS[name]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def grant_role_permissions(apps) -> None:  # type: ignore[no-untyped-def]
    """For data migrations: each role's group (created if missing) gets every permission
    of its list that exists at that point in the migrations. The lists grow with the
    code, so the migration that adds a model grants its permissions by calling this."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                permission
                for app_label, codename in perms
                for permission in Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            ]
        )
