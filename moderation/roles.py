"""The two newsroom roles and their permissions, shared by the data migration and tests."""

MODERATORS = "Moderators"
EDITORS = "Editors"

MODERATOR_PERMISSIONS = [
    ("moderation", "view_comment"),
    ("moderation", "change_comment"),
    ("moderation", "view_moderationevent"),
    ("moderation", "view_commentreport"),
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
    # The section policy page (granted by the migration that adds sections).
    *SECTION_PERMISSIONS,
]

ROLE_PERMISSIONS = {MODERATORS: MODERATOR_PERMISSIONS, EDITORS: EDITOR_PERMISSIONS}


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
