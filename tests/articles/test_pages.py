import pytest

from articles.models import Correction


def test_the_front_page_lists_articles(client, article):
    response = client.get("/")
    assert response.status_code == 200
    assert article.title in response.text


def test_an_article_shows_only_approved_comments_and_escapes_them(client, article, make_comment):
    make_comment(body="<script>alert('x')</script> approved", status="approved")
    make_comment(body="still pending", status="pending")
    make_comment(body="buy pills", status="spam")
    response = client.get(f"/articles/{article.slug}/")
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; approved" in response.text
    assert "<script>alert" not in response.text
    assert "still pending" not in response.text and "buy pills" not in response.text
    assert "Comments (1)" in response.text


def test_a_spoiler_is_collapsed(client, article, make_comment):
    make_comment(body="The captain dies.", status="approved", is_spoiler=True)
    response = client.get(f"/articles/{article.slug}/")
    assert "This comment contains spoilers. Click here if you want to read." in response.text


def test_corrections_appear_on_the_article_and_the_corrections_page(client, article):
    Correction.objects.create(article=article, text="Repairs took nine months.")
    assert "Repairs took nine months." in client.get(f"/articles/{article.slug}/").text
    assert "Repairs took nine months." in client.get("/corrections/").text


def test_an_unknown_article_is_404(client, db):
    assert client.get("/articles/no-such-thing/").status_code == 404


READER_ROUTES = {
    "/": {"GET", "HEAD"},
    "/articles/metro-bridge-reopens/": {"GET", "HEAD"},
    "/articles/metro-bridge-reopens/comments/": {"POST"},
    "/articles/metro-bridge-reopens/suggest-correction/": {"GET", "POST"},
    "/comments/{comment}/report/": {"GET", "POST"},
    "/corrections/": {"GET", "HEAD"},
}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize(("route", "allowed"), READER_ROUTES.items())
def test_reader_routes_refuse_methods_they_do_not_serve(
    client, article, make_comment, route, allowed, method
):
    comment = make_comment(status="approved")
    response = getattr(client, method)(route.format(comment=comment.pk))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == allowed
