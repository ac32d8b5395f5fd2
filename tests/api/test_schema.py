import re

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

PUBLIC_OPERATIONS = {
    "article_comments_list",
    "article_comments_create",
    "comment_reports_create",
    "article_correction_requests_create",
    "embed_article",
    "embed_article_create",
    "own_comment_edit",
    "own_comment_delete",
    "comment_recommend",
    "comment_unrecommend",
}


@pytest.fixture(scope="module")
def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(openapi: dict):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_is_valid_openapi(openapi):
    validate_schema(openapi)


def test_the_schema_is_served_without_login(anon_client):
    response = anon_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/moderation/queue/" in response.json()["paths"]


def test_every_endpoint_of_the_design_is_described(openapi):
    ids = {operation["operationId"] for _, _, operation in operations(openapi)}
    assert ids >= PUBLIC_OPERATIONS | {
        "moderation_queue",
        "moderation_comment_detail",
        "moderation_comment_approve",
        "moderation_comment_reject",
        "moderation_comment_spam",
        "moderation_comment_spoiler",
        "moderation_comments_bulk",
        "moderation_corrections_list",
        "moderation_corrections_start",
        "moderation_corrections_resolve",
        "moderation_corrections_reject",
        "moderation_corrections_duplicate",
        "moderation_models_list",
        "moderation_models_retrain",
    }


def test_every_operation_describes_its_errors_and_who_may_call_it(openapi):
    for path, _method, operation in operations(openapi):
        codes = set(operation["responses"])
        assert operation.get("summary"), path
        if operation["operationId"] in PUBLIC_OPERATIONS:
            assert "429" in codes, path
            assert operation.get("security") in (None, [{}]), path
        else:
            assert {"401", "403"} <= codes, path
            assert {"tokenAuth": []} in operation["security"], path
        if "{id}" in path or "{slug}" in path:
            assert "404" in codes, path
        queries = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        if "requestBody" in operation or queries:
            assert "400" in codes, path


def test_the_docs_page_needs_nothing_from_outside(anon_client):
    response = anon_client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", page)
    assert not external
    for asset in re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", page):
        assert finders.find(asset), asset


def test_reject_reasons_are_the_models_enum(openapi):
    from moderation.models import RejectReason

    schemas = openapi["components"]["schemas"]
    ref = schemas["RejectDecisionRequest"]["properties"]["reason_code"]["$ref"]
    enum = schemas[ref.rsplit("/", 1)[1]]
    assert enum["enum"] == list(RejectReason.values)
    bulk = schemas["BulkDecisionRequest"]["properties"]["reason_code"]["allOf"][0]["$ref"]
    assert bulk == ref
