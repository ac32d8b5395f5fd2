def test_a_moderator_sees_the_queue_and_nothing_of_models_or_corrections(client, moderator):
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "/admin/moderation/comment/" in html and 'id="desk-dashboard"' in html
    assert "/admin/moderation/classifiermodel/" not in html
    assert "/admin/articles/correctionrequest/" not in html
    assert client.get("/admin/articles/correctionrequest/grouped/").status_code == 403


def test_an_editor_reaches_corrections_and_models_from_the_dashboard(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'href="/admin/articles/correctionrequest/">Correction requests' in html
    assert 'href="/admin/moderation/classifiermodel/task/spam/">Model health' in html
