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
]

ROLE_PERMISSIONS = {MODERATORS: MODERATOR_PERMISSIONS, EDITORS: EDITOR_PERMISSIONS}
