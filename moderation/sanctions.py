"""Bans and suspensions of commenters: imposed and lifted by moderators, applied at scoring.

A sanction names one address or a whole email domain (and its subdomains). Its row is
its own audit record: who imposed it, when and why; who lifted it, when and why. The
sanction rule rejects a sanctioned commenter's new comments as they are scored, with
the sanction's reason on the comment for moderators; the reader is told nothing more
than any reader whose comment awaits moderation.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from moderation.models import SANCTION_REASON_MAX_LENGTH, Comment, CommenterSanction
from moderation.policy import RuleHit
from moderation.selectors import email_domains, sanction_active_q, sanctions_matching
from moderation.trust import commenter_key
from newsroom.lib.text import clean_text

Kind = CommenterSanction.Kind

# Webmail domains shared by a great many unrelated readers: banning one would silence
# them all, so it is refused (ban the address instead).
SHARED_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "mail.com",
        "yandex.ru",
        "mail.ru",
        "ukr.net",
        "i.ua",
        "meta.ua",
    }
)

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class SanctionConflict(Exception):
    """Someone lifted the sanction first; carries it as it is now."""

    def __init__(self, sanction: CommenterSanction) -> None:
        super().__init__(f"Sanction {sanction.pk} is already lifted.")
        self.sanction = sanction


def _domain(raw: str) -> tuple[str, str | None]:
    """The domain in its ASCII form, or an error message."""
    text = raw.strip().lower().removeprefix("@").rstrip(".")
    try:
        ascii_form = text.encode("idna").decode("ascii")
    except UnicodeError:
        return text, f"“{raw}” is not a domain name."
    labels = ascii_form.split(".")
    if len(ascii_form) > 253 or len(labels) < 2 or not all(_LABEL.match(x) for x in labels):
        return ascii_form, f"“{raw}” is not a domain name such as spam.example."
    if ascii_form in SHARED_DOMAINS:
        return ascii_form, (
            f"{ascii_form} is shared by a great many readers; ban the address instead."
        )
    return ascii_form, None


def _target(email: str, domain: str, errors: dict[str, list[str]]) -> tuple[str, str]:
    """The normalised address or domain to match, errors added for what cannot be used."""
    email = clean_text(email).strip().lower()
    domain = clean_text(domain)
    if bool(email) == bool(domain.strip()):
        errors.setdefault("email", []).append("Give one email address or one domain.")
        return email, domain
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(f"“{email}” is not an email address.")
            return email, ""
        if not Comment.objects.filter(author_email=email).exists():
            errors.setdefault("email", []).append(
                f"No comment was ever posted from {email}: there is nobody to sanction."
            )
        return email, ""
    domain, problem = _domain(domain)
    if problem:
        errors.setdefault("domain", []).append(problem)
        return "", domain
    at_domain = Q(author_email__endswith=f"@{domain}") | Q(author_email__endswith=f".{domain}")
    if not Comment.objects.filter(at_domain).exists():
        errors.setdefault("domain", []).append(
            f"No comment was ever posted from an address at {domain}: there is nobody to sanction."
        )
    return "", domain


def _reason(reason: str, errors: dict[str, list[str]], *, required: bool = True) -> str:
    reason = clean_text(reason)
    # Invisible characters alone (a zero-width space) say nothing either.
    if required and not any(ch.isprintable() and not ch.isspace() for ch in reason):
        errors.setdefault("reason", []).append("Say why: the reason is kept with the sanction.")
    if len(reason) > SANCTION_REASON_MAX_LENGTH:
        errors.setdefault("reason", []).append(
            f"Keep the reason under {SANCTION_REASON_MAX_LENGTH} characters."
        )
    return reason


def commenter_sanction_impose(
    *,
    kind: str,
    actor: AbstractBaseUser,
    reason: str,
    email: str = "",
    domain: str = "",
    until: datetime | None = None,
) -> CommenterSanction:
    """Ban (no end) or suspend (until a time in the future) an address or a domain.

    Refused with field errors, nothing written: no such commenter, a malformed or shared
    domain, an empty reason, a suspension without a future end, a ban with one, or a
    sanction already in force on the same address or domain.
    """
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [f"Choose one of: {', '.join(Kind.values)}."]
    email, domain = _target(email, domain, errors)
    reason = _reason(reason, errors)
    if kind == Kind.SUSPENSION and (until is None or until <= timezone.now()):
        errors["until"] = ["A suspension ends in the future: pick a later time."]
    if kind == Kind.BAN and until is not None:
        errors["until"] = ["A ban has no end: suspend the commenter instead."]
    if errors:
        raise ValidationError(errors)
    field = "email" if email else "domain"
    in_force = CommenterSanction.objects.filter(
        sanction_active_q(timezone.now()), match_email=email, match_domain=domain
    )
    try:
        with transaction.atomic():
            existing = in_force.first()
            if existing is None:
                return CommenterSanction.objects.create(  # type: ignore[misc]  # AUTH_USER_MODEL
                    kind=kind,
                    match_email=email,
                    match_domain=domain,
                    until=until,
                    reason=reason,
                    created_by=actor,
                )
    except IntegrityError:  # another moderator's ban of the same commenter came first
        existing = in_force.first()
    if existing is None:  # pragma: no cover - a ban made and lifted between the two reads
        raise ValidationError({field: ["Someone else changed this commenter's sanctions."]})
    now = existing.get_kind_display().lower()
    raise ValidationError(
        {field: [f"{existing.target} is already under a {now} (#{existing.pk})."]}
    )


def commenter_ban(
    *, actor: AbstractBaseUser, reason: str, email: str = "", domain: str = ""
) -> CommenterSanction:
    """Ban an address, or every address at a domain, for good (until lifted)."""
    return commenter_sanction_impose(
        kind=Kind.BAN, actor=actor, reason=reason, email=email, domain=domain, until=None
    )


def commenter_suspend(
    *, actor: AbstractBaseUser, reason: str, until: datetime, email: str = "", domain: str = ""
) -> CommenterSanction:
    """Suspend an address or a domain until a time in the future; it then ends by itself."""
    return commenter_sanction_impose(
        kind=Kind.SUSPENSION, actor=actor, reason=reason, email=email, domain=domain, until=until
    )


def commenter_sanction_lift(
    *, sanction_id: int, actor: AbstractBaseUser, reason: str = ""
) -> CommenterSanction:
    """Lift a sanction, once; the row keeps who lifted it, when and why.

    Raises CommenterSanction.DoesNotExist, or SanctionConflict if it was lifted already.
    """
    errors: dict[str, list[str]] = {}
    reason = _reason(reason, errors, required=False)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lifted = CommenterSanction.objects.filter(pk=sanction_id, lifted_at__isnull=True).update(
            lifted_by=actor, lifted_at=timezone.now(), lift_reason=reason
        )
        sanction = CommenterSanction.objects.select_related("created_by", "lifted_by").get(
            pk=sanction_id
        )
    if not lifted:
        raise SanctionConflict(sanction)
    return sanction


def sanction_reason(sanction: CommenterSanction) -> str:
    """What a moderator reads on a comment the sanction rejected."""
    who = "" if sanction.match_email else f" (domain {sanction.match_domain})"
    if sanction.kind == Kind.BAN:
        return f"banned{who}: {sanction.reason}"
    until = timezone.localtime(sanction.until).strftime("%d %b %Y %H:%M")
    return f"suspended{who} until {until}: {sanction.reason}"


def sanction_rule(comments: Sequence[Comment]) -> Mapping[int, list[RuleHit]]:
    """Reject the comments of commenters under a ban or suspension (one query per batch)."""
    keys = {comment.pk: commenter_key(comment) for comment in comments}
    sanctions = sanctions_matching(emails=[key for key in keys.values() if key])
    if not sanctions:
        return {}
    # A ban says more than a suspension; the oldest first among equals.
    sanctions.sort(key=lambda s: s.kind != Kind.BAN)
    hits: dict[int, list[RuleHit]] = {}
    for pk, key in keys.items():
        if key is None:
            continue
        domains = set(email_domains(key))
        for sanction in sanctions:
            if sanction.match_email == key or sanction.match_domain in domains:
                hits[pk] = [
                    RuleHit(rule="sanction", action="reject", reason=sanction_reason(sanction))
                ]
                break
    return hits
