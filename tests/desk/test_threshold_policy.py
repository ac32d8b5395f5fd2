"""One policy answers for the thresholds: change one setting and every surface follows."""

from pathlib import Path

import pytest

from moderation import services
from moderation.admin.stats import model_agreement
from moderation.comment_scoring import is_flagged
from moderation.policy import site_policy
from moderation.services import CommentScores, comment_apply_scores, comment_apply_scores_batch

QUEUE = "/admin/moderation/comment/"
VERSIONS = {"spam": "a1" * 32, "spoiler": "b2" * 32}
ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_lower_spam_hold_reaches_scoring_the_desk_and_the_dashboard(
    settings, client, moderator, make_comment
):
    settings.SPAM_HOLD = 0.3
    comment = comment_apply_scores(
        comment_id=make_comment().pk,
        spam_score=0.4,
        spoiler_score=0.1,
        model_versions=VERSIONS,
        explanation={},
    )
    # Scoring: 0.4 is held now, and it sits 0.1 above a hold of 0.3 on a span of 0.7.
    assert comment.status == "pending"
    assert comment.uncertainty == pytest.approx(1 - 0.1 / 0.7)
    assert is_flagged(CommentScores(comment.pk, 0.4, 0.1, VERSIONS, {}), site_policy())

    client.force_login(moderator)
    html = client.get(QUEUE + "?queue=all").content.decode()
    # The score bar and the band filter's labels.
    assert 'class="desk-bar desk-bar-spam desk-bar-mid"' in html
    assert "Below 0.3 (0)" in html and "0.3 to 0.9 (1)" in html
    held = client.get(QUEUE + "?queue=all&spam_band=held")
    assert list(held.context["cl"].result_list) == [comment]

    # The dashboard: marking it spam agrees with a model that held it.
    services.comment_mark_spam(comment_id=comment.pk, actor=moderator)
    [agreement] = model_agreement(task="spam")
    assert (agreement.compared, agreement.agreed) == (1, 1)


def test_a_batch_is_scored_by_the_policy_it_is_given(make_comment):
    comment = make_comment()
    section_policy = site_policy().overlay(spam_hold=0.3)
    scored = comment_apply_scores_batch(
        scores=[CommentScores(comment.pk, 0.4, 0.1, VERSIONS, {})], policy=section_policy
    )
    comment.refresh_from_db()
    assert scored == [comment.pk] and comment.status == "pending"


def test_nothing_but_the_policy_reads_the_threshold_settings():
    readers = sorted(
        str(path.relative_to(ROOT))
        for folder in ("articles", "moderation", "newsroom")
        for path in (ROOT / folder).rglob("*.py")
        if any(
            f"settings.{name}" in path.read_text()
            for name in ("SPAM_REJECT", "SPAM_HOLD", "SPOILER_FLAG")
        )
    )
    assert readers == ["moderation/policy.py"]
