from moderation import services


def page(comment):
    return f"/admin/moderation/comment/{comment.pk}/change/"


def test_it_shows_the_text_with_the_words_behind_the_scores(client, moderator, scored_comment):
    comment = scored_comment("Play <b>casino</b> now")
    client.force_login(moderator)
    html = client.get(page(comment)).content.decode()
    assert "&lt;b&gt;<mark" in html and ">casino</mark>" in html
    assert "<b>casino" not in html
    assert comment.spam_model_version[:10] in html
    assert "word &quot;casino&quot;" in html  # the feature list


def test_it_shows_the_authors_other_comments_and_outcomes(client, moderator, make_comment):
    earlier = make_comment("earlier one", author_email="r@example.org", status="rejected")
    make_comment("another", author_email="r@example.org", status="approved")
    make_comment("someone else", author_email="other@example.org", status="rejected")
    comment = make_comment("now", author_email="r@example.org")
    client.force_login(moderator)
    response = client.get(page(comment))
    assert [c.body for c in response.context["others"]] == ["another", "earlier one"]
    assert ("Rejected", 1) in response.context["outcomes"]
    assert f"/admin/moderation/comment/{earlier.pk}/change/" in response.content.decode()


def test_it_shows_the_event_history(client, moderator, editor, scored_comment):
    comment = scored_comment(status="pending")
    services.comment_reject(
        comment_id=comment.pk, actor=editor, reason_code="abuse", reason_text="Slur"
    )
    client.force_login(moderator)
    html = client.get(page(comment)).content.decode()
    assert (
        "Scored" in html
        and "Rejected" in html
        and "Abusive or hateful: Slur" in html
        and "bob" in html
    )


def test_it_offers_the_decisions_with_the_status_seen(client, moderator, make_comment):
    comment = make_comment()
    client.force_login(moderator)
    html = client.get(page(comment)).content.decode()
    assert f'action="/admin/moderation/comment/{comment.pk}/decide/"' in html
    assert 'name="expected_status" value="pending"' in html
    for code in ("abuse", "off_topic", "personal_data", "legal", "other"):
        assert f'<option value="{code}">' in html


def test_a_comment_page_for_a_missing_comment_redirects(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/moderation/comment/999/change/").status_code == 302
