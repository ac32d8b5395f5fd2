"""An article's HTML from a publisher's CMS or feed, turned into our paragraphs.

Articles are stored as plain paragraphs (correction requests point at them by index),
so only the text of the HTML is kept. It is sanitised first with nh3 (the maintained
successor of bleach), and HTML that carries active content (scripts, frames, event
handlers, javascript: links) is refused outright: a CMS sending that is misconfigured,
and saying so beats publishing a silently different text.
"""

from html.parser import HTMLParser

import nh3

from newsroom.lib.text import clean_text

# Elements whose end closes a paragraph of the article.
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "blockquote", "pre", "li", "h1", "h2", "h3", "h4"}
    | {"h5", "h6", "figcaption", "td", "th", "dd", "dt"}
)
# Kept by the sanitiser only for their text; none of them makes a paragraph.
INLINE_TAGS = frozenset({"a", "b", "strong", "i", "em", "span", "q", "cite", "sub", "sup"})
# Dropped with everything inside them: none of their content is article text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
# Any of these in a synced body is refused (see the module's docstring).
ACTIVE_TAGS = frozenset({"script", "iframe", "object", "embed", "applet", "frame", "frameset"})
_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class UnsafeHtml(ValueError):
    """The HTML carries active content; the message names the first found."""


class _ActiveContentFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found:
            return
        if tag in ACTIVE_TAGS:
            self.found = f"<{tag}>"
            return
        for name, value in attrs:
            squeezed = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.found = f"the {name} attribute"
            elif squeezed.startswith(_ACTIVE_SCHEMES):
                self.found = f"a {squeezed.split(':', 1)[0]}: link"
            if self.found:
                return


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []

    def _close(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._close()
        elif tag == "br":
            self._current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._close()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._close()


def check_active_content(html: str) -> None:
    """Raise UnsafeHtml when the HTML holds anything that would run in a browser."""
    finder = _ActiveContentFinder()
    finder.feed(html)
    finder.close()
    if finder.found:
        raise UnsafeHtml(f"The HTML holds {finder.found}; send the article without it.")


def html_to_paragraphs(html: str) -> list[str]:
    """The text of sanitised HTML, one string per block element, white space collapsed."""
    safe = nh3.clean(
        html,
        tags=set(BLOCK_TAGS | INLINE_TAGS | {"br"}),
        attributes={},
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        link_rel=None,
    )
    parser = _Paragraphs()
    parser.feed(safe)
    parser.close()
    return parser.paragraphs


def text_to_paragraphs(text: str) -> list[str]:
    """Plain text: paragraphs are separated by blank lines, lines within one are joined."""
    blocks = clean_text(text).split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def article_body(value: str, *, is_html: bool) -> str:
    """The body as the Article stores it: paragraphs separated by blank lines."""
    if is_html:
        check_active_content(value)
        paragraphs = html_to_paragraphs(clean_text(value))
    else:
        paragraphs = text_to_paragraphs(value)
    return "\n\n".join(paragraphs)
