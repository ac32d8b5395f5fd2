"""Request and response shapes of the comments API. No email or IP leaves in a public shape."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moderation.bulk import BULK_MAX_ITEMS
from moderation.models import (
    COMMENT_BODY_MAX_LENGTH,
    COMMENT_NAME_MAX_LENGTH,
    SANCTION_REASON_MAX_LENGTH,
    ClassifierModel,
    Comment,
    CommenterSanction,
    CommentReport,
    ModerationEvent,
    RejectReason,
    comment_etag,
)
from moderation.selectors import SANCTION_STATE_NAMES
from moderation.trust import STANDING_KINDS, attach_standing
from newsroom.api.fields import IdField

REASON_TEXT_MAX_LENGTH = 2000


_DATETIME = serializers.DateTimeField()


def _datetime(value: datetime.datetime | None) -> str | None:
    """A date-time exactly as DRF's DateTimeField renders it (in the current time zone)."""
    return None if value is None else _DATETIME.to_representation(value)


# A report as the desk shows it, and how to read it as plain values.
REPORT_VALUES = ("id", "reason", "text", "created_at")


def _reports_of(comment: Comment) -> list[dict[str, Any]]:
    attached = getattr(comment, "report_list", None)
    if attached is not None:
        return list(attached)
    return list(comment.reports.order_by("-created_at", "-id").values(*REPORT_VALUES))


# --- Public shapes ------------------------------------------------------------


class PublicCommentSerializer(serializers.ModelSerializer[Comment]):
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)  # type: ignore[assignment]
    author_verified = serializers.SerializerMethodField(
        help_text="Signed in by the publisher's site: the name is theirs (the email never shown)."
    )
    body = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text="Empty when its author deleted the comment (`is_deleted`)."
    )
    is_deleted = serializers.SerializerMethodField(
        help_text="Deleted by its author: shown as such, its replies stay."
    )
    is_editors_pick = serializers.SerializerMethodField(
        help_text="Featured by the editors (the picks strip above the thread)."
    )
    recommend_count = serializers.IntegerField(
        read_only=True, help_text="Readers' recommendations (may lag by the cache time)."
    )
    edited_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When its author last edited it."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "parent",
            "author_name",
            "body",
            "is_spoiler",
            "created_at",
            "author_verified",
            "edited_at",
            "is_deleted",
            "is_editors_pick",
            "recommend_count",
        ]
        read_only_fields = fields

    def get_author_verified(self, comment: Comment) -> bool:
        return comment.reader is not None and comment.reader.is_verified

    def get_is_deleted(self, comment: Comment) -> bool:
        return comment.deleted_at is not None

    def get_is_editors_pick(self, comment: Comment) -> bool:
        return comment.featured_at is not None


class CommentEditSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=COMMENT_BODY_MAX_LENGTH)
    spoiler = serializers.BooleanField(
        required=False, default=False, help_text="The reader marks their own comment a spoiler."
    )


class RecommendationSerializer(serializers.Serializer[Any]):
    recommend_count = serializers.IntegerField()
    recommended = serializers.BooleanField(help_text="Whether this reader now recommends it.")


class CommentSubmitSerializer(serializers.Serializer[Any]):
    author_name = serializers.CharField(max_length=COMMENT_NAME_MAX_LENGTH)
    author_email = serializers.EmailField(
        required=False, allow_blank=True, max_length=254, help_text="Never shown publicly."
    )
    body = serializers.CharField(max_length=COMMENT_BODY_MAX_LENGTH)
    parent = IdField(  # type: ignore[assignment]
        required=False, allow_null=True, help_text="The id of a published comment to reply to."
    )
    spoiler = serializers.BooleanField(
        required=False, default=False, help_text="The reader marks their own comment a spoiler."
    )
    notify = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "The reader asks to be emailed about replies and the decision on this comment "
            "(needs author_email). The first mail to an address asks to confirm it."
        ),
    )
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=(
            "Leave empty. A hidden field that people never see and form-filling robots do: "
            "a submission that fills it is answered as usual and then dropped."
        ),
    )


class CommentSubmittedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(
        allow_null=True, help_text="Null when the submission was dropped by the honeypot."
    )
    status = serializers.ChoiceField(choices=Comment.Status.choices)
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    author_name = serializers.CharField()
    body = serializers.CharField()
    is_spoiler = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    author_verified = serializers.BooleanField()


# The answer to every comment POST, made once: DRF deep-copies each declared field for
# every serializer instance (about as much CPU as the shaping itself), and
# to_representation keeps no state. An input serializer cannot be shared this way: its
# length messages are formatted once and kept, in the language of the first reader
# who got one.
COMMENT_SUBMITTED = CommentSubmittedSerializer()


class CommentReportInputSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=CommentReport.Reason.choices)
    text = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class CommentReportOutputSerializer(serializers.ModelSerializer[CommentReport]):
    class Meta:
        model = CommentReport
        fields = ["id", "reason", "text", "created_at"]
        read_only_fields = fields


# --- Moderator shapes ---------------------------------------------------------


class ArticleBriefSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()
    section = serializers.CharField(help_text="The section's name.")


class AuthorHistorySerializer(serializers.Serializer[Any]):
    approved = serializers.IntegerField(help_text="Earlier comments by the same email, approved.")
    rejected = serializers.IntegerField(help_text="Earlier comments by the same email, rejected.")


class CommenterStandingSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=STANDING_KINDS,
        help_text=(
            "From people's decisions on the same email: trusted comments skip the hold band, "
            "premoderated ones wait for a person; unknown: no email, so no history."
        ),
    )
    label = serializers.CharField(  # type: ignore[assignment]
        help_text='As the desk shows it: "trusted: 34 approved".'
    )


class ModelVersionsSerializer(serializers.Serializer[Any]):
    spam = serializers.CharField()
    spoiler = serializers.CharField()
    abuse = serializers.CharField()


# A queue item read as plain values, with no model instance: the comment's columns and
# the author-history annotations of moderation.selectors.comment_queue by name, the
# related names below by these keys, and `report_list` and `commenter_standing`
# attached after (moderation.api.views.desk).
QueueRow = dict[str, Any]
_USERNAME = get_user_model().USERNAME_FIELD
QUEUE_ROW_COLUMNS = (
    *("id", "parent_id", "author_name", "author_email", "body", "status", "is_spoiler"),
    *("author_spoiler_tag", "spam_score", "spoiler_score", "abuse_score", "uncertainty"),
    *("spam_model_version", "spoiler_model_version", "abuse_model_version"),
    *("explanation", "rule_hits", "scored_at", "reports_count", "created_at"),
    *("updated_at", "decided_at", "spoiler_reviewed_at"),
    *("author_approved_count", "author_rejected_count"),
)
QUEUE_ROW_RELATED = {
    "article_slug": F("article__slug"),
    "article_title": F("article__title"),
    "article_section": F("article__section__name"),
    "decided_by_name": F(f"decided_by__{_USERNAME}"),
    "spoiler_reviewed_by_name": F(f"spoiler_reviewed_by__{_USERNAME}"),
}


def queue_rows(comments: QuerySet[Comment, Any]) -> QuerySet[Comment, QueueRow]:
    """The desk's comments (moderation.selectors.comment_queue) read as queue rows."""
    return comments.values(*QUEUE_ROW_COLUMNS, **QUEUE_ROW_RELATED)  # type: ignore[return-value]


def queue_row(comment: Comment) -> QueueRow:
    """A comment loaded as a model instance, as the row the queue reads."""
    # The history annotations are 0 when not loaded.
    row: QueueRow = {name: getattr(comment, name, 0) for name in QUEUE_ROW_COLUMNS}
    row.update(
        article_slug=comment.article.slug,
        article_title=comment.article.title,
        article_section=comment.article.section.name,
        decided_by_name=comment.decided_by.get_username() if comment.decided_by else None,
        spoiler_reviewed_by_name=(
            comment.spoiler_reviewed_by.get_username() if comment.spoiler_reviewed_by else None
        ),
        report_list=_reports_of(comment),
    )
    found = getattr(comment, "commenter_standing", None)
    if found is None:  # not attached for the page (attach_standing): this one alone
        found = attach_standing([comment])[0].commenter_standing  # type: ignore[attr-defined]
    row["commenter_standing"] = found
    return row


def queue_item(row: QueueRow) -> dict[str, Any]:
    """The JSON of one queue item (QueueCommentSerializer's fields, in their order)."""
    return {
        "id": row["id"],
        "article": {
            "slug": row["article_slug"],
            "title": row["article_title"],
            "section": row["article_section"],
        },
        "parent": row["parent_id"],
        "author_name": row["author_name"],
        "author_email": row["author_email"],
        "body": row["body"],
        "status": row["status"],
        "is_spoiler": row["is_spoiler"],
        "author_spoiler_tag": row["author_spoiler_tag"],
        "spam_score": row["spam_score"],
        "spoiler_score": row["spoiler_score"],
        "abuse_score": row["abuse_score"],
        "uncertainty": row["uncertainty"],
        "model_versions": {
            "spam": row["spam_model_version"],
            "spoiler": row["spoiler_model_version"],
            "abuse": row["abuse_model_version"],
        },
        "explanation": row["explanation"],
        "rule_hits": row["rule_hits"],
        "scored_at": _datetime(row["scored_at"]),
        "reports_count": row["reports_count"],
        "reports": [
            {
                "id": report["id"],
                "reason": report["reason"],
                "text": report["text"],
                "created_at": _datetime(report["created_at"]),
            }
            for report in row["report_list"]
        ],
        "author_history": {
            "approved": row["author_approved_count"],
            "rejected": row["author_rejected_count"],
        },
        "commenter_standing": row["commenter_standing"].as_dict(),
        "created_at": _datetime(row["created_at"]),
        "updated_at": _datetime(row["updated_at"]),
        "decided_by": row["decided_by_name"],
        "decided_at": _datetime(row["decided_at"]),
        "spoiler_reviewed_by": row["spoiler_reviewed_by_name"],
        "spoiler_reviewed_at": _datetime(row["spoiler_reviewed_at"]),
        "etag": comment_etag(
            row["id"],
            row["status"],
            row["is_spoiler"],
            row["decided_at"],
            row["spoiler_reviewed_at"],
        ),
    }


class QueueCommentSerializer(serializers.ModelSerializer[Comment]):
    """A comment as the desk sees it: scores, why, which models, reports, the author's record."""

    article = ArticleBriefSerializer(read_only=True)
    parent = serializers.IntegerField(source="parent_id", allow_null=True, read_only=True)  # type: ignore[assignment]
    model_versions = serializers.SerializerMethodField()
    explanation = serializers.JSONField(
        read_only=True,
        help_text=(
            'Top features per task: {"spam": [{"feature": …, "weight": …}], "spoiler": […], '
            '"abuse": […]}'
        ),
    )
    rule_hits = serializers.JSONField(
        read_only=True,
        help_text=(
            "What rules beside the models said when it was scored: "
            '[{"rule": …, "action": "reject" | "hold" | "publish", "reason": …}]'
        ),
    )
    reports = CommentReportOutputSerializer(
        source="report_list", many=True, read_only=True, help_text="Newest first."
    )
    author_history = serializers.SerializerMethodField()
    commenter_standing = serializers.SerializerMethodField()
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Who decided the status (approve, reject, spam); null while only the policy has.",
    )
    spoiler_reviewed_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Who last set or cleared the spoiler flag; null while only the policy has.",
    )
    # A plain string: empty when the reader gave none, which is not an email address.
    author_email = serializers.CharField(
        read_only=True, help_text="As the reader gave it, or empty; never shown publicly."
    )
    etag = serializers.SerializerMethodField(
        help_text="Send back as If-Match to decide only if nobody has changed the comment."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "article",
            "parent",
            "author_name",
            "author_email",
            "body",
            "status",
            "is_spoiler",
            "author_spoiler_tag",
            "spam_score",
            "spoiler_score",
            "abuse_score",
            "uncertainty",
            "model_versions",
            "explanation",
            "rule_hits",
            "scored_at",
            "reports_count",
            "reports",
            "author_history",
            "commenter_standing",
            "created_at",
            "updated_at",
            "decided_by",
            "decided_at",
            "spoiler_reviewed_by",
            "spoiler_reviewed_at",
            "etag",
        ]
        read_only_fields = fields

    def to_representation(self, comment: Comment | QueueRow) -> dict[str, Any]:
        # Written out by hand: the queue renders 50 of these per page, and DRF's generic
        # field-by-field path costs several times as much. The declared fields above stay
        # the contract (and the OpenAPI schema); tests compare the two. The queue's pages
        # come as plain rows (queue_rows); one comment, as a model instance, is
        # turned into the same row first, so both render through queue_item.
        row = comment if isinstance(comment, dict) else queue_row(comment)
        return queue_item(row)

    @extend_schema_field(ModelVersionsSerializer)
    def get_model_versions(self, comment: Comment) -> dict[str, str]:
        return {
            "spam": comment.spam_model_version,
            "spoiler": comment.spoiler_model_version,
            "abuse": comment.abuse_model_version,
        }

    @extend_schema_field(AuthorHistorySerializer)
    def get_author_history(self, comment: Comment) -> dict[str, int]:
        return {
            "approved": getattr(comment, "author_approved_count", 0),
            "rejected": getattr(comment, "author_rejected_count", 0),
        }

    @extend_schema_field(CommenterStandingSerializer)
    def get_commenter_standing(self, comment: Comment) -> dict[str, str]:
        found = getattr(comment, "commenter_standing", None)
        if found is None:  # not attached for the page (attach_standing): this one alone
            found = attach_standing([comment])[0].commenter_standing  # type: ignore[attr-defined]
        return found.as_dict()  # type: ignore[no-any-return]

    @extend_schema_field(OpenApiTypes.STR)
    def get_etag(self, comment: Comment) -> str:
        return comment.etag


class ModerationEventSerializer(serializers.ModelSerializer[ModerationEvent]):
    actor = serializers.SerializerMethodField(help_text='A username, or "system".')
    reason_label = serializers.CharField(
        read_only=True, help_text='The reason in words ("Off topic" for `off_topic`).'
    )
    undoes: serializers.PrimaryKeyRelatedField[ModerationEvent] = (
        serializers.PrimaryKeyRelatedField(
            read_only=True, help_text="For an `undone` event: the event it took back."
        )
    )
    model_versions = serializers.JSONField(read_only=True)
    scores = serializers.JSONField(read_only=True)

    class Meta:
        model = ModerationEvent
        fields = [
            "id",
            "actor",
            "action",
            "from_status",
            "to_status",
            "reason_code",
            "reason_label",
            "reason_text",
            "reports_resolved",
            "undoes",
            "model_versions",
            "scores",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, event: ModerationEvent) -> str:
        return event.actor_label


class CommentDetailSerializer(QueueCommentSerializer):
    events = ModerationEventSerializer(many=True, read_only=True)

    # One comment with its history: always a model instance, never a queue row.
    def to_representation(self, comment: Comment) -> dict[str, Any]:  # type: ignore[override]
        data = super().to_representation(comment)
        data["events"] = ModerationEventSerializer(comment.events.all(), many=True).data
        return data

    class Meta(QueueCommentSerializer.Meta):
        fields = [*QueueCommentSerializer.Meta.fields, "events"]
        read_only_fields = fields


class ConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    current = QueueCommentSerializer(help_text="The comment as it is now.")


class DecisionSerializer(serializers.Serializer[Any]):
    expected_status = serializers.ChoiceField(
        choices=Comment.Status.choices,
        required=False,
        help_text=(
            "The status you saw. Required unless an If-Match header carries the comment's ETag "
            "(`*` is refused: it would overwrite whatever is there); if the comment has moved "
            "on, the answer is 409 with its current state."
        ),
    )


class RejectDecisionSerializer(DecisionSerializer):
    reason_code = serializers.ChoiceField(choices=RejectReason.choices)
    reason_text = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_TEXT_MAX_LENGTH
    )


class SpoilerDecisionSerializer(DecisionSerializer):
    is_spoiler = serializers.BooleanField()


class BulkAction:
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    SPOILER = "spoiler"
    CHOICES = [APPROVE, REJECT, SPAM, SPOILER]


class BulkItemSerializer(serializers.Serializer[Any]):
    id = IdField()
    expected_status = serializers.ChoiceField(choices=Comment.Status.choices)


class BulkDecisionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=BulkAction.CHOICES)
    items = serializers.ListField(
        child=BulkItemSerializer(), allow_empty=False, max_length=BULK_MAX_ITEMS
    )
    reason_code = serializers.ChoiceField(
        choices=RejectReason.choices, required=False, help_text="Required to reject."
    )
    reason_text = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_TEXT_MAX_LENGTH
    )
    is_spoiler = serializers.BooleanField(required=False, help_text="Required for spoiler.")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["action"] == BulkAction.REJECT and "reason_code" not in data:
            raise serializers.ValidationError({"reason_code": ["Give a reason to reject."]})
        if data["action"] == BulkAction.SPOILER and "is_spoiler" not in data:
            raise serializers.ValidationError({"is_spoiler": ["Say whether to set or clear it."]})
        return data


class BulkOutcomeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(
        choices=["applied", "conflict", "not_found", "not_applied"],
        help_text=(
            "applied: decided; conflict: the comment had moved on; not_found: no such comment; "
            "not_applied: fine on its own, but the batch was refused because of another item."
        ),
    )
    status = serializers.ChoiceField(
        choices=Comment.Status.choices, allow_null=True, help_text="The comment's status now."
    )
    is_spoiler = serializers.BooleanField(allow_null=True)


class BulkResultSerializer(serializers.Serializer[Any]):
    applied = serializers.BooleanField(help_text="False when nothing was changed.")
    results = BulkOutcomeSerializer(many=True)


class ClassifierModelSerializer(serializers.ModelSerializer[ClassifierModel]):
    sources = serializers.JSONField(read_only=True)
    metrics = serializers.JSONField(read_only=True)
    compared_with = serializers.JSONField(read_only=True)

    class Meta:
        model = ClassifierModel
        fields = [
            "id",
            "task",
            "version",
            "state",
            "created_at",
            "activated_at",
            "sklearn_version",
            "training_size",
            "sources",
            "metrics",
            "compared_with",
            "artifact_bytes",
            "pruned_at",
            "note",
        ]
        read_only_fields = fields


class RetrainSerializer(serializers.Serializer[Any]):
    task = serializers.ChoiceField(choices=ClassifierModel.Task.choices)
    shadow = serializers.BooleanField(
        default=False,
        help_text=(
            "Put the challenger in shadow instead: it scores live comments beside the active "
            "model without acting, until an editor promotes or discards it. One shadow per task."
        ),
    )


class ShadowActionSerializer(serializers.Serializer[Any]):
    task = serializers.ChoiceField(
        choices=ClassifierModel.Task.choices,
        help_text="The task the model must belong to (and, to promote, replace the model of).",
    )


class ShadowConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    current = ClassifierModelSerializer(help_text="The model in the way, as it is now.")


class RetrainQueuedSerializer(serializers.Serializer[Any]):
    task = serializers.CharField()
    shadow = serializers.BooleanField()
    task_id = serializers.CharField(help_text="The Celery task id.")
    queue = serializers.CharField()


# --- Sanctions ------------------------------------------------------------------


class CommenterSanctionSerializer(serializers.ModelSerializer[CommenterSanction]):
    email = serializers.CharField(
        source="match_email", read_only=True, help_text="The address, or empty."
    )
    domain = serializers.CharField(
        source="match_domain",
        read_only=True,
        help_text="The domain (and its subdomains), or empty.",
    )
    state = serializers.ChoiceField(
        read_only=True,
        choices=SANCTION_STATE_NAMES,
        help_text="expired: a suspension past its end; lifted: ended early by a person.",
    )
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    lifted_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = CommenterSanction
        fields = [
            "id",
            "kind",
            "email",
            "domain",
            "until",
            "reason",
            "state",
            "created_by",
            "created_at",
            "lifted_by",
            "lifted_at",
            "lift_reason",
        ]
        read_only_fields = fields


class CommenterSanctionInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CommenterSanction.Kind.choices)
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text="An address; or a domain."
    )
    domain = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=253,
        help_text="Every address at this domain and its subdomains; or an email.",
    )
    until = serializers.DateTimeField(
        required=False, allow_null=True, help_text="The end of a suspension; a ban has none."
    )
    reason = serializers.CharField(
        allow_blank=True,
        max_length=SANCTION_REASON_MAX_LENGTH,
        help_text="Kept with the sanction and shown on every comment it rejects.",
    )


class SanctionLiftSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=SANCTION_REASON_MAX_LENGTH
    )


class DismissReportsSerializer(serializers.Serializer[Any]):
    reason_text = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Why (optional)."
    )


class UndoSerializer(serializers.Serializer[Any]):
    from_history = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "false (the default): only within seconds of the decision, as the desk's undo "
            "key; true: later, as the comment's history does. Refused either way when "
            "someone acted on the comment since."
        ),
    )
