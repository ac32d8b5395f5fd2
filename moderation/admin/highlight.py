"""Why a comment was flagged: the words of its text that drove the classifier's scores.

Comment.explanation holds the top features per task, editor-readable strings such as
`word "casino"`, `fragment "http"` or `many links`, each with a weight. The words and
fragments are found back in the comment's text and wrapped in <mark>; everything else is
escaped, so reader text is never trusted as HTML.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

_QUOTED_FEATURE = re.compile(r'^(?P<kind>\w+)\s+"(?P<text>.+)"$', re.DOTALL)
# Word features match whole words; fragments (character n-grams) and links match anywhere.
# Other quoted features (the request's referrer or user agent) are not in the text.
_WORD_KINDS = {"word", "words", "bigram", "phrase"}
_SUBSTRING_KINDS = {"fragment", "link", "ngram"}
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Feature:
    task: str
    label: str
    weight: float
    kind: str
    text: str  # the quoted words, or "" for a signal such as "many links"


def explanation_features(explanation: Any) -> list[Feature]:
    """The features of every task, strongest first; malformed entries are skipped."""
    features: list[Feature] = []
    if not isinstance(explanation, dict):
        return features
    for task, entries in explanation.items():
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("feature"), str):
                continue
            try:
                weight = float(entry.get("weight", 0.0))
            except (TypeError, ValueError):
                continue
            label = entry["feature"]
            match = _QUOTED_FEATURE.match(label.strip())
            kind, text = (match["kind"].lower(), match["text"]) if match else ("signal", "")
            features.append(Feature(str(task), label, weight, kind, text))
    features.sort(key=lambda f: -abs(f.weight))
    return features


def _pattern(feature: Feature) -> re.Pattern[str] | None:
    text = feature.text
    truncated = text.endswith(_ELLIPSIS)  # long tokens are shown cut short
    if truncated:
        text = text[: -len(_ELLIPSIS)]
    if not text.strip():
        return None
    if feature.kind in _SUBSTRING_KINDS or (truncated and feature.kind in _WORD_KINDS):
        return re.compile(re.escape(text), re.IGNORECASE)
    if feature.kind in _WORD_KINDS:
        # A phrase's words may be separated by any run of white space in the text.
        escaped = r"\s+".join(re.escape(part) for part in text.split())
        return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)
    return None


def _spans(body: str, features: list[Feature]) -> list[tuple[int, int, Feature]]:
    """Non-overlapping spans of the body, each owned by the strongest feature covering it."""
    owner: list[Feature | None] = [None] * len(body)
    for feature in features:
        if feature.weight <= 0:
            continue  # features that argue against the flag are listed, not highlighted
        pattern = _pattern(feature)
        if pattern is None:
            continue
        for match in pattern.finditer(body):
            for i in range(match.start(), match.end()):
                current = owner[i]
                if current is None or feature.weight > current.weight:
                    owner[i] = feature
    spans: list[tuple[int, int, Feature]] = []
    start = 0
    while start < len(body):
        owned = owner[start]
        end = start + 1
        while end < len(body) and owner[end] is owned:
            end += 1
        if owned is not None:
            spans.append((start, end, owned))
        start = end
    return spans


def highlight_comment(body: str, explanation: Any) -> SafeString:
    """The comment's text, escaped, with the words behind its scores in <mark> elements."""
    parts: list[str] = []
    position = 0
    for start, end, feature in _spans(body, explanation_features(explanation)):
        parts.append(conditional_escape(body[position:start]))
        parts.append(
            format_html(
                '<mark class="desk-mark desk-mark-{}" title="{}: {} ({})">{}</mark>',
                feature.task,
                feature.task,
                feature.label,
                f"{feature.weight:+.2f}",
                body[start:end],
            )
        )
        position = end
    parts.append(conditional_escape(body[position:]))
    # Every part above is escaped or built by format_html.
    return mark_safe("".join(parts))  # noqa: S308
