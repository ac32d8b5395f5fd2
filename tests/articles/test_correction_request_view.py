from django.test import Client

from articles.models import CorrectionRequest

JSON = {"Accept": "application/json"}


def _url(article):
    return f"/articles/{article.slug}/suggest-correction/"


def test_the_dialog_stores_the_quote_with_the_servers_context(client, article):
    # The client's context is not trusted: the server takes it from its own text.
    response = client.post(
        _url(article),
        {
            "quote": "eight months",
            "prefix": "forged",
            "suffix": "forged",
            "paragraph_index": "1",
            "offset": "13",
            "suggestion": "It took nine months.",
            "email": "reader@example.org",
        },
        headers=JSON,
    )
    assert response.status_code == 201
    assert response.json()["message"].startswith("Thank you")
    request = CorrectionRequest.objects.get()
    assert (request.quote, request.prefix, request.suffix) == ("eight months", "Repairs took ", ".")
    assert (request.paragraph_index, request.offset) == (1, 13)
    assert request.paragraph_text == "Repairs took eight months."
    assert request.email == "reader@example.org" and request.ip_address == "127.0.0.1"


def test_a_quote_whose_paragraph_moved_is_found_elsewhere(client, article):
    client.post(
        _url(article),
        {"quote": "The mayor", "paragraph_index": "0", "offset": "0", "suggestion": "Deputy."},
        headers=JSON,
    )
    request = CorrectionRequest.objects.get()
    assert (request.paragraph_index, request.offset, request.suffix) == (2, 0, " attended.")


def test_a_quote_not_in_the_article_is_refused(client, article):
    response = client.post(
        _url(article), {"quote": "nine months", "suggestion": "Fine."}, headers=JSON
    )
    assert response.status_code == 400
    assert "could not find these words" in response.json()["errors"]["quote"][0]
    assert CorrectionRequest.objects.count() == 0


def test_without_a_quote_it_stores_the_suggestion_alone(client, article):
    response = client.post(
        _url(article), {"suggestion": "The photo caption is wrong."}, headers=JSON
    )
    assert response.status_code == 201
    request = CorrectionRequest.objects.get()
    assert request.quote == "" and request.paragraph_index is None


def test_a_missing_suggestion_and_a_bad_email_are_field_errors(client, article):
    response = client.post(_url(article), {"suggestion": " ", "email": "nope"}, headers=JSON)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["suggestion"] == ["Tell us what is wrong and what it should say."]
    assert "email" in errors


def test_the_page_works_without_javascript(client, article):
    page = client.get(_url(article))
    assert page.status_code == 200 and "Suggest a correction" in page.text
    bad = client.post(_url(article), {"suggestion": ""})
    assert bad.status_code == 400
    assert "Tell us what is wrong and what it should say." in bad.text
    good = client.post(_url(article), {"quote": "eight months", "suggestion": "Nine."})
    assert good.status_code == 303 and good["Location"] == f"/articles/{article.slug}/"
    assert "An editor will read your suggestion" in client.get(good["Location"]).text
    assert CorrectionRequest.objects.get().paragraph_index == 1


def test_it_needs_a_csrf_token(article):
    response = Client(enforce_csrf_checks=True).post(_url(article), {"suggestion": "x"})
    assert response.status_code == 403


def test_too_many_requests_are_answered_politely(client, article, settings):
    settings.CORRECTION_RATE_LIMIT = "1/minute"
    client.post(_url(article), {"suggestion": "One."}, headers=JSON)
    response = client.post(_url(article), {"suggestion": "Two."}, headers=JSON)
    assert response.status_code == 429 and "Retry-After" in response
    assert CorrectionRequest.objects.count() == 1
