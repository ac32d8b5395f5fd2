"""WordPress's export (WXR): an RSS <channel> of <item>s, each a post with its
<wp:comment>s inside it."""

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from articles.article_html import html_to_paragraphs
from moderation.importing.records import ImportedArticle, ImportedComment, ItemError
from moderation.importing.xml_stream import child_text, children, parse_time, stream_items

# wp:comment_approved -> our status ("trash" is what an editor threw away).
STATUSES = {"1": "approved", "0": "pending", "spam": "spam", "trash": "rejected"}
# Pingbacks and trackbacks are other sites' links, not readers' comments.
READER_COMMENT_TYPES = {"", "comment"}
ARTICLE_TYPES = {"post", "page"}


CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def _time(element: Element, name: str) -> str:
    """A GMT time, "" for WordPress's "0000-00-00 00:00:00" (never published)."""
    value = child_text(element, name)
    return "" if value.startswith("0000") else value


def _comment(element: Element, article_key: str) -> ImportedComment | None:
    comment_id = child_text(element, "comment_id")
    if not comment_id:
        raise ItemError(f"Article {article_key}: a comment without its comment_id.")
    if child_text(element, "comment_type") not in READER_COMMENT_TYPES:
        return None
    what = f"Comment {comment_id}"
    approved = child_text(element, "comment_approved")
    if approved not in STATUSES:
        raise ItemError(f"{what}: unknown approval state {approved!r}.")
    body = "\n\n".join(html_to_paragraphs(child_text(element, "comment_content")))
    if not body:
        raise ItemError(f"{what}: no text.")
    created = _time(element, "comment_date_gmt") or child_text(element, "comment_date")
    parent = child_text(element, "comment_parent")
    return ImportedComment(
        key=comment_id,
        article_key=article_key,
        parent_key="" if parent in ("", "0") else parent,
        author_name=child_text(element, "comment_author") or "Anonymous",
        author_email=child_text(element, "comment_author_email"),
        body=body,
        created_at=parse_time(created, what=what),
        status=STATUSES[approved],
        ip_address=child_text(element, "comment_author_IP") or None,
    )


def _item(element: Element) -> ImportedArticle | None:
    if child_text(element, "post_type") not in ARTICLE_TYPES:
        return None  # attachments, menu items, revisions...
    key = child_text(element, "post_id")
    if not key:
        raise ItemError("An <item> without its wp:post_id.")
    published = _time(element, "post_date_gmt")
    comments = [_comment(c, key) for c in children(element, "comment")]
    return ImportedArticle(
        key=key,
        title=child_text(element, "title") or key,
        url=child_text(element, "link"),
        author=child_text(element, "creator"),
        published_at=parse_time(published, what=f"Article {key}") if published else None,
        body_html=(element.findtext(CONTENT) or "").strip(),
        comments=[c for c in comments if c is not None],
    )


def read_wxr(source: BinaryIO) -> Iterator[ImportedArticle | ItemError]:
    """Each post with its comments; an unusable one is yielded as its ItemError."""
    for element in stream_items(
        source, root_name="rss", item_parents={"channel"}, item_names={"item"}
    ):
        try:
            article = _item(element)
        except ItemError as error:
            yield error
            continue
        if article is not None:
            yield article
