"""Anchor a reader's quote in the article text as the server has it.

The browser sends the selected words with their paragraph and offset; the server finds
them in its own copy of the paragraph and takes the surrounding context from there, so
what the desk sees is exact even if the page was old or the client was not ours.
"""

from collections.abc import Sequence
from dataclasses import dataclass

CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Anchor:
    paragraph_index: int
    offset: int
    prefix: str
    suffix: str


def _occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def anchor_quote(
    paragraphs: Sequence[str],
    quote: str,
    *,
    paragraph_index: int | None = None,
    offset: int | None = None,
) -> Anchor | None:
    """Where `quote` is in the article: the paragraph the reader named first, then any.

    Of several occurrences in a paragraph, the one nearest the reader's offset wins.
    None when the words are not in the article (it may have been edited since).
    """
    if not quote:
        return None
    order = list(range(len(paragraphs)))
    if paragraph_index is not None and 0 <= paragraph_index < len(paragraphs):
        order.remove(paragraph_index)
        order.insert(0, paragraph_index)
    for index in order:
        text = paragraphs[index]
        starts = _occurrences(text, quote)
        if not starts:
            continue
        hint = offset if index == paragraph_index and offset is not None else 0
        start = min(starts, key=lambda s: abs(s - hint))
        end = start + len(quote)
        return Anchor(
            paragraph_index=index,
            offset=start,
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
        )
    return None
