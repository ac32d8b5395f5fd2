from datetime import timedelta

from django.utils import timezone

from moderation import services
from moderation.admin.stats import classifier_reversals, decisions_per_day, model_agreement


def test_the_index_shows_queue_sizes_and_the_oldest_waiting(client, moderator, make_comment):
    make_comment(created_at=timezone.now() - timedelta(hours=5))
    make_comment()
    make_comment(status="spam")
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert 'data-queue="pending">2<' in html and 'data-queue="auto_spam">1<' in html
    assert "5\xa0hours" in html
    assert "<svg" in html and "decisions per day" in html.lower()


def test_the_index_hides_the_dashboard_without_the_queue(client, stranger):
    stranger.is_staff = True
    stranger.save()
    client.force_login(stranger)
    assert "desk-dashboard" not in client.get("/admin/").content.decode()


def test_it_counts_peoples_decisions_per_day(moderator, make_comment):
    for _ in range(3):
        services.comment_approve(comment_id=make_comment().pk, actor=moderator)
    services.comment_mark_spam(comment_id=make_comment().pk, actor=moderator)
    days = decisions_per_day(days=30)
    assert len(days) == 30 and days[-1][0] == timezone.localdate()
    assert days[-1][1]["approved"] == 3 and days[-1][1]["marked_spam"] == 1
    assert sum(sum(counts.values()) for _, counts in days[:-1]) == 0


def test_it_measures_the_share_of_automatic_decisions_people_reversed(moderator, scored_comment):
    hidden = scored_comment(status="spam", spam_score=0.95)
    scored_comment(status="spam", spam_score=0.97)
    published = scored_comment("fine", status="approved", spam_score=0.1)
    scored_comment("held", status="pending", spam_score=0.6)  # not an automatic decision
    services.comment_approve(comment_id=hidden.pk, actor=moderator)
    services.comment_set_spoiler(comment_id=published.pk, actor=moderator, is_spoiler=True)
    reversals = classifier_reversals(days=30)
    assert (reversals.automatic, reversals.reversed) == (3, 1)


def test_it_measures_agreement_with_people_per_model_version(moderator, scored_comment):
    agreed = scored_comment(spam_score=0.7)
    disagreed = scored_comment(spam_score=0.6)
    rejected = scored_comment(spam_score=0.6)
    services.comment_mark_spam(comment_id=agreed.pk, actor=moderator)
    services.comment_approve(comment_id=disagreed.pk, actor=moderator)
    services.comment_reject(comment_id=rejected.pk, actor=moderator, reason_code="abuse")
    [agreement] = model_agreement(task="spam")
    assert (agreement.version, agreement.compared, agreement.agreed) == ("a1" * 32, 2, 1)
    assert model_agreement(task="spoiler") == []
