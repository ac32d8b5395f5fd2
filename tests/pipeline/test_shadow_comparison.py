"""The model page and the API compare a shadow with the active model and with people,
and promote or discard it (editors only)."""

import csv
import io
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from moderation import registry
from moderation.comment_scoring import sweep_unscored_comments
from moderation.models import ClassifierModel, Comment, ShadowScore
from moderation.services import (
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comment_set_spoiler,
)
from tests.api.conftest import _token_client

SPAM_PAGE = "/admin/moderation/classifiermodel/task/spam/"
MODELS = "/api/v1/moderation/models/"

CLEAN = [
    "The bridge looks better than before the repairs, well done to the council.",
    "I walked along the river this morning and the new lights are lovely.",
    "Thanks for covering the school board meeting, it was useful to read.",
    "The match report missed the second half, but the photos were great.",
]
SPAMMY = [
    "CHEAP pills!!! Buy now at http://pills.example http://deal.example click here",
    "WIN $$$ FREE CASH now!!! visit http://win.example http://cash.example",
]


# Each test starts as a worker that has loaded nothing yet.
pytestmark = pytest.mark.usefixtures("fresh_worker")


@pytest.fixture
def live_traffic(make_comment, spam_shadow, moderator) -> dict[str, Comment]:
    """Six comments scored by the active models and the shadow, then people decide some:
    approve one clean, mark one spam, reject one (says nothing about spam), set a spoiler."""
    comments = {body: make_comment(body) for body in CLEAN + SPAMMY}
    assert sweep_unscored_comments(older_than=timedelta(0)).scored == 6
    # comment_set_spoiler is a spoiler review: it must not count as a spam decision.
    comment_set_spoiler(comment_id=comments[CLEAN[3]].pk, actor=moderator, is_spoiler=True)
    for body, decide in [
        (CLEAN[0], comment_approve),
        (SPAMMY[0], comment_mark_spam),
    ]:
        decide(comment_id=comments[body].pk, actor=moderator)
    comment_reject(comment_id=comments[CLEAN[1]].pk, actor=moderator, reason_code="off_topic")
    return comments


def _figure(html: str, element_id: str) -> int:
    found = re.search(rf'id="{element_id}">(\d+)<', html)
    assert found, element_id
    return int(found.group(1))


def test_the_page_shows_figures_that_match_the_rows_counted_by_hand(
    client, editor, live_traffic, spam_shadow
):
    rows = list(ShadowScore.objects.filter(model=spam_shadow).select_related("comment"))
    decided = [r for r in rows if r.comment.decided_at and r.comment.status in ("spam", "approved")]
    by_hand = {
        "desk-shadow-comments": len(rows),
        "desk-shadow-agree": sum(r.would_status == r.active_status for r in rows),
        "desk-shadow-decided": len(decided),
        "desk-shadow-people": sum(r.says_yes == (r.comment.status == "spam") for r in decided),
        "desk-active-people": sum(
            r.active_says_yes == (r.comment.status == "spam") for r in decided
        ),
    }
    # What the two models are known to do: the contrary shadow is wrong on every one.
    assert by_hand == {
        "desk-shadow-comments": 6,
        "desk-shadow-agree": 0,
        "desk-shadow-decided": 2,
        "desk-shadow-people": 0,
        "desk-active-people": 2,
    }
    client.force_login(editor)
    html = client.get(SPAM_PAGE).content.decode()
    assert {key: _figure(html, key) for key in by_hand} == by_hand
    assert 'id="desk-shadow-promote"' in html and 'id="desk-shadow-discard"' in html
    table = html.split('id="desk-shadow-disagreements"')[1].split("</table>")[0]
    for comment in live_traffic.values():
        assert f'href="/admin/moderation/comment/{comment.pk}/change/"' in table


def test_the_page_promotes_the_shadow(client, editor, live_traffic, spam_shadow):
    client.force_login(editor)
    response = client.post(f"{SPAM_PAGE}shadow/{spam_shadow.pk}/promote/", follow=True)
    assert "is now the active one" in response.content.decode()
    assert registry.active_version("spam") == spam_shadow.version
    assert 'id="desk-shadow"' not in response.content.decode()


def test_the_page_refuses_to_promote_a_shadow_onto_another_task(client, editor, spam_shadow):
    client.force_login(editor)
    response = client.post(
        f"/admin/moderation/classifiermodel/task/spoiler/shadow/{spam_shadow.pk}/promote/",
        follow=True,
    )
    assert "Nothing changed: Model" in response.content.decode()
    assert ClassifierModel.objects.get(pk=spam_shadow.pk).state == "shadow"


def test_a_moderator_can_neither_promote_nor_discard(client, moderator, spam_shadow):
    client.force_login(moderator)
    for action in ("promote", "discard"):
        response = client.post(f"{SPAM_PAGE}shadow/{spam_shadow.pk}/{action}/")
        assert response.status_code == 403
    assert ClassifierModel.objects.get(pk=spam_shadow.pk).state == "shadow"


# --- the API ------------------------------------------------------------------------


def test_the_api_promotes_and_then_refuses_a_second_promotion(editor, spam_shadow):
    api = _token_client(editor)
    response = api.post(f"{MODELS}{spam_shadow.pk}/promote/", {"task": "spam"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "active"
    again = api.post(f"{MODELS}{spam_shadow.pk}/promote/", {"task": "spam"}, format="json")
    assert again.status_code == 409
    assert again.json()["current"]["state"] == "active"
    assert "Only a model in shadow" in again.json()["detail"]


def test_the_api_discards_a_shadow(editor, spam_shadow):
    api = _token_client(editor)
    response = api.post(f"{MODELS}{spam_shadow.pk}/discard/", {"task": "spam"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    assert registry.shadow_classifiers() == {}


def test_the_api_refuses_a_shadow_of_another_task_with_a_field_error(editor, active_models):
    spoiler = ClassifierModel.objects.get(task="spoiler", state="active")
    ClassifierModel.objects.filter(pk=spoiler.pk).update(state="retired")
    api = _token_client(editor)
    response = api.post(f"{MODELS}{spoiler.pk}/shadow/", {"task": "spam"}, format="json")
    assert response.status_code == 400
    assert "is a spoiler model" in response.json()["task"][0]
    assert ClassifierModel.objects.get(pk=spoiler.pk).state == "retired"


def _challenger(task: str, version: str) -> ClassifierModel:
    return ClassifierModel.objects.create(
        task=task, version=version, state="rejected", sklearn_version="1", training_size=1
    )


def test_the_api_puts_a_stored_challenger_in_shadow_but_not_a_second_one(editor, spam_shadow):
    spoiler = _challenger("spoiler", "d4" * 32)
    api = _token_client(editor)
    started = api.post(f"{MODELS}{spoiler.pk}/shadow/", {"task": "spoiler"}, format="json")
    assert started.status_code == 200 and started.json()["state"] == "shadow"
    other = _challenger("spam", "e5" * 32)
    second = api.post(f"{MODELS}{other.pk}/shadow/", {"task": "spam"}, format="json")
    assert second.status_code == 409
    assert second.json()["current"]["id"] == spam_shadow.pk
    assert ClassifierModel.objects.get(pk=other.pk).state == "rejected"


def test_the_api_refuses_retraining_into_a_second_shadow(editor, spam_shadow, monkeypatch):
    from newsroom.celery import app

    monkeypatch.setattr(app, "send_task", lambda *a, **k: pytest.fail("queued anyway"))
    api = _token_client(editor)
    response = api.post(f"{MODELS}retrain/", {"task": "spam", "shadow": True}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["version"] == spam_shadow.version


def test_the_api_rejects_a_missing_task_and_an_unknown_model(editor, spam_shadow):
    api = _token_client(editor)
    missing = api.post(f"{MODELS}{spam_shadow.pk}/promote/", {}, format="json")
    assert missing.status_code == 400 and "task" in missing.json()
    unknown = api.post(f"{MODELS}999999/promote/", {"task": "spam"}, format="json")
    assert unknown.status_code == 404
    assert ClassifierModel.objects.get(pk=spam_shadow.pk).state == "shadow"


def test_the_page_queues_retraining_into_shadow(client, editor, active_models, monkeypatch):
    from newsroom.celery import app

    sent = []

    class Result:
        id = "task-1"

    monkeypatch.setattr(app, "send_task", lambda *a, **k: sent.append((a, k)) or Result())
    client.force_login(editor)
    response = client.post(f"{SPAM_PAGE}retrain/", {"shadow": "1"}, follow=True)
    assert sent == [
        (("moderation.tasks.retrain_models",), {"args": ["spam"], "kwargs": {"shadow": True}})
    ]
    assert "in shadow beside the active model" in response.content.decode()


def test_the_command_trains_a_challenger_into_shadow(active_models, tmp_path):
    data = tmp_path / "extra.csv"
    with data.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows([(b, 0) for b in CLEAN] + [(b, 1) for b in SPAMMY])
    out = io.StringIO()
    call_command(
        "train_classifier",
        "--task=spam",
        f"--csv={data}",
        "--text-col=text",
        "--label-col=label",
        "--shadow",
        stdout=out,
    )
    assert "put in shadow beside the active model" in out.getvalue()
    shadow = ClassifierModel.objects.get(task="spam", state="shadow")
    assert shadow.sources["csv:extra.csv"] == 6
    assert registry.active_version("spam") == active_models["spam"].version
    with pytest.raises(CommandError, match="in shadow already"):
        call_command(
            "train_classifier",
            "--task=spam",
            f"--csv={data}",
            "--text-col=text",
            "--label-col=label",
            "--shadow",
            stdout=io.StringIO(),
        )


def test_the_web_side_of_shadow_models_loads_no_scikit_learn():
    """The model page and the API change registry states without the training stack."""
    code = (
        "import sys, django; django.setup(); "
        "import moderation.admin.models_page, moderation.api.views.registry; "
        "print(sorted(m for m in ('numpy', 'sklearn') if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings.test"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
