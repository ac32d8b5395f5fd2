"""A moderator finds a campaign in the desk and rejects it in one go, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Section
from moderation.campaigns.detection import campaign_rule
from moderation.models import Comment, CommentCluster, CommenterSanction, ModerationEvent
from tests.browser.desk_helpers import log_in, screenshot
from tests.pipeline.test_campaigns import PARAPHRASES

AUTHORS = ["Marta", "Petro", "Sofia", "Ivan", "Olha", "Taras"]


@pytest.fixture
def campaign(article):
    """Six near-identical comments on two articles, placed by the campaign rule."""
    other = Article.objects.create(
        slug="mayor-answers",
        title="The mayor answers readers",
        body="x",
        section=Section.objects.named("Kyiv"),
    )
    start = timezone.now() - timedelta(minutes=20)
    for n, (name, body) in enumerate(zip(AUTHORS, PARAPHRASES, strict=True)):
        comment = Comment.objects.create(
            article=article if n % 2 == 0 else other,
            author_name=name,
            author_email=f"{name.lower()}@mail.example",
            body=body,
            created_at=start + timedelta(minutes=n, seconds=17 * n),
            spam_score=0.04,
            spoiler_score=0.02,
            scored_at=timezone.now(),
        )
        hits = campaign_rule([comment]).get(comment.pk, [])
        Comment.objects.filter(pk=comment.pk).update(
            status="pending" if hits else "approved", rule_hits=[h.as_dict() for h in hits]
        )
    return CommentCluster.objects.get()


@pytest.mark.django_db(transaction=True)
def test_a_moderator_rejects_a_campaign_in_one_go(live_server, page, moderator, campaign):
    log_in(page, live_server.url, "alice", "pw-alice")
    page.goto(live_server.url + "/admin/moderation/commentcluster/")
    page.click(f"a[href$='/commentcluster/{campaign.pk}/change/']")
    expect(page.locator("#desk-campaign-summary h2")).to_contain_text(
        "6 near-identical comments from 6 authors"
    )
    expect(page.locator(".desk-campaign-member")).to_have_count(6)
    expect(page.locator(".desk-campaign-member[data-status=pending]")).to_have_count(2)
    screenshot(page, "desk-campaign")
    page.click("button[value=reject]")
    expect(page.locator("#desk-campaign-state")).to_have_text("Confirmed")
    expect(page.locator(".desk-campaign-member[data-status=rejected]")).to_have_count(6)
    assert ModerationEvent.objects.filter(action="rejected", actor=moderator).count() == 6
    # Then bans its six authors, with a reason kept on each ban.
    page.fill("#desk-campaign-ban-reason", "Coordinated bridge campaign")
    page.click("button[value=ban]")
    expect(page.locator(".messagelist")).to_contain_text("Ban all authors: 6 banned")
    assert CommenterSanction.objects.filter(created_by=moderator, kind="ban").count() == 6
