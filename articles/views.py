"""Reader pages: the article list, an article with its comments, the corrections page,
and the reader's forms (a comment, a report, a correction request).

The forms are plain server-rendered Django forms with CSRF protection; the page's
script posts the dialogs with fetch() and asks for JSON, everything else is HTML.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles import selectors
from articles.comment_display import annotate_comments
from articles.engagement import recommended_ids
from articles.forms import CommentForm, CommentReportForm, CorrectionRequestForm, ReaderForm
from articles.language import activate_article_language
from articles.models import Article
from articles.reader_session import (
    has_reported,
    own_comment_ids,
    remember_own_comment,
    remember_report,
    signed_in_reader,
)
from articles.reader_strings import reader_strings
from articles.services import correction_request_submit
from moderation.models import Comment
from moderation.selectors import comment_reply_target
from moderation.services import comment_report as comment_report_submit
from moderation.services import comment_submit
from newsroom.api.fields import MAX_ID
from newsroom.lib.client_address import client_address
from newsroom.lib.formdata import undecodable_fields
from newsroom.lib.ratelimit import parse_rate, rate_limited

logger = logging.getLogger(__name__)

COMMENT_THANKS = _(
    "Thank you. Your comment is awaiting moderation: only you can see it until it is published."
)
REPORT_THANKS = _("Thank you for your report. A moderator will look at the comment.")
CORRECTION_THANKS = _(
    "Thank you. An editor will read your suggestion and correct the article if needed."
)
TOO_MANY = _("You have sent a lot of requests in a short time. Please wait a minute and try again.")


# --- helpers --------------------------------------------------------------------------


def _published_article(slug: str) -> Article:
    try:
        return selectors.article_get_published(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _see_other(url: str) -> HttpResponseRedirect:
    # 303: the browser follows a POST's redirect with a GET, and "back" does not re-post.
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _form_errors(form: ReaderForm) -> dict[str, list[str]]:
    return {field: [str(message) for message in errors] for field, errors in form.errors.items()}


def _too_many(request: HttpRequest, rate: str) -> HttpResponse:
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse({"detail": str(TOO_MANY)}, status=429)
    else:
        response = render(
            request, "articles/too_many_requests.html", {"message": TOO_MANY}, status=429
        )
    response["Retry-After"] = str(parse_rate(rate).seconds)
    return response


def _int_param(raw: str | None, default: int | None = None) -> int | None:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def _reply_target(article: Article, raw_id: object) -> Comment | None:
    comment_id = _int_param(str(raw_id)) if raw_id not in (None, "") else None
    if comment_id is None or not 1 <= comment_id <= MAX_ID:
        return None
    return comment_reply_target(article=article, comment_id=comment_id)


# --- pages ----------------------------------------------------------------------------


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "articles/article_list.html", {"articles": selectors.article_list_published()}
    )


def _comment_page_html(
    *,
    article: Article,
    counts: selectors.CommentCounts,
    page: int,
    sort: str,
    own_awaiting: list[Comment],
    own_ids: set[int],
) -> str:
    """The page of comment threads as HTML, shared by every reader who has no comment of
    their own awaiting moderation, and cached for a short while.

    The key holds everything the HTML depends on, including when any comment of the
    article last changed, so a decision shows at once; the timeout bounds how stale the
    "5 minutes ago" times may get.
    """
    per_page = settings.COMMENTS_PER_PAGE
    timeout = settings.COMMENT_PAGE_CACHE_SECONDS
    key = None
    # A reader with comments of their own here gets a page of their own (Edit, Delete).
    if timeout > 0 and not own_awaiting and not own_ids:
        changed = counts.changed_at.timestamp() if counts.changed_at else 0
        key = (
            f"reader:comments:{article.pk}:{article.comment_mode}:{sort}:{page}:{per_page}:"
            f"{counts.approved}:{changed}:{get_language()}"
        )
        cached = cache.get(key)
        if cached is not None:
            # Our own template's output, escaped when it was rendered.
            return mark_safe(cached)  # noqa: S308
    comments = selectors.article_comment_page(
        article=article,
        counts=counts,
        page=page,
        sort=sort,
        per_page=per_page,
        own_awaiting=own_awaiting,
    )
    annotate_comments(comments, own_ids=own_ids)
    html = render_to_string(
        "articles/_comment_page.html",
        {"article": article, "comments": comments, "avatar_url": static("articles/avatar.svg")},
    )
    if key is not None:
        cache.set(key, str(html), timeout)
    return html


def _article_page(
    request: HttpRequest,
    article: Article,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    activate_article_language(request, article)
    page = _int_param(request.GET.get("page"), 1) or 1
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
    counts = selectors.comment_counts(article=article)
    if not 1 <= page <= counts.page_count(settings.COMMENTS_PER_PAGE):
        raise Http404("No such page of comments.")
    own = own_comment_ids(request)
    own_awaiting = selectors.comments_awaiting_moderation(article=article, comment_ids=own)
    own_ids = selectors.own_published_ids(
        article=article, comment_ids=own, reader=signed_in_reader(request)
    )
    comments_html = _comment_page_html(
        article=article,
        counts=counts,
        page=page,
        sort=sort,
        own_awaiting=own_awaiting,
        own_ids=own_ids | {c.pk for c in own_awaiting},
    )
    if request.GET.get("fragment") == "comments":
        # "Show more comments" fetches the next page's threads alone.
        return HttpResponse(comments_html, status=status)
    if comment_form is None:
        reply_to = _reply_target(article, request.GET.get("reply_to"))
        comment_form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
    else:
        reply_to = _reply_target(article, comment_form.data.get("parent"))
    context = {
        "article": article,
        "corrections": article.corrections.all(),
        "counts": counts,
        "sort": sort,
        "has_own_awaiting": bool(own_awaiting),
        "comments_html": comments_html,
        "comment_form": comment_form,
        "correction_form": CorrectionRequestForm(),
        "report_form": CommentReportForm(),
        "reply_to": reply_to,
        "sorts": selectors.SORT_LABELS,
        "recommended_ids": recommended_ids(request, article),
        "reader_strings": reader_strings(),
    }
    return render(request, "articles/article_detail.html", context, status=status)


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _article_page(request, _published_article(slug))


@require_safe
def correction_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "articles/correction_list.html", {"corrections": selectors.correction_list()}
    )


# --- the reader's forms ---------------------------------------------------------------


@require_POST
def comment_post(request: HttpRequest, slug: str) -> HttpResponse:
    article = _published_article(slug)
    activate_article_language(request, article)
    if rate_limited(request, scope="comment", rate=settings.COMMENT_RATE_LIMIT):
        return _too_many(request, settings.COMMENT_RATE_LIMIT)
    form = CommentForm(request.POST, undecodable=undecodable_fields(request))
    if form.is_valid():
        data = form.cleaned_data
        if data["homepage"]:
            logger.info("Honeypot filled on %s from %s", article.slug, client_address(request))
            return _see_other(article.get_absolute_url() + "#comments")
        try:
            comment = comment_submit(
                article=article,
                author_name=data["author_name"],
                author_email=data["author_email"],
                body=data["body"],
                parent_id=data["parent"],
                spoiler_tag=data["spoiler"],
                notify=data["notify"],
                ip_address=client_address(request),
                user_agent=request.headers.get("User-Agent", ""),
                referrer=request.headers.get("Referer", ""),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, str(COMMENT_THANKS))
            response = _see_other(f"{article.get_absolute_url()}#comment-{comment.pk}")
            remember_own_comment(request, response, comment.pk)
            return response
    return _article_page(request, article, comment_form=form, status=400)


@require_http_methods(["GET", "POST"])
def comment_report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article"),
        pk=comment_id,
        status=Comment.Status.APPROVED,
        article__in=selectors.articles_public(),
    )
    activate_article_language(request, comment.article)
    form = CommentReportForm()
    status = 200
    if request.method == "POST":
        if rate_limited(request, scope="report", rate=settings.REPORT_RATE_LIMIT):
            return _too_many(request, settings.REPORT_RATE_LIMIT)
        form = CommentReportForm(request.POST, undecodable=undecodable_fields(request))
        if form.is_valid():
            # One report per reader and comment: a second click must not double the count.
            if not has_reported(request, comment.pk):
                try:
                    comment_report_submit(
                        comment=comment,
                        reason=form.cleaned_data["reason"],
                        text=form.cleaned_data["text"],
                        ip_address=client_address(request),
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
            if not form.errors:
                remember_report(request, comment.pk)
                if _wants_json(request):
                    return JsonResponse({"message": str(REPORT_THANKS)}, status=201)
                messages.success(request, str(REPORT_THANKS))
                return _see_other(f"{comment.article.get_absolute_url()}#comment-{comment.pk}")
        if _wants_json(request):
            return JsonResponse({"errors": _form_errors(form)}, status=400)
        status = 400
    return render(
        request,
        "articles/comment_report.html",
        {"comment": comment, "article": comment.article, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def correction_request(request: HttpRequest, slug: str) -> HttpResponse:
    article = _published_article(slug)
    activate_article_language(request, article)
    form = CorrectionRequestForm()
    status = 200
    if request.method == "POST":
        if rate_limited(request, scope="correction", rate=settings.CORRECTION_RATE_LIMIT):
            return _too_many(request, settings.CORRECTION_RATE_LIMIT)
        form = CorrectionRequestForm(request.POST, undecodable=undecodable_fields(request))
        if form.is_valid() and _submit_correction_request(request, article, form):
            if _wants_json(request):
                return JsonResponse({"message": str(CORRECTION_THANKS)}, status=201)
            messages.success(request, str(CORRECTION_THANKS))
            return _see_other(article.get_absolute_url())
        if _wants_json(request):
            return JsonResponse({"errors": _form_errors(form)}, status=400)
        status = 400
    return render(
        request,
        "articles/correction_request.html",
        {"article": article, "form": form},
        status=status,
    )


def _submit_correction_request(
    request: HttpRequest, article: Article, form: CorrectionRequestForm
) -> bool:
    data = form.cleaned_data
    try:
        correction_request_submit(
            article=article,
            suggestion=data["suggestion"],
            quote=data["quote"],
            paragraph_index=data["paragraph_index"],
            offset=data["offset"],
            email=data["email"],
            ip_address=client_address(request),
            notify=data["notify"],
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return False
    return True
