import pytest


@pytest.mark.django_db(transaction=True)
def test_a_reader_opens_an_article_from_the_front_page(live_server, page, article):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=article.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == article.title
