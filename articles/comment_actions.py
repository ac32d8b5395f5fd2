"""The reader's actions on a published comment besides reporting it: the author edits or
deletes their own, anyone recommends one.

Plain forms with their own pages; the page's script posts "Recommend" with fetch() and
asks for JSON. Who wrote a comment is known by the browser's session (it remembers the
comments posted from it): anyone else gets 403.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles import selectors
from articles.forms import CommentEditForm
from articles.language import activate_article_language
from articles.reader_session import is_own_comment, session_key, signed_in_reader
from articles.views import _see_other, _too_many, _wants_json
from moderation.engagement.services import (
    EditRefused,
    NotRecommendable,
    comment_delete_by_author,
    comment_edit_by_author,
    comment_recommend,
    comment_unrecommend,
)
from moderation.models import Comment
from newsroom.lib.formdata import undecodable_fields
from newsroom.lib.ratelimit import rate_limited


def _public_comment(request: HttpRequest, comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_related("article")
        .filter(pk=comment_id, article__in=selectors.articles_public())
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    activate_article_language(request, comment.article)
    return comment


def _own_comment(request: HttpRequest, comment_id: int) -> Comment:
    comment = _public_comment(request, comment_id)
    if not is_own_comment(request, comment):
        raise _Refused(
            _("You can only change a comment you wrote, from the browser you wrote it in.")
        )
    return comment


class _Refused(Exception):
    pass


def _refused(request: HttpRequest, comment: Comment | None, reason: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": reason}, status=403)
    return render(
        request,
        "articles/comment_refused.html",
        {"reason": reason, "comment": comment, "article": comment.article if comment else None},
        status=403,
    )


def _back_to(comment: Comment) -> str:
    return f"{comment.article.get_absolute_url()}#comment-{comment.pk}"


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = _own_comment(request, comment_id)
    except _Refused as refused:
        return _refused(request, None, str(refused))
    form = CommentEditForm(initial={"body": comment.body, "spoiler": comment.author_spoiler_tag})
    status = 200
    if request.method == "POST":
        form = CommentEditForm(request.POST, undecodable=undecodable_fields(request))
        if form.is_valid():
            try:
                comment_edit_by_author(
                    comment_id=comment.pk,
                    body=form.cleaned_data["body"],
                    spoiler_tag=form.cleaned_data["spoiler"],
                )
            except EditRefused as refused:
                return _refused(request, comment, str(refused))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Your comment was changed. It is checked again before it is published."),
                )
                return _see_other(_back_to(comment))
        status = 400
    return render(
        request,
        "articles/comment_edit.html",
        {"comment": comment, "article": comment.article, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = _own_comment(request, comment_id)
    except _Refused as refused:
        return _refused(request, None, str(refused))
    if request.method == "POST":
        comment_delete_by_author(comment_id=comment.pk)
        messages.success(request, _("Your comment was deleted."))
        return _see_other(_back_to(comment))
    return render(
        request, "articles/comment_delete.html", {"comment": comment, "article": comment.article}
    )


@require_http_methods(["GET", "POST"])
def comment_recommend_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _public_comment(request, comment_id)
    if request.method == "GET":
        # Without the script, "Recommend" is a link to this page's button.
        if comment.status != Comment.Status.APPROVED or comment.deleted_at is not None:
            raise Http404("No such comment.")
        return render(
            request,
            "articles/comment_recommend.html",
            {"comment": comment, "article": comment.article},
        )
    if rate_limited(request, scope="reaction", rate=settings.REACTION_RATE_LIMIT):
        return _too_many(request, settings.REACTION_RATE_LIMIT)
    withdraw = request.POST.get("undo") == "1"
    action = comment_unrecommend if withdraw else comment_recommend
    try:
        count, _changed = action(
            comment_id=comment.pk,
            session_key=session_key(request),
            reader=signed_in_reader(request),
        )
    except NotRecommendable:
        raise Http404("No such comment.") from None
    if _wants_json(request):
        return JsonResponse({"recommend_count": count, "recommended": not withdraw})
    return _see_other(_back_to(comment))
