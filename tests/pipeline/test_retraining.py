"""Retraining runs on its own queue, on demand, nightly and after enough decisions."""

from collections import Counter
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from moderation.classifier import TrainingDataError
from moderation.models import ClassifierModel, Comment
from moderation.retraining import LabelledSet, build_training_set, seed_examples, split_held_out
from moderation.services import comment_approve, comment_mark_spam, comment_set_spoiler
from moderation.tasks import retrain_if_due, retrain_models
from newsroom.celery import app
from tests.pipeline.waiting import wait_until


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_scoring_and_retraining_use_separate_queues():
    assert _queue("moderation.tasks.classify_comment") == "scoring"
    assert _queue("moderation.tasks.sweep_unscored") == "scoring"
    assert _queue("moderation.tasks.retrain_models") == "training"
    assert _queue("moderation.tasks.retrain_if_due") == "training"
    assert _queue("moderation.tasks.explain_comments") == "training"


def test_beat_sweeps_often_and_retrains_nightly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sweep-unscored"]["task"] == "moderation.tasks.sweep_unscored"
    assert schedule["sweep-unscored"]["schedule"] <= 60
    assert schedule["retrain-nightly"]["task"] == "moderation.tasks.retrain_models"
    assert schedule["retrain-if-due"]["task"] == "moderation.tasks.retrain_if_due"


@pytest.mark.django_db(transaction=True)
def test_retrain_by_name_trains_and_registers_a_challenger(celery_worker):
    # Sent by name, as the API and the admin send it.
    app.send_task("moderation.tasks.retrain_models", kwargs={"task": "spam"})
    wait_until(
        lambda: ClassifierModel.objects.filter(task="spam").count() == 2,
        timeout=120,
        message="no challenger was registered",
    )
    assert ClassifierModel.objects.filter(task="spam", state="active").count() == 1


def test_retrain_refuses_an_unknown_task(db):
    with pytest.raises(ValueError, match="Unknown classifier task"):
        retrain_models.run(task="weather")


def test_it_retrains_after_enough_new_decisions_of_each_kind(
    make_comment, moderator, active_models, settings
):
    settings.RETRAIN_AFTER_DECISIONS = 3
    with mock.patch("moderation.tasks.enqueue_retrain") as enqueue:
        assert retrain_if_due.run() == []
        for comment in [make_comment() for _ in range(2)]:
            comment_approve(comment_id=comment.pk, actor=moderator)
        assert retrain_if_due.run() == []
        comment_mark_spam(comment_id=make_comment().pk, actor=moderator)
        # Status decisions are spam labels only.
        assert retrain_if_due.run() == ["spam"]
        for comment in [make_comment() for _ in range(3)]:
            comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=True)
        assert retrain_if_due.run() == ["spam", "spoiler"]
    assert sorted(call.args[0] for call in enqueue.call_args_list) == ["spam", "spam", "spoiler"]


# -- the training set ---------------------------------------------------------------

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=30,
)
pairs = st.lists(st.tuples(texts, st.integers(0, 1)), max_size=6)
# The extra examples as train_classifier builds them (one CSV source or several), or
# built by hand with no sources named.
extras = st.one_of(
    st.none(),
    st.lists(st.tuples(st.sampled_from(["csv:a.csv", "csv:b.tsv"]), pairs), max_size=3),
    pairs.map(lambda made: LabelledSet(texts=[t for t, _ in made], labels=[y for _, y in made])),
)


def _extra_set(extra) -> LabelledSet | None:
    if not isinstance(extra, list):
        return extra
    built = LabelledSet()
    for source, source_pairs in extra:
        built.add(source, [t for t, _ in source_pairs], [y for _, y in source_pairs])
    return built


def _given_by_extra(extra) -> tuple[list[tuple[str, int]], Counter]:
    if extra is None:
        return [], Counter()
    if isinstance(extra, LabelledSet):
        return list(zip(extra.texts, extra.labels, strict=True)), Counter(extra=len(extra.texts))
    counts: Counter[str] = Counter()
    for source, source_pairs in extra:
        counts[source] += len(source_pairs)
    return [pair for _, source_pairs in extra for pair in source_pairs], counts


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(extra=extras, decisions=pairs)
def test_every_pair_in_the_training_set_is_one_a_source_gave(article, extra, decisions):
    seed = list(zip(*seed_examples("spam"), strict=True))
    extra_pairs, extra_counts = _given_by_extra(extra)
    with transaction.atomic():
        for body, label in decisions:
            Comment.objects.create(
                article=article,
                author_name="Oksana",
                body=body,
                status="spam" if label else "approved",
                decided_at=timezone.now(),
            )
        built = build_training_set("spam", _extra_set(extra))
        transaction.set_rollback(True)
    assert Counter(zip(built.texts, built.labels, strict=True)) == Counter(
        seed + extra_pairs + decisions
    )
    assert built.sources == Counter(seed=len(seed), decisions=len(decisions)) + extra_counts
    assert sum(built.sources.values()) == len(built.texts) == len(built.labels)


def test_extra_examples_with_more_texts_than_labels_are_refused(db):
    extra = LabelledSet(texts=["one", "two", "three"], labels=[1, 0])
    with pytest.raises(TrainingDataError, match="3 texts but 2 labels"):
        build_training_set("spam", extra)


# -- the held-out split -------------------------------------------------------------


@hypothesis_settings(max_examples=30, deadline=None)
@given(added=pairs)
def test_adding_data_never_moves_a_text_between_train_and_held_out(added):
    before = LabelledSet()
    before.add("seed", *seed_examples("spam"))
    grown = LabelledSet()
    grown.add("seed", *seed_examples("spam"))
    grown.add("decisions", [t for t, _ in added], [y for _, y in added])
    held_before = set(split_held_out(before)[1].texts)
    train_after, held_after = split_held_out(grown)
    assert held_before <= set(held_after.texts)
    assert not held_before & set(train_after.texts)
