"""Every route the project serves, with its parameters filled in, so the security tests
cover endpoints added after they were written."""

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from articles.models import CorrectionRequest
from moderation.models import Comment, CommentReport

SECRET_EMAIL = "secret.reader@example.org"
SECRET_IP = "203.0.113.77"
REQUEST_EMAIL = "fixer@example.org"
REQUEST_IP = "198.51.100.23"
REPORT_IP = "192.0.2.55"
LEAKS = (SECRET_EMAIL, SECRET_IP, REQUEST_EMAIL, REQUEST_IP, REPORT_IP)

PROBES = {"/healthz", "/readyz"}


@dataclass(frozen=True)
class Route:
    path: str
    name: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


def _walk(patterns: list, prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "namespace", None) == "admin" or pattern.app_name == "admin":
                continue  # the admin is covered model by model, see admin_urls()
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.name or ""))
    return found


def _fill(template: str, values: dict[str, str]) -> str | None:
    template = template.replace("^", "").replace("$", "").replace("\\Z", "")
    if "format" in template or "(?" in template.replace("(?P<", ""):
        return None  # format-suffix duplicates and unnamed groups add nothing

    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1), values["pk"])

    template = re.sub(r"<(?:\w+:)?(\w+)>", value, template)
    template = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, template)
    template = template.replace("\\", "")
    return "/" + template.lstrip("/")


def project_routes(values: dict[str, str]) -> list[Route]:
    routes = []
    for template, name in _walk(get_resolver().url_patterns):
        path = _fill(template, values)
        if path is not None and path not in PROBES:
            routes.append(Route(path=path, name=name))
    return sorted(set(routes), key=lambda r: r.path)


def admin_urls(objects: dict[type, object]) -> list[str]:
    """The changelist of every registered model, and the change page of one object each."""
    urls = ["/admin/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls.append(base)
        obj = objects.get(model) or model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(f"{base}{obj.pk}/change/")
    return urls


@pytest.fixture
def private_data(article, make_comment) -> dict[str, object]:
    """A comment, a reply, a report and a correction request, each with an email or an IP."""
    comment = make_comment(
        author_email=SECRET_EMAIL,
        ip_address=SECRET_IP,
        status=Comment.Status.APPROVED,
        user_agent="Mozilla/5.0",
    )
    reply = make_comment(
        body="A reply",
        parent=comment,
        author_email=SECRET_EMAIL,
        ip_address=SECRET_IP,
        status=Comment.Status.APPROVED,
    )
    report = CommentReport.objects.create(comment=comment, reason="abuse", ip_address=REPORT_IP)
    request = CorrectionRequest.objects.create(
        article=article,
        article_updated_at=article.updated_at,
        quote="eight months",
        suggestion="It took nine months.",
        email=REQUEST_EMAIL,
        ip_address=REQUEST_IP,
    )
    return {"comment": comment, "reply": reply, "report": report, "request": request}


@pytest.fixture
def route_values(article, private_data) -> dict[str, str]:
    comment = private_data["comment"]
    return {
        "slug": article.slug,
        "pk": str(comment.pk),
        "id": str(comment.pk),
        "comment_id": str(comment.pk),
        "comment_pk": str(comment.pk),
        "request_id": str(private_data["request"].pk),
        "correction_request_id": str(private_data["request"].pk),
    }
