import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import CommentReport

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/moderation/queue/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def walk(client, link: str) -> list[int]:
    seen: list[int] = []
    while link:
        page = client.get(link)
        seen += ids(page)
        link = page.json()["next"]
    return seen


def test_it_orders_by_priority_most_uncertain_then_oldest(moderator_client, make_comment):
    now = timezone.now()
    sure = make_comment(status="pending", uncertainty=0.1, created_at=now)
    unsure_new = make_comment(status="pending", uncertainty=0.9, created_at=now)
    unsure_old = make_comment(
        status="pending", uncertainty=0.9, created_at=now - datetime.timedelta(hours=1)
    )
    make_comment(status="approved", uncertainty=1.0)
    assert ids(moderator_client.get(QUEUE)) == [unsure_old.pk, unsure_new.pk, sure.pk]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("oldest", ["a", "b", "c"]),
        ("newest", ["c", "b", "a"]),
        ("-spam_score", ["b", "a", "c"]),
        ("spam_score", ["a", "b", "c"]),
    ],
)
def test_it_orders_by_age_or_score(moderator_client, make_comment, ordering, expected):
    now = timezone.now()
    made = {
        "a": make_comment(status="pending", spam_score=0.5, created_at=now),
        "b": make_comment(status="pending", spam_score=0.8, created_at=now + datetime.timedelta(1)),
        "c": make_comment(status="pending", created_at=now + datetime.timedelta(2)),
    }
    response = moderator_client.get(QUEUE, {"ordering": ordering})
    assert ids(response) == [made[name].pk for name in expected]


def test_it_pages_through_ties_without_losing_or_repeating(moderator_client, make_comment):
    # Every comment shares its uncertainty and its creation time: only the id separates them.
    at = timezone.now()
    made = [make_comment(status="pending", uncertainty=1.0, created_at=at).pk for _ in range(25)]
    made += [make_comment(status="pending", uncertainty=0.5, created_at=at).pk for _ in range(5)]
    for ordering in ["priority", "oldest", "newest", "-spam_score", "spam_score"]:
        seen = walk(moderator_client, f"{QUEUE}?page_size=4&ordering={ordering}")
        assert sorted(seen) == sorted(made), ordering
        assert len(seen) == len(set(seen)), ordering
    assert walk(moderator_client, f"{QUEUE}?page_size=4") == made


def test_it_pages_backwards_to_where_it_started(moderator_client, make_comment):
    made = [make_comment(status="pending", spam_score=i / 10).pk for i in range(10)]
    made += [make_comment(status="pending").pk for _ in range(3)]
    first = moderator_client.get(QUEUE, {"ordering": "spam_score", "page_size": 5}).json()
    second = moderator_client.get(first["next"]).json()
    third = moderator_client.get(second["next"]).json()
    assert [c["id"] for c in third["results"]] == made[10:]
    back = moderator_client.get(third["previous"]).json()
    assert [c["id"] for c in back["results"]] == [c["id"] for c in second["results"]]
    start = moderator_client.get(back["previous"]).json()
    assert [c["id"] for c in start["results"]] == made[:5]
    assert start["previous"] is None and third["next"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "garbage"},
        {"cursor": "eyJvIjoicHJpb3JpdHkiLCJ2IjpbMSwyXX0="},  # the wrong number of keys
        {"page_size": "0"},
        {"page_size": "abc"},
        {"page_size": "1000"},
        {"queue": "everything"},
        {"status": "lost"},
        {"ordering": "random"},
        {"spam_score_min": "NaN"},
        {"spam_score_max": "7"},
        {"created_after": "yesterday"},
        {"created_after": "0001-01-01T00:00:00"},
    ],
)
def test_it_answers_400_with_the_field_for_bad_parameters(moderator_client, params):
    response = moderator_client.get(QUEUE, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_it_refuses_a_cursor_from_another_ordering(moderator_client, make_comment):
    for _ in range(3):
        make_comment(status="pending")
    link = moderator_client.get(QUEUE, {"page_size": 1}).json()["next"]
    response = moderator_client.get(link.replace("page_size=1", "page_size=1&ordering=oldest"))
    assert response.status_code == 400 and "cursor" in response.json()


def test_it_filters_by_queue(moderator_client, make_comment, moderator):
    pending = make_comment(status="pending")
    auto_spam = make_comment(status="spam")
    make_comment(status="spam", decided_at=timezone.now(), decided_by=moderator)
    spoiler = make_comment(status="approved", is_spoiler=True)
    reported = make_comment(status="approved", reports_count=2)
    make_comment(status="rejected")
    assert ids(moderator_client.get(QUEUE)) == [pending.pk]
    assert ids(moderator_client.get(QUEUE, {"queue": "pending"})) == [pending.pk]
    assert ids(moderator_client.get(QUEUE, {"queue": "auto_spam"})) == [auto_spam.pk]
    assert ids(moderator_client.get(QUEUE, {"queue": "spoiler"})) == [spoiler.pk]
    assert ids(moderator_client.get(QUEUE, {"queue": "reported"})) == [reported.pk]
    assert len(ids(moderator_client.get(QUEUE, {"queue": "all"}))) == 6


def test_it_filters_by_status_article_section_scores_dates_and_text(
    moderator_client, make_comment, other_article
):
    now = timezone.now()
    low = make_comment(status="pending", spam_score=0.2, spoiler_score=0.9, created_at=now)
    high = make_comment(
        "Buy cheap watches", status="pending", spam_score=0.8, spoiler_score=0.1, created_at=now
    )
    elsewhere = make_comment(
        status="pending", article=other_article, created_at=now - datetime.timedelta(days=3)
    )
    old_approved = make_comment(status="approved", created_at=now - datetime.timedelta(days=3))

    def get(**params):
        return sorted(ids(moderator_client.get(QUEUE, {"ordering": "oldest", **params})))

    assert get(queue="all", status="approved") == [old_approved.pk]
    assert get(article=other_article.slug) == [elsewhere.pk]
    assert get(section="Kyiv") == sorted([low.pk, high.pk])
    assert get(spam_score_min="0.5") == [high.pk]
    assert get(spam_score_max="0.5") == [low.pk]
    assert get(spoiler_score_min="0.5", spoiler_score_max="1") == [low.pk]
    since = (now - datetime.timedelta(days=1)).isoformat()
    assert get(created_after=since) == sorted([low.pk, high.pk])
    assert get(created_before=since) == [elsewhere.pk]
    assert get(q="cheap WATCHES") == [high.pk]
    assert get(q="oksana") == sorted([low.pk, high.pk, elsewhere.pk])


def test_it_shows_scores_explanation_reports_and_the_authors_record(moderator_client, make_comment):
    at = timezone.now()
    for status in ["approved", "approved", "rejected"]:
        make_comment(
            status=status, author_email="o@example.org", created_at=at - datetime.timedelta(1)
        )
    comment = make_comment(
        status="pending",
        author_email="o@example.org",
        spam_score=0.55,
        spoiler_score=0.2,
        spam_model_version="spam-v1",
        spoiler_model_version="spoiler-v1",
        explanation={"spam": [{"feature": "http", "weight": 1.2}], "spoiler": []},
        created_at=at,
    )
    CommentReport.objects.create(comment=comment, reason="spam", ip_address="203.0.113.2")
    item = moderator_client.get(QUEUE).json()["results"][0]
    assert item["spam_score"] == 0.55 and item["spoiler_score"] == 0.2
    assert item["model_versions"] == {"spam": "spam-v1", "spoiler": "spoiler-v1", "abuse": ""}
    assert item["explanation"]["spam"][0]["feature"] == "http"
    assert [r["reason"] for r in item["reports"]] == ["spam"]
    assert "ip_address" not in item["reports"][0]
    assert item["author_history"] == {"approved": 2, "rejected": 1}
    assert item["article"]["slug"] == "metro-bridge-reopens"


def _queries_for_page(client, size: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE, {"page_size": size})
    assert response.status_code == 200 and len(response.json()["results"]) == size
    return len(captured.captured_queries)


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
    moderator_client, make_comment, other_article, moderator
):
    for i in range(60):
        comment = (
            make_comment(
                status="pending",
                article=other_article if i % 2 else None,
                author_email=f"reader{i % 7}@example.org",
                decided_by=moderator if i % 3 == 0 else None,
            )
            if i % 2
            else make_comment(status="pending", author_email=f"r{i}@example.org")
        )
        CommentReport.objects.create(comment=comment, reason="abuse")
    # The first request reads the caller (token, groups, sections) and caches it.
    assert _queries_for_page(moderator_client, 5) == 6
    assert _queries_for_page(moderator_client, 5) == _queries_for_page(moderator_client, 50)
    # Then only the page, its reports and its commenters' standing.
    assert _queries_for_page(moderator_client, 50) == 3


def test_the_deep_page_costs_the_same_queries_as_the_first(moderator_client, make_comment):
    for _ in range(30):
        make_comment(status="pending")
    first = moderator_client.get(QUEUE, {"page_size": 10}).json()
    third_link = moderator_client.get(first["next"]).json()["next"]
    with CaptureQueriesContext(connection) as on_first:
        moderator_client.get(QUEUE, {"page_size": 10})
    with CaptureQueriesContext(connection) as on_third:
        assert len(ids(moderator_client.get(third_link))) == 10
    assert len(on_third.captured_queries) == len(on_first.captured_queries)


def test_the_fast_queue_item_matches_the_declared_serializer(make_comment, moderator):
    # The queue item is rendered by hand for speed; it must say exactly what the
    # declared fields (and so the OpenAPI schema) say.
    from rest_framework import serializers as drf

    from moderation.api.serializers import QueueCommentSerializer
    from moderation.api.views.desk import attach_reports, desk_comments

    parent = make_comment(status="approved", author_email="p@example.org")
    comment = make_comment(
        status="rejected",
        parent=parent,
        author_email="p@example.org",
        spam_score=0.7,
        explanation={"spam": [{"feature": "x", "weight": 0.5}]},
        scored_at=timezone.now(),
        decided_by=moderator,
        decided_at=timezone.now(),
    )
    CommentReport.objects.create(comment=comment, reason="abuse", text="Rude")
    loaded = attach_reports([desk_comments().get(pk=comment.pk)])[0]
    fast = QueueCommentSerializer(loaded).data
    generic = drf.ModelSerializer.to_representation(QueueCommentSerializer(), loaded)
    assert fast == generic
    assert list(fast) == QueueCommentSerializer.Meta.fields


def test_a_queue_page_says_what_the_declared_serializer_says_of_the_same_comments(
    moderator_client, make_comment, other_article, moderator, editor
):
    # The page is read as plain rows; the declared fields rendered by DRF's generic path
    # from model instances are the contract, field for field.
    import json

    from rest_framework import serializers as drf
    from rest_framework.renderers import JSONRenderer

    from moderation.api.serializers import QueueCommentSerializer
    from moderation.api.views.desk import desk_comments
    from moderation.trust import attach_standing

    at = timezone.now() - datetime.timedelta(days=2)
    for i, status in enumerate(["approved", "approved", "approved", "rejected"]):
        make_comment(
            status=status,
            author_email="regular@example.org",
            decided_by=moderator,
            decided_at=at,
            created_at=at + datetime.timedelta(minutes=i),
        )
    parent = make_comment(status="approved", created_at=at)
    page_comments = [
        make_comment(
            status="pending",
            parent=parent,
            author_email="regular@example.org",
            spam_score=0.61,
            spoiler_score=0.93,
            abuse_score=0.12,
            is_spoiler=True,
            author_spoiler_tag=True,
            spam_model_version="spam-v2",
            spoiler_model_version="spoiler-v3",
            abuse_model_version="abuse-v1",
            explanation={"spam": [{"feature": "word: cheap", "weight": 0.8}], "spoiler": []},
            rule_hits=[{"rule": "links", "action": "hold", "reason": "two links"}],
            scored_at=at,
            uncertainty=0.4,
            spoiler_reviewed_by=editor,
            spoiler_reviewed_at=at,
            reports_count=2,
        ),
        make_comment(status="spam", article=other_article, decided_by=editor, decided_at=at),
        make_comment(status="pending", author_email="new@example.org", uncertainty=0.9),
    ]
    CommentReport.objects.create(comment=page_comments[0], reason="spam", text="Ads")
    CommentReport.objects.create(comment=page_comments[0], reason="abuse")

    response = moderator_client.get(QUEUE, {"queue": "all", "ordering": "oldest"})
    assert response.status_code == 200
    page = [
        item for item in response.json()["results"] if item["id"] in {c.pk for c in page_comments}
    ]

    loaded = list(
        desk_comments().filter(pk__in=[c.pk for c in page_comments]).order_by("created_at", "id")
    )
    for comment in attach_standing(loaded):
        comment.report_list = list(comment.reports.order_by("-created_at", "-id"))
    generic = [drf.ModelSerializer.to_representation(QueueCommentSerializer(), c) for c in loaded]
    assert page == json.loads(JSONRenderer().render(generic))
    assert [item["id"] for item in page] == [c.pk for c in page_comments]
    first = page[0]
    assert first["decided_by"] is None and first["spoiler_reviewed_by"] == "bob"
    assert first["author_history"] == {"approved": 3, "rejected": 1}
    assert first["commenter_standing"]["kind"] == "known"
    assert [r["reason"] for r in first["reports"]] == ["abuse", "spam"]
    assert page[1]["decided_by"] == "bob" and page[1]["article"]["section"] == "Politics"


def test_a_queue_page_builds_no_comment_instance(moderator_client, make_comment, monkeypatch):
    from moderation.models import Comment

    comments = [make_comment(status="pending", author_email="a@example.org") for _ in range(3)]

    def refuse(*args, **kwargs):
        raise AssertionError("a Comment instance was built for the page")

    monkeypatch.setattr(Comment, "from_db", classmethod(refuse))
    assert sorted(ids(moderator_client.get(QUEUE))) == sorted(c.pk for c in comments)
