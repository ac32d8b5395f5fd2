"""The reader's notice that a comment is illegal (beside "Report", which is for the
community rules): the law or reason, an explanation, an optional contact."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from articles import selectors
from articles.forms import IllegalContentNoticeForm
from articles.language import activate_article_language
from articles.views import _form_errors, _too_many, _wants_json
from moderation.models import Comment
from moderation.notices import notice_submit
from newsroom.lib.client_address import client_address
from newsroom.lib.formdata import undecodable_fields
from newsroom.lib.ratelimit import rate_limited


@require_http_methods(["GET", "POST"])
def comment_notice(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article"),
        pk=comment_id,
        status=Comment.Status.APPROVED,
        article__in=selectors.articles_public(),
    )
    activate_article_language(request, comment.article)
    form = IllegalContentNoticeForm()
    status, notice = 200, None
    if request.method == "POST":
        if rate_limited(request, scope="report", rate=settings.REPORT_RATE_LIMIT):
            return _too_many(request, settings.REPORT_RATE_LIMIT)
        form = IllegalContentNoticeForm(request.POST, undecodable=undecodable_fields(request))
        if form.is_valid():
            try:
                notice = notice_submit(
                    comment=comment, ip_address=client_address(request), **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
        if notice is not None and _wants_json(request):
            return JsonResponse({"reference": notice.reference}, status=201)
        if notice is None:
            if _wants_json(request):
                return JsonResponse({"errors": _form_errors(form)}, status=400)
            status = 400
        else:
            status = 201
    return render(
        request,
        "articles/comment_notice.html",
        {"comment": comment, "article": comment.article, "form": form, "notice": notice},
        status=status,
    )
