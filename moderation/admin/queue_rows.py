"""What one row of the queue shows: the comment as readers wrote it, its scores and why.

A row must be readable at 1280 px without opening the comment: the text (whole, or its
first QUEUE_EXCERPT_CHARS characters with "more"), the article, the parent for a reply,
each task's score and the top reasons in words. Model versions live on the comment's page.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from moderation.admin.highlight import explanation_features
from moderation.models import Comment, scored_tasks
from moderation.policy import ModerationPolicy
from moderation.section_policy import comment_policy

QUEUE_EXCERPT_CHARS = 400
PARENT_QUOTE_CHARS = 160
WHY_SHOWN = 3

# The bar's colour for each of the policy's bands.
_BAR_LEVELS = {"low": "low", "held": "mid", "high": "high"}


def _band(policy: ModerationPolicy, task: str, score: float) -> str:
    """The policy's band for a task's score; a task without bands of its own is "high"
    when the policy says yes to it."""
    banded = getattr(policy, f"{task}_band", None)
    if callable(banded):
        return str(banded(score))
    try:
        return "high" if policy.says_yes(task, score) else "low"
    except KeyError:
        return "low"


def score_bar(comment: Comment, task: str, policy: ModerationPolicy | None = None) -> SafeString:
    """The score's bar, coloured by the band it falls in under the comment's section's
    policy (the thresholds that decided it)."""
    score = getattr(comment, f"{task}_score", None)
    if score is None:
        return format_html('<span class="desk-unscored" title="{}">–</span>', _("not scored yet"))
    policy = policy or comment_policy(comment)
    level = _BAR_LEVELS.get(_band(policy, task, score), "low")
    return format_html(
        '<span class="desk-bar desk-bar-{} desk-bar-{}" title="{} score {} ({}\'s policy)">'
        '<span style="width:{}%"></span></span> <span class="desk-score">{}</span>',
        task,
        level,
        task,
        f"{score:.2f}",
        policy.scope,
        f"{score * 100:.0f}",
        f"{score:.2f}",
    )


def scores_cell(comment: Comment) -> SafeString:
    """One labelled bar per task the registry knows, then the top reasons in words."""
    policy = comment_policy(comment)
    bars = format_html_join(
        "",
        '<span class="desk-score-line" data-task="{}"><span class="desk-task">{}</span> {}</span>',
        ((task, task, score_bar(comment, task, policy)) for task in scored_tasks()),
    )
    reasons = why_reasons(comment, policy)
    why = (
        format_html(
            '<ul class="desk-why">{}</ul>',
            format_html_join("", "<li><bdi>{}</bdi></li>", ((r,) for r in reasons)),
        )
        if reasons
        else ""
    )
    return format_html("{}{}", bars, why)


def _flagged_tasks(comment: Comment, policy: ModerationPolicy) -> set[str]:
    """The tasks whose score is above the policy's low band (all, when none is)."""
    tasks = scored_tasks()
    flagged = {
        task
        for task in tasks
        if (score := getattr(comment, f"{task}_score", None)) is not None
        and _band(policy, task, score) != "low"
    }
    return flagged or set(tasks)


def why_reasons(comment: Comment, policy: ModerationPolicy) -> list[str]:
    """The rules' reasons, then the strongest words or signals behind the scores that
    flagged the comment (a low spoiler score's words explain nothing)."""
    reasons = [str(hit.get("reason", "")) for hit in comment.rule_hits if isinstance(hit, dict)]
    flagged = _flagged_tasks(comment, policy)
    for feature in explanation_features(comment.explanation):
        if len(reasons) >= WHY_SHOWN:
            break
        if feature.weight <= 0 or feature.task not in flagged:
            continue
        what = f"“{feature.text}”" if feature.text else feature.label
        reasons.append(f"{feature.task}: {what}")
    return [reason for reason in reasons if reason][:WHY_SHOWN]


def comment_cell(comment: Comment) -> SafeString:
    """The text (or its start with "more"), the parent quoted for a reply, the article."""
    body = comment.body
    if len(body) > QUEUE_EXCERPT_CHARS:
        # Opened, the whole text replaces the excerpt (no JavaScript needed).
        text = format_html(
            '<details class="desk-more"><summary><bdi>{}…</bdi> '
            '<span class="desk-more-link">{}</span></summary><bdi>{}</bdi></details>',
            Truncator(body).chars(QUEUE_EXCERPT_CHARS, truncate=""),
            _("more"),
            body,
        )
    else:
        text = format_html("<bdi>{}</bdi>", body)
    parent = comment.parent
    quoted = (
        format_html(
            '<blockquote class="desk-parent"><span class="desk-muted">{}</span> '
            "<bdi>{}</bdi></blockquote>",
            _("In reply to %(name)s:") % {"name": parent.author_name},
            Truncator(parent.body).chars(PARENT_QUOTE_CHARS),
        )
        if parent is not None
        else ""
    )
    return format_html(
        '{}<div class="desk-text">{}</div><div class="desk-muted desk-on">{} {} '
        '<span class="desk-article" title="{}">{}</span> · {}</div>',
        quoted,
        text,
        author_line(comment),
        _("on"),
        comment.article.title,
        Truncator(comment.article.title).chars(70),
        comment.article.section.name,
    )


def author_line(comment: Comment) -> SafeString:
    """Who wrote it, and what people decided on their earlier comments (by email)."""
    return format_html(
        '<strong class="desk-author"><bdi>{}</bdi></strong> <span>{}</span> '
        '<span class="desk-track" title="{}">✓{} ✗{}</span>',
        comment.author_name,
        comment.author_email or _("no email"),
        _("the same email: approved, rejected"),
        getattr(comment, "author_approved_count", 0),
        getattr(comment, "author_rejected_count", 0),
    )
