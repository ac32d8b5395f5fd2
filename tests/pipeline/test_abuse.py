"""The abuse task through the real pipeline: the default model, the policy's hold and its
reason on the desk and in the API, labels from people's decisions, a foreign artifact."""

import logging

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from moderation import classifier, registry
from moderation.admin.stats import Agreement, model_agreement
from moderation.comment_scoring import score_comment
from moderation.models import ClassifierModel, Comment, ModerationEvent, ShadowScore
from moderation.policy import site_policy
from moderation.retraining import decision_examples, seed_examples
from moderation.services import comment_approve, comment_mark_spam, comment_reject, comment_submit
from moderation.shadow import shadow_comparison

# The two comments the issue saw published at once.
INSULT = "Anyone who still thinks this bridge was worth the money is a brain-dead moron. Shut up"
TOUTING = (
    "Selling 2 tickets for Saturday's derby, best seats, cash only. "
    "Message me on Telegram @kyiv_tickets, first come first served"
)


def _posted(article, body: str) -> Comment:
    comment = comment_submit(article=article, author_name="Reader", body=body)
    score_comment(comment.pk)
    comment.refresh_from_db()
    return comment


@pytest.fixture
def default_models(db, fresh_worker) -> None:
    """What `make run` trains: each task from its seed corpus."""
    call_command("train_default_models", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_default_models_hold_the_abusive_comments_of_the_report(article, default_models):
    assert ClassifierModel.objects.filter(task="abuse", state="active").count() == 1
    insult = _posted(article, INSULT)
    touting = _posted(article, TOUTING)
    assert insult.status == "pending"
    assert insult.abuse_score is not None and insult.abuse_score >= 0.5
    assert insult.abuse_model_version == registry.active_version("abuse")
    # Touting is the spam model's: held, or hidden in the auto-spam queue; never published.
    assert touting.spam_score is not None and touting.spam_score >= site_policy().spam_hold
    assert touting.status in ("pending", "spam")
    clean = _posted(article, "The bridge looks better than before the repairs, well done.")
    assert clean.status == "approved" and clean.abuse_score is not None


def test_an_abuse_hold_names_the_word_on_the_desk_and_in_the_api(
    client, moderator, article, default_models
):
    insult = _posted(article, INSULT)
    reason = "possible abuse: word 'moron'"
    assert {"rule": "abuse_model", "action": "hold", "reason": reason} in insult.rule_hits
    assert reason in insult.events.get(action="scored").reason_text
    assert set(insult.explanation) == {"spam", "spoiler", "abuse"}

    client.force_login(moderator)
    page = client.get(f"/admin/moderation/comment/{insult.pk}/change/").content.decode()
    assert "possible abuse: word &#x27;moron&#x27;" in page

    api = APIClient()
    api.force_authenticate(moderator)
    body = api.get(f"/api/v1/moderation/comments/{insult.pk}/").json()
    assert body["abuse_score"] == pytest.approx(insult.abuse_score)
    assert body["model_versions"]["abuse"] == insult.abuse_model_version
    assert reason in [hit["reason"] for hit in body["rule_hits"]]


def test_abuse_labels_come_from_rejections_for_abuse_and_approvals(make_comment, moderator):
    insult = make_comment("You absolute clown.")
    off_topic = make_comment("Anyone watching the match tonight?")
    fine = make_comment("Good news for the commuters.")
    spam = make_comment("Cheap loans at www.loans.example")
    comment_reject(comment_id=insult.pk, actor=moderator, reason_code="abuse")
    comment_reject(comment_id=off_topic.pk, actor=moderator, reason_code="off_topic")
    comment_approve(comment_id=fine.pk, actor=moderator)
    comment_mark_spam(comment_id=spam.pk, actor=moderator)
    texts, labels = decision_examples("abuse")
    assert sorted(zip(texts, labels, strict=True)) == [
        ("Good news for the commuters.", 0),
        ("You absolute clown.", 1),
    ]


def test_an_abuse_model_of_another_tasks_shape_is_refused(
    db, fresh_worker, seed_classifiers, caplog
):
    spam = seed_classifiers["spam"]
    ClassifierModel.objects.create(
        task="abuse",
        version=spam.version,
        state=ClassifierModel.State.ACTIVE,
        sklearn_version=spam.sklearn_version,
        training_size=1,
        artifact=spam.to_bytes(),
        layout=spam.layout,
    )
    with caplog.at_level(logging.ERROR, logger="moderation.registry"):
        assert registry.active_classifier("abuse") is None
    assert "a model of the spam task, not of the abuse task" in caplog.text


def test_the_model_page_counts_agreement_with_rejections_for_abuse(make_comment, moderator):
    def scored(body: str, abuse: float) -> Comment:
        comment = make_comment(body)
        ModerationEvent.objects.create(
            comment=comment,
            action=ModerationEvent.Action.SCORED,
            scores={"spam": 0.1, "spoiler": 0.1, "abuse": abuse},
            model_versions={"abuse": "abuse-v1"},
        )
        return comment

    comment_reject(comment_id=scored("You clown.", 0.9).pk, actor=moderator, reason_code="abuse")
    comment_approve(comment_id=scored("Good news.", 0.1).pk, actor=moderator)
    comment_approve(comment_id=scored("Shut the gates at night.", 0.8).pk, actor=moderator)
    off_topic = scored("Anyone watching the match?", 0.9)
    comment_reject(comment_id=off_topic.pk, actor=moderator, reason_code="off_topic")
    assert model_agreement(task="abuse") == [Agreement("abuse-v1", compared=3, agreed=2)]


def test_an_abuse_shadow_says_what_it_would_have_done_and_is_compared_with_people(
    make_comment, moderator, active_models
):
    texts, labels = seed_examples("abuse")
    contrary = classifier.train("abuse", texts, [1 - label for label in labels])
    shadow = registry.classifier_register(
        classifier=contrary,
        training_size=1,
        sources={"seed": 1},
        metrics={},
        activate=False,
        shadow=True,
    )
    comment = make_comment("The bridge looks better than before the repairs.")
    score_comment(comment.pk)
    comment.refresh_from_db()
    row = ShadowScore.objects.get(comment=comment, model=shadow)
    assert comment.status == "approved"
    assert row.active_score == comment.abuse_score
    assert row.says_yes and row.would_status in ("pending", "rejected")
    comment_approve(comment_id=comment.pk, actor=moderator, expected_status="approved")
    comparison = shadow_comparison(shadow)
    assert (comparison.comments, comparison.agree_with_active, comparison.decided) == (1, 0, 1)
    assert (comparison.shadow_agrees_with_people, comparison.active_agrees_with_people) == (0, 1)
