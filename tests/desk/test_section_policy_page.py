"""The section policy page: own values beside what applies, thresholds checked at save."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Section
from moderation.section_policy import comment_policy

ADD = "/admin/articles/section/add/"


def _form(**values) -> dict:
    return {"name": "War", "slug": "war", "comment_mode": "", "hold_links": "unknown", **values}


def test_it_shows_each_value_beside_the_one_that_applies(client, editor, moderator):
    war = Section.objects.create(name="War", slug="war", spam_hold=0.3, auto_close_days=7)
    war.moderators.add(moderator)
    client.force_login(editor)
    html = client.get(f"/admin/articles/section/{war.pk}/change/").content.decode()
    table = html[html.index('id="section-policy"') :]
    assert "<th>Hold for a person from spam score</th><td>0.3</td><td>0.3</td>" in table
    assert "<th>Hide as spam from spam score</th><td>—</td><td>0.9</td>" in table
    assert "<th>Close comments</th><td>7 days after publication</td>" in table
    assert "<th>Comments with links</th><td>—</td><td>allowed</td>" in table
    assert "<th>Moderators</th><td>alice</td><td>alice, and editors</td>" in table
    listing = client.get("/admin/articles/section/").content.decode()
    assert "every moderator" not in listing and "alice" in listing


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"spam_hold": "0.95"}, "spam_hold (0.95) must not be above spam_reject (0.9)"),
        ({"spam_hold": "0.6", "spam_reject": "0.4"}, "must not be above spam_reject (0.4)"),
        ({"spam_reject": "1.5"}, "less than or equal to 1.0"),
        ({"auto_close_days": "0"}, "greater than or equal to 1"),
    ],
)
def test_thresholds_that_cannot_work_are_a_form_error_and_nothing_is_saved(
    client, editor, values, message
):
    client.force_login(editor)
    response = client.post(ADD, _form(**values))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Section.objects.exists()


def test_a_section_saved_in_order_takes_effect(client, editor):
    client.force_login(editor)
    response = client.post(ADD, _form(spam_hold="0.3", spam_reject="0.6"))
    assert response.status_code == 302
    assert Section.objects.get(slug="war").spam_hold == 0.3


def test_the_model_refuses_a_hold_above_the_sites_reject(db):
    with pytest.raises(ValidationError) as refused:
        Section(name="War", slug="war", spam_hold=0.95).full_clean()
    assert "spam_hold" in refused.value.message_dict


def test_moderators_cannot_change_a_sections_policy(client, moderator):
    client.force_login(moderator)
    assert client.get(ADD).status_code == 403


def test_a_section_the_sites_new_thresholds_break_says_so_and_the_site_applies(
    client, editor, make_comment, settings
):
    war = Section.objects.create(name="War", slug="war", spam_hold=0.7)
    settings.SPAM_REJECT = 0.6
    client.force_login(editor)
    html = client.get(f"/admin/articles/section/{war.pk}/change/").content.decode()
    assert "must not be above spam_reject (0.6)" in html
    assert "Until this is fixed the site&#x27;s policy applies." in html
    assert "<th>Hold for a person from spam score</th><td>0.7</td><td>0.5</td>" in html
    front = Article.objects.create(slug="front", title="Front", body="Text.", section=war)
    policy = comment_policy(make_comment("From the front.", article=front))
    assert (policy.scope, policy.spam_hold, policy.spam_reject) == ("the site", 0.5, 0.6)
