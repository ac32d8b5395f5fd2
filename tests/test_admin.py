import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/",
        "/admin/moderation/comment/",
        "/admin/moderation/moderationevent/",
        "/admin/articles/correctionrequest/",
        "/admin/articles/correction/",
    ],
)
def test_an_editor_sees_each_list(client, editor, make_comment, path):
    make_comment(status="pending")
    client.force_login(editor)
    # The comment list opens on the pending queue (a redirect adding ?queue=pending).
    assert client.get(path, follow=True).status_code == 200


def test_a_moderator_cannot_see_models_or_change_articles(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/moderation/comment/", follow=True).status_code == 200
    assert client.get("/admin/moderation/classifiermodel/").status_code == 403
    assert client.get("/admin/articles/article/add/").status_code == 403


def test_a_stranger_is_sent_to_log_in(client, stranger):
    client.force_login(stranger)
    response = client.get("/admin/moderation/comment/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
