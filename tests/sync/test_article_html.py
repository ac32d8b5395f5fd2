import pytest

from articles.article_html import UnsafeHtml, article_body


def test_it_keeps_one_paragraph_per_block_and_decodes_entities() -> None:
    html = "<h2>Fish &amp; chips</h2><p>One <b>bold</b><br>line</p><div>Two<p>three</p></div>"
    assert article_body(html, is_html=True) == "Fish & chips\n\nOne bold line\n\nTwo\n\nthree"


def test_it_drops_styles_with_their_content() -> None:
    assert article_body("<style>p{color:red}</style><p>Text</p>", is_html=True) == "Text"


def test_it_keeps_markup_in_plain_text_as_text() -> None:
    assert article_body("a <b>b</b>\nc\n\n\nd", is_html=False) == "a <b>b</b> c\n\nd"


@pytest.mark.parametrize(
    ("html", "named"),
    [
        ("<p>Hi</p><script>alert(1)</script>", "<script>"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<a href=" JavaScript:alert(1)">x</a>', "javascript: link"),
        ('<iframe src="https://example.com"></iframe>', "<iframe>"),
    ],
)
def test_it_refuses_active_content_and_names_it(html: str, named: str) -> None:
    with pytest.raises(UnsafeHtml, match=named):
        article_body(html, is_html=True)
