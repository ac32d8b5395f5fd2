"""Request and response shapes of the correction-request API."""

from typing import Any

from rest_framework import serializers

from articles.models import Correction, CorrectionRequest, CorrectionThanks
from newsroom.api.fields import IdField

MAX_POSITION = 10_000_000


class CorrectionRequestSubmitSerializer(serializers.Serializer[Any]):
    quote = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=CorrectionRequest.QUOTE_MAX_LENGTH,
        help_text="The words the reader highlighted, if any.",
    )
    paragraph_index = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_POSITION,
        help_text="The paragraph the reader selected the quote in, counted from 0.",
    )
    offset = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_POSITION,
        help_text=(
            "Where the quote starts within its paragraph, in characters: a hint to tell "
            "repeated words apart."
        ),
    )
    suggestion = serializers.CharField(max_length=CorrectionRequest.SUGGESTION_MAX_LENGTH)
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="To be told when a correction is published; never shown.",
    )
    notify = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "The reader asks to be emailed when a correction is published (needs email). "
            "The first mail to an address asks to confirm it."
        ),
    )
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Leave empty: a honeypot. A request that fills it is answered and dropped.",
    )


class CorrectionRequestSubmittedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(
        allow_null=True, help_text="Null when the request was dropped by the honeypot."
    )
    status = serializers.ChoiceField(choices=CorrectionRequest.Status.choices)
    created_at = serializers.DateTimeField()


class CorrectionSerializer(serializers.ModelSerializer[Correction]):
    class Meta:
        model = Correction
        fields = ["id", "text", "published_at"]
        read_only_fields = fields


class CorrectionThanksSerializer(serializers.ModelSerializer[CorrectionThanks]):
    class Meta:
        model = CorrectionThanks
        fields = ["status", "attempts", "queued_at", "sent_at"]
        read_only_fields = fields


class CorrectionRequestSerializer(serializers.ModelSerializer[CorrectionRequest]):
    article: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    article_title = serializers.CharField(source="article.title", read_only=True)
    duplicate_of = serializers.IntegerField(
        source="duplicate_of_id", allow_null=True, read_only=True
    )
    correction = CorrectionSerializer(read_only=True, allow_null=True)
    handled_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    # A plain string: empty when the reader gave none, which is not an email address.
    email = serializers.CharField(read_only=True, help_text="The reader's address, or empty.")
    thanks = CorrectionThanksSerializer(
        read_only=True,
        allow_null=True,
        help_text="The email thanking the reader once resolved: queued, sent or failed.",
    )

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "article",
            "article_title",
            "article_updated_at",
            "paragraph_text",
            "quote",
            "prefix",
            "suffix",
            "paragraph_index",
            "offset",
            "suggestion",
            "email",
            "status",
            "duplicate_of",
            "correction",
            "note",
            "created_at",
            "handled_by",
            "handled_at",
            "thanks",
        ]
        read_only_fields = fields


class CorrectionConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    current = CorrectionRequestSerializer()


class ResolveSerializer(serializers.Serializer[Any]):
    correction_text = serializers.CharField(
        max_length=2000, help_text="The correction to publish at the foot of the article."
    )
    also = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=500,
        help_text=(
            "Other open requests of the article that report the same error: resolved with "
            "the same correction, their readers thanked too. Ids no longer open are left."
        ),
    )


class RejectSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DuplicateSerializer(serializers.Serializer[Any]):
    duplicate_of = IdField(help_text="Another request about the same article.")
