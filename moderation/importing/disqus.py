"""Disqus's XML export: <category>s, then every <thread> (an article), then every
<post> (a comment, pointing at its thread and parent by Disqus id)."""

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from articles.article_html import html_to_paragraphs
from moderation.importing.records import ImportedArticle, ImportedComment, ItemError
from moderation.importing.xml_stream import (
    attribute,
    child_text,
    children,
    parse_time,
    stream_items,
)


def _flag(element: Element, name: str) -> bool:
    return child_text(element, name).lower() == "true"


def _thread(element: Element) -> ImportedArticle:
    dsq_id = attribute(element, "id")
    if not dsq_id:
        raise ItemError("A <thread> without its dsq:id.")
    # The site's own identifier when it set one (disqus_identifier), else the page's URL.
    key = child_text(element, "id") or child_text(element, "link")
    if not key:
        raise ItemError(f"Thread {dsq_id}: neither an <id> nor a <link>.")
    author = children(element, "author")
    created = child_text(element, "createdAt")
    return ImportedArticle(
        key=key,
        title=child_text(element, "title") or key,
        url=child_text(element, "link"),
        author=child_text(author[0], "name") if author else "",
        published_at=parse_time(created, what=f"Thread {dsq_id}") if created else None,
        body_html=child_text(element, "message"),
    )


def _status(element: Element) -> str:
    if _flag(element, "isSpam"):
        return "spam"
    if _flag(element, "isDeleted"):
        return "rejected"
    # Older exports leave isApproved out: a post that was shown was approved.
    if child_text(element, "isApproved").lower() == "false":
        return "pending"
    return "approved"


def _post(element: Element, threads: dict[str, str]) -> ImportedComment:
    dsq_id = attribute(element, "id")
    if not dsq_id:
        raise ItemError("A <post> without its dsq:id.")
    thread = children(element, "thread")
    thread_id = attribute(thread[0], "id") if thread else ""
    if thread_id not in threads:
        raise ItemError(f"Post {dsq_id}: its thread {thread_id or '(none)'} is not in the file.")
    parent = children(element, "parent")
    author = children(element, "author")
    name = child_text(author[0], "name") if author else ""
    body = "\n\n".join(html_to_paragraphs(child_text(element, "message")))
    if not body:
        raise ItemError(f"Post {dsq_id}: no message.")
    return ImportedComment(
        key=dsq_id,
        article_key=threads[thread_id],
        parent_key=attribute(parent[0], "id") if parent else "",
        author_name=name or (child_text(author[0], "username") if author else "") or "Anonymous",
        author_email=child_text(author[0], "email") if author else "",
        body=body,
        created_at=parse_time(child_text(element, "createdAt"), what=f"Post {dsq_id}"),
        status=_status(element),
        ip_address=child_text(element, "ipAddress") or None,
    )


def read_disqus(source: BinaryIO) -> Iterator[ImportedArticle | ImportedComment | ItemError]:
    """Articles and comments in file order; an unusable one is yielded as its ItemError."""
    # Disqus id of each thread -> the article's key: one short entry per article.
    threads: dict[str, str] = {}
    for element in stream_items(
        source, root_name="disqus", item_parents={"disqus"}, item_names={"thread", "post"}
    ):
        try:
            if element.tag.endswith("thread"):
                article = _thread(element)
                threads[attribute(element, "id")] = article.key
                yield article
            else:
                yield _post(element, threads)
        except ItemError as error:
            yield error
