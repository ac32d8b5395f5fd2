"""Each comment is scored by its section's policy: the site's with the section's values."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from moderation import rules
from moderation.comment_scoring import active_models as loaded
from moderation.comment_scoring import score_comment, score_comments, sweep_unscored_comments
from moderation.links_rule import links_held
from moderation.models import Comment
from moderation.policy import site_policy

TEXT = "The bridge looks better than before the repairs, thank you for the report."
LINK = "The full timetable is at https://metro.kyiv.ua/timetable for anyone asking."


def _article(section: Section, slug: str) -> Article:
    return Article.objects.create(slug=slug, title=slug, body="Text.", section=section)


def _status(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


def test_a_section_that_holds_everything_holds_what_the_site_publishes(
    make_comment, article, active_models
):
    war = Section.objects.create(name="War", slug="war", spam_hold=0.0)
    at_war = _article(war, "front")
    site_comment = make_comment(TEXT)
    war_comment = make_comment(TEXT, article=at_war)
    score_comment(site_comment.pk)
    score_comment(war_comment.pk)
    assert _status(site_comment) == "approved"
    assert _status(war_comment) == "pending"


def test_the_batch_path_scores_each_comment_by_its_own_section(
    make_comment, article, active_models
):
    strict = Section.objects.create(name="Strict", slug="strict", spam_reject=0.0, spam_hold=0.0)
    war = Section.objects.create(name="War", slug="war", spam_hold=0.0)
    comments = [
        make_comment(TEXT),
        make_comment(TEXT, article=_article(strict, "strict")),
        make_comment(TEXT, article=_article(war, "front")),
    ]
    assert len(score_comments(comments, loaded())) == 3
    assert [_status(c) for c in comments] == ["approved", "spam", "pending"]


def test_the_sweep_uses_the_section_policy_too(make_comment, article, active_models):
    war = Section.objects.create(name="War", slug="war", spam_hold=0.0)
    comment = make_comment(TEXT, article=_article(war, "front"))
    Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at.replace(year=2020))
    assert sweep_unscored_comments().scored == 1
    assert _status(comment) == "pending"


def test_a_batch_costs_the_same_queries_however_many_sections(
    make_comment, active_models, monkeypatch
):
    # The section's own rule only: a campaign's writes grow with its copies, not sections.
    monkeypatch.setattr(rules, "RULES", [links_held])
    site_policy()  # the fitted thresholds read once and cached, before both batches

    def batch(sections: int) -> int:
        comments = []
        for n in range(sections):
            section = Section.objects.create(
                name=f"S{sections}-{n}", slug=f"s{sections}-{n}", spam_hold=0.0
            )
            for m in range(3):
                comments.append(make_comment(TEXT, article=_article(section, f"a{sections}{n}{m}")))
        fresh = list(
            Comment.objects.filter(pk__in=[c.pk for c in comments])
            .select_related("article__section")
            .order_by("pk")
        )
        with CaptureQueriesContext(connection) as queries:
            score_comments(fresh, loaded())
        assert {_status(c) for c in comments} == {"pending"}
        return len(queries)

    assert batch(1) == batch(6)


def test_a_section_that_holds_links_holds_a_comment_with_one_and_says_why(
    client, moderator, make_comment, article, active_models
):
    # Reject at 1.0: whatever the model makes of the link, only the rule can hold it.
    careful = Section.objects.create(
        name="Elections", slug="elections", hold_links=True, spam_reject=1.0
    )
    held = make_comment(LINK, article=_article(careful, "vote"))
    elsewhere = make_comment(LINK)
    plain = make_comment(TEXT, article=held.article)
    for comment in (held, elsewhere, plain):
        score_comment(comment.pk)
    held.refresh_from_db()
    elsewhere.refresh_from_db()
    assert held.status == "pending"
    assert held.rule_hits == [
        {
            "rule": "links_held",
            "action": "hold",
            "reason": "links are held for review in Elections",
        }
    ]
    assert elsewhere.rule_hits == []
    assert _status(plain) == "approved"
    client.force_login(moderator)
    page = client.get(f"/admin/moderation/comment/{held.pk}/change/").content.decode()
    assert "links are held for review in Elections" in page
