"""The readers' own actions on comments through the API: the author edits or deletes
their comment, anyone recommends one.

The reader is the one a publisher's site signed in (`Authorization: Bearer`, checked by
articles.api.sign_in as for every public write), or else the browser's session, as on
the reader pages (a comment posted through the API or the page is remembered there). A
session is checked for the CSRF token as Django's forms do: another site cannot act in
a reader's name.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.lookups import published_article_or_404
from articles.api.sign_in import SIGN_IN_ERRORS, bearer_token, request_reader
from articles.reader_session import is_own_comment, session_key, signed_in_reader
from moderation.api import serializers as s
from moderation.api.views.public import submitted_answer
from moderation.engagement.services import (
    EditRefused,
    NotRecommendable,
    comment_delete_by_author,
    comment_edit_by_author,
    comment_recommend,
    comment_unrecommend,
)
from moderation.models import Comment
from newsroom.api.errors import PUBLIC_WRITE_ERRORS, ErrorSerializer, errors
from newsroom.api.views import PublicAPIView, drf_validation_error

NOT_YOURS = gettext_lazy(
    "You can only change a comment you wrote, from the browser you wrote it in or "
    "signed in as yourself."
)
REFUSED = OpenApiResponse(
    response=ErrorSerializer,
    description=(
        "No CSRF token, not the author's browser, or no longer editable: `detail` says why."
    ),
)
NO_CSRF = OpenApiResponse(
    response=ErrorSerializer, description="The CSRF token (cookie and X-CSRFToken) is missing."
)


class _SessionReaderView(PublicAPIView):
    def _comment(self, request: Request, pk: int) -> Comment:
        if not bearer_token(request):
            # No authentication runs here (so no DRF CSRF check): the session is the reader.
            SessionAuthentication().enforce_csrf(request)
        comment = Comment.objects.select_related("article__site").filter(pk=pk).first()
        if comment is None:
            raise Http404("No such comment.")
        article = published_article_or_404(comment.article.slug)
        # The one place these endpoints learn who signed in; the helpers below read it.
        request._request.reader = request_reader(request, article.site)  # type: ignore[attr-defined]
        return comment

    def _own(self, request: Request, pk: int) -> Comment:
        comment = self._comment(request, pk)
        if not is_own_comment(request._request, comment):
            raise PermissionDenied(NOT_YOURS)
        return comment


class OwnCommentView(_SessionReaderView):
    @extend_schema(
        operation_id="own_comment_edit",
        tags=["public"],
        summary="Edit one's own comment",
        description=(
            "Within `COMMENT_EDIT_WINDOW_MINUTES` of posting and until someone replied. The "
            "new text is scored and moderated again like a new comment (`status` pending); "
            "moderators keep the old one."
        ),
        request=s.CommentEditSerializer,
        responses={
            200: s.CommentSubmittedSerializer,
            **SIGN_IN_ERRORS,
            403: REFUSED,
            **PUBLIC_WRITE_ERRORS,
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        comment = self._own(request, pk)
        data = s.CommentEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            comment = comment_edit_by_author(
                comment_id=comment.pk,
                body=data.validated_data["body"],
                spoiler_tag=data.validated_data["spoiler"],
            )
        except EditRefused as refused:
            raise PermissionDenied(str(refused)) from None
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return Response(s.CommentSubmittedSerializer(submitted_answer(comment)).data)

    @extend_schema(
        operation_id="own_comment_delete",
        tags=["public"],
        summary="Delete one's own comment",
        description="At any time: the text goes, the replies stay. Deleting twice is harmless.",
        responses={204: None, **SIGN_IN_ERRORS, 403: REFUSED, **errors(404, 429)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        comment = self._own(request, pk)
        comment_delete_by_author(comment_id=comment.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecommendationView(_SessionReaderView):
    @extend_schema(
        operation_id="comment_recommend",
        tags=["public"],
        summary="Recommend a published comment",
        description=(
            "One recommendation per reader (the signed-in reader, else the browser "
            "session): a second one is not counted."
        ),
        request=None,
        responses={
            200: s.RecommendationSerializer,
            **SIGN_IN_ERRORS,
            403: NO_CSRF,
            **PUBLIC_WRITE_ERRORS,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        comment = self._comment(request, pk)
        try:
            count, _counted = comment_recommend(
                comment_id=comment.pk,
                session_key=session_key(request._request),
                reader=signed_in_reader(request._request),
            )
        except NotRecommendable:
            raise Http404("No such comment.") from None
        return Response({"recommend_count": count, "recommended": True})

    @extend_schema(
        operation_id="comment_unrecommend",
        tags=["public"],
        summary="Withdraw one's recommendation",
        responses={
            200: s.RecommendationSerializer,
            **SIGN_IN_ERRORS,
            403: NO_CSRF,
            **errors(404, 429),
        },
    )
    def delete(self, request: Request, pk: int) -> Response:
        comment = self._comment(request, pk)
        count, _removed = comment_unrecommend(
            comment_id=comment.pk,
            session_key=session_key(request._request),
            reader=signed_in_reader(request._request),
        )
        return Response({"recommend_count": count, "recommended": False})
