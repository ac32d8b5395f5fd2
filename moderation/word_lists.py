"""The word lists' rule: a banned term rejects a comment, a suspect one holds it.

The terms are compiled once per process (moderation.classifier.terms) and compiled again
when the lists change: each batch asks the database for one small stamp (how many terms,
when one last changed), so an editor's change applies to the next comment scored, in
every worker, without a restart or a shared cache.
"""

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max

from articles.models import Article
from moderation.classifier.terms import Matches, Term, TermMatch, TermMatcher
from moderation.models import Comment, WordListTerm
from moderation.policy import RuleHit

logger = logging.getLogger(__name__)

RULE = "word_list"
# A comment full of banned words needs no more than a few reasons.
MAX_HITS = 5
MATCHED_SHOWN = 60
TIMED_OUT = "word list timed out"

Stamp = tuple[int, datetime | None]


@dataclass
class CompiledLists:
    """The site's list, and each section's list beside the site's, as one matcher each."""

    stamp: Stamp
    site: TermMatcher
    section_terms: dict[int, list[Term]]
    sections: dict[int, TermMatcher] = field(default_factory=dict)

    def for_section(self, section_id: int | None) -> TermMatcher:
        terms = self.section_terms.get(section_id) if section_id is not None else None
        if section_id is None or not terms:
            return self.site
        matcher = self.sections.get(section_id)
        if matcher is None:
            matcher = self.sections[section_id] = _matcher([*self.site.terms, *terms])
        return matcher


def _matcher(terms: list[Term]) -> TermMatcher:
    matcher = TermMatcher(terms)
    for term, reason in matcher.refused:
        logger.error("Word list term %r left out: %s", term.pattern, reason)
    return matcher


_compiled: CompiledLists | None = None


def word_list_stamp() -> Stamp:
    """What changes whenever a term is added, edited or deleted; one query."""
    found = WordListTerm.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    return found["count"], found["changed"]


def compiled_word_lists() -> CompiledLists:
    """The lists as this process compiled them, compiled again if they changed since."""
    global _compiled
    stamp = word_list_stamp()
    compiled = _compiled
    if compiled is not None and compiled.stamp == stamp:
        return compiled
    # Read after the stamp: a change in between makes the next batch compile again.
    site: list[Term] = []
    by_section: dict[int, list[Term]] = defaultdict(list)
    rows = WordListTerm.objects.values_list(
        "pattern", "kind", "is_regex", "section_id", "section__name"
    )
    for pattern, kind, is_regex, section_id, section_name in rows:
        banned = kind == WordListTerm.Kind.BANNED
        term = Term(pattern, "banned" if banned else "suspect", is_regex, section_name or "")
        (site if section_id is None else by_section[section_id]).append(term)
    compiled = _compiled = CompiledLists(stamp, _matcher(site), dict(by_section))
    return compiled


def _shown(text: str) -> str:
    return text if len(text) <= MATCHED_SHOWN else text[: MATCHED_SHOWN - 1] + "…"


def _hit(match: TermMatch) -> RuleHit:
    term = match.term
    reason = f"{term.kind} term '{_shown(term.pattern)}'"
    if term.list_name:
        reason += f" on the {term.list_name} list"
    if match.matched != term.pattern:
        reason += f" (matched '{_shown(match.matched)}')"
    return RuleHit(rule=RULE, action="reject" if term.kind == "banned" else "hold", reason=reason)


def _hits(comment_id: int | None, matches: Matches) -> list[RuleHit]:
    # Banned terms first: they decide, and the reasons shown are capped.
    ordered = sorted(matches.found, key=lambda match: match.term.kind != "banned")
    hits = [_hit(match) for match in ordered[:MAX_HITS]]
    if matches.timed_out:
        logger.warning(
            "Word list timed out on comment %s: %s",
            comment_id,
            ", ".join(term.pattern for term in matches.timed_out),
        )
        hits.append(RuleHit(rule=RULE, action="hold", reason=TIMED_OUT))
    return hits


def word_list_hits(comments: Sequence[Comment]) -> Mapping[int, list[RuleHit]]:
    """The rule (see moderation.rules): each comment's banned and suspect terms, from
    the site's list and its article's section's."""
    lists = compiled_word_lists()
    sections: dict[int, int] = {}
    if lists.section_terms:
        sections = dict(
            Article.objects.filter(pk__in={c.article_id for c in comments})
            .order_by()
            .values_list("pk", "section_id")
        )
    found = {}
    for comment in comments:
        hits = _find(lists, comment.body, sections.get(comment.article_id), comment.pk)
        if hits:
            found[comment.pk] = hits
    return found


def word_list_try(*, text: str, section_id: int | None = None) -> list[RuleHit]:
    """What the lists would say of a text on an article of this section (None: of no
    section), as scoring would: for editors trying a term before trusting it."""
    return _find(compiled_word_lists(), text, section_id, None)


def _find(
    lists: CompiledLists, text: str, section_id: int | None, comment_id: int | None
) -> list[RuleHit]:
    matcher = lists.for_section(section_id)
    return _hits(comment_id, matcher.find(text)) if len(matcher) else []
