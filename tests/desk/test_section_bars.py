"""One comment's score bar follows its section's thresholds; cross-section filters the site's."""

from articles.models import Article, Section


def test_a_score_bar_is_coloured_by_the_comments_section_policy(client, moderator, make_comment):
    war = Section.objects.create(name="War", slug="war", spam_hold=0.3)
    front = Article.objects.create(slug="front", title="Front", body="Text.", section=war)
    in_war = make_comment("From the front.", article=front, spam_score=0.4, spoiler_score=0.0)
    in_kyiv = make_comment("About the bridge.", spam_score=0.4, spoiler_score=0.0)
    client.force_login(moderator)

    def bar(comment) -> str:
        page = client.get(f"/admin/moderation/comment/{comment.pk}/change/").content.decode()
        return page[page.index('class="desk-bar desk-bar-spam') :][:100]

    assert "desk-bar-mid" in bar(in_war) and "War's policy" in bar(in_war)
    assert "desk-bar-low" in bar(in_kyiv) and "Kyiv's policy" in bar(in_kyiv)


def test_the_band_filters_say_they_use_the_site_thresholds(client, moderator):
    client.force_login(moderator)
    html = client.get("/admin/moderation/comment/?queue=all").content.decode()
    assert "spam score (site thresholds)" in html
