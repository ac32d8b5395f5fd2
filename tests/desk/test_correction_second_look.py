"""Corrections get a second look before publishing, and are amended or withdrawn, never
edited in place or deleted."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from articles import services
from articles.models import Correction, CorrectionRevision, CorrectionThanks
from tests.desk.test_corrections import act, submit


def test_resolving_first_shows_a_preview_and_publishes_nothing(client, editor, article):
    lead = submit(article, email="reader@example.org")
    client.force_login(editor)
    response = act(client, lead, action="resolve", correction_text="Nine <b>months</b>.")
    html = response.content.decode()
    preview = html[html.index('id="correction-preview"') :]
    assert "Correction, " in preview and "Nine &lt;b&gt;months&lt;/b&gt;." in preview
    assert "Repairs took <mark>eight months</mark>." in html
    assert "Was the article text updated?" in html
    assert f"/admin/articles/article/{article.pk}/change/" in html
    assert 'name="confirmed" value="1"' in html and "1 reader is emailed" in html
    assert not Correction.objects.exists() and not CorrectionThanks.objects.exists()
    lead.refresh_from_db()
    assert lead.status == "new"


def test_the_email_goes_after_the_confirmation_with_a_link_to_the_article(
    client, editor, article, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_BASE_URL = "https://news.example"
    request = submit(article, email="reader@example.org")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, request, action="resolve", correction_text="Nine months.", confirmed="1")
    thanks = CorrectionThanks.objects.get()
    services.correction_thanks_send(thanks_id=thanks.pk)
    [message] = mail.outbox
    assert f"https://news.example{article.get_absolute_url()}" in message.body


@pytest.fixture
def correction(article, editor):
    return services.correction_publish(article=article, text="It was nine months.", actor=editor)


def test_an_amendment_is_a_revision_and_the_article_says_updated(
    client, editor, moderator, article, correction
):
    amended = services.correction_amend(
        correction_id=correction.pk, text="It was nine and a half months.", actor=moderator
    )
    assert amended.text == "It was nine and a half months."
    revision = CorrectionRevision.objects.get()
    assert (revision.kind, revision.old_text, revision.new_text, revision.created_by) == (
        "amended",
        "It was nine months.",
        "It was nine and a half months.",
        moderator,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "It was nine and a half months." in page and "(Updated " in page


def test_a_withdrawal_keeps_the_text_and_tells_readers_why(client, editor, article, correction):
    services.correction_withdraw(
        correction_id=correction.pk, reason="The original figure was right.", actor=editor
    )
    correction.refresh_from_db()
    assert correction.text == "It was nine months."
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Correction withdrawn" in page and "The original figure was right." in page
    with pytest.raises(ValueError, match="withdrawn"):
        correction.delete()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amend": " "}, "Write the correction"),
        ({"amend": "It was nine months."}, "the same"),
        ({"withdraw": ""}, "Say why"),
    ],
)
def test_bad_revisions_are_refused_and_write_nothing(editor, correction, change, message):
    with pytest.raises(ValidationError, match=message):
        if "amend" in change:
            services.correction_amend(
                correction_id=correction.pk, text=change["amend"], actor=editor
            )
        else:
            services.correction_withdraw(
                correction_id=correction.pk, reason=change["withdraw"], actor=editor
            )
    assert not CorrectionRevision.objects.exists()


def test_a_withdrawn_correction_cannot_be_amended(editor, correction):
    services.correction_withdraw(correction_id=correction.pk, reason="Wrong.", actor=editor)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.correction_amend(correction_id=correction.pk, text="New text", actor=editor)
    assert CorrectionRevision.objects.count() == 1


def test_the_stock_form_saves_nothing_and_the_desk_forms_revise(client, editor, correction):
    client.force_login(editor)
    url = f"/admin/articles/correction/{correction.pk}/change/"
    html = client.get(url).content.decode()
    assert 'name="text"' in html and 'id="correction-amend"' in html
    assert 'name="_save"' not in html and "/delete/" not in html
    client.post(url, {"text": "Edited in place", "article": correction.article_id})
    correction.refresh_from_db()
    assert correction.text == "It was nine months."
    assert client.get(url.replace("change/", "delete/")).status_code == 403
    client.post(url.replace("change/", "amend/"), {"text": "Nine months, not eight."})
    client.post(url.replace("change/", "withdraw/"), {"reason": "Superseded."})
    correction.refresh_from_db()
    assert correction.text == "Nine months, not eight." and correction.withdrawn_reason
    assert list(CorrectionRevision.objects.values_list("kind", flat=True)) == [
        "amended",
        "withdrawn",
    ]
