from datetime import UTC
from unittest import mock

import pytest

from moderation.admin.models_page import confusion_counts, pr_points
from moderation.queueing import RETRAIN_MODELS

SPAM_PAGE = "/admin/moderation/classifiermodel/task/spam/"


def test_the_model_list_opens_on_the_spam_page(client, editor):
    client.force_login(editor)
    assert client.get("/admin/moderation/classifiermodel/")["Location"] == SPAM_PAGE


def test_it_shows_the_active_model_its_figures_and_charts(client, editor, make_model):
    make_model(version="d4" * 32, state="retired", metrics={"f1": 0.8})
    active = make_model(compared_with={"version": "d4" * 32, "metrics": {"f1": 0.8}})
    client.force_login(editor)
    response = client.get(SPAM_PAGE)
    html = response.content.decode()
    assert response.context["active"] == active
    assert "0.894" in html and "0.970" in html  # F1 and ROC-AUC
    assert 'aria-label="Confusion matrix"' in html and ">44</text>" in html
    assert 'aria-label="Precision-recall curve"' in html and '<path d="M' in html
    assert "seed 600, decisions 40" in html
    assert html.count('class="desk-state-') == 2


def test_it_tolerates_missing_metrics(client, editor, make_model):
    make_model(metrics={"f1": 0.5})
    client.force_login(editor)
    html = client.get(SPAM_PAGE).content.decode()
    assert "Not recorded for this model." in html


def test_it_reads_the_confusion_matrix_in_any_shape():
    assert confusion_counts({"tp": 1, "fp": 2, "tn": 3, "fn": 4}) == {
        "tp": 1,
        "fp": 2,
        "tn": 3,
        "fn": 4,
    }
    assert confusion_counts({"confusion": [[3, 2], [4, 1]]}) == {"tp": 1, "fp": 2, "tn": 3, "fn": 4}
    assert confusion_counts({"tp": 1}) is None
    assert pr_points({"pr_curve": [[0.5, 0.9, 0.8], ["x", 1, 1], [1]]}) == [(0.5, 0.9, 0.8)]


def test_the_retrain_button_queues_the_task_on_the_training_queue(client, editor, make_model):
    make_model()
    client.force_login(editor)
    with mock.patch("newsroom.celery.app.send_task") as send_task:
        response = client.post(SPAM_PAGE + "retrain/", follow=True)
    send_task.assert_called_once_with(RETRAIN_MODELS, args=["spam"])
    html = response.content.decode()
    assert "Retraining is queued" in html and 'id="desk-retrain-waiting"' in html
    assert '<meta http-equiv="refresh"' in html


def test_the_page_stops_waiting_when_the_new_model_appears(client, editor, make_model):
    from django.utils import timezone

    make_model()
    client.force_login(editor)
    with mock.patch("newsroom.celery.app.send_task"):
        client.post(SPAM_PAGE + "retrain/")
    make_model(version="e5" * 32, state="rejected", created_at=timezone.now(), note="Worse.")
    html = client.get(SPAM_PAGE).content.decode()
    assert "desk-retrain-waiting" not in html and "Worse." in html


def test_a_broker_that_is_down_is_reported(client, editor):
    client.force_login(editor)
    with mock.patch("newsroom.celery.app.send_task", side_effect=OSError("down")):
        response = client.post(SPAM_PAGE + "retrain/", follow=True)
    assert "The training queue is unreachable" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_moderator_sees_nothing_of_models(client, moderator, method):
    client.force_login(moderator)
    url = SPAM_PAGE if method == "get" else SPAM_PAGE + "retrain/"
    with mock.patch("newsroom.celery.app.send_task") as send_task:
        assert getattr(client, method)(url).status_code == 403
    send_task.assert_not_called()


def test_an_unknown_task_is_404(client, editor):
    client.force_login(editor)
    assert client.get("/admin/moderation/classifiermodel/task/ham/").status_code == 404


def _section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


def test_a_challenger_is_shown_beside_the_active_model_on_the_same_texts(
    client, editor, make_model
):
    from django.utils import timezone

    # The active model's own figures, from its own training, are not the comparison.
    active = make_model(metrics={"f1": 0.914, "roc_auc": 0.95, "n": 70})
    make_model(
        version="e5" * 32,
        state="rejected",
        created_at=timezone.now(),
        metrics={"f1": 0.952, "roc_auc": 0.97, "n": 84},
        compared_with={"version": active.version, "metrics": {"f1": 0.96, "roc_auc": 0.99}},
        note="Worse than the active model on the same 84 held-out texts.",
    )
    client.force_login(editor)
    html = client.get(SPAM_PAGE).content.decode()
    panel = _section(html, "desk-challenger")
    assert "<td>F1</td><td>0.952</td><td>0.960</td>" in panel
    assert "<td>ROC-AUC</td><td>0.970</td><td>0.990</td>" in panel
    assert "on the same 84 held-out texts" in panel
    assert "0.914" not in panel
    history = _section(html, "desk-model-history")
    assert "<td>0.952</td>\n          <td>0.960</td>" in history


def test_a_pruned_model_keeps_its_row_and_figures_and_says_its_file_is_gone(
    client, editor, make_model
):
    from datetime import datetime

    make_model()
    make_model(
        version="f6" * 32,
        state="rejected",
        metrics={"f1": 0.777},
        artifact_bytes=0,
        pruned_at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    client.force_login(editor)
    history = _section(client.get(SPAM_PAGE).content.decode(), "desk-model-history")
    assert "0.777" in history
    assert "file pruned 2 Nov 2026; figures kept" in history
    assert history.count("file pruned") == 1
