"""Campaigns: near-identical comments from many authors, found while scoring, decided as one."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.campaigns.detection import campaign_rule
from moderation.campaigns.services import campaign_prune_signatures
from moderation.comment_scoring import active_models as loaded
from moderation.comment_scoring import score_comment, score_comments
from moderation.models import (
    Comment,
    CommentCluster,
    CommentClusterMember,
    CommenterSanction,
    CommentSignature,
    ModerationEvent,
)
from moderation.policy import site_policy
from moderation.sanctions import commenter_ban, commenter_suspend
from moderation.services import comment_approve

# One talking point as a campaign posts it: casing, punctuation, a word or two swapped.
# (Transliteration and look-alike letters: tests/moderation/test_campaign_signature.py.)
PARAPHRASES = [
    "The new bridge is a waste of our money and the mayor knows it, vote him out in May.",
    "The NEW bridge is a waste of our money and the mayor knows it! Vote him out in May",
    "the new bridge is a waste of our cash and the mayor knows it - vote him out in may",
    "The new bridge is a total waste of our money, and the mayor knows it. Vote him out in May!",
    "The new bridge is a waste of our money and the mayor knows it; vote him out in May, please.",
    "The new bridge is a waste of your money and the mayor knows it, vote him out this May.",
]
UNRELATED = [
    "Trains cross the Dnipro again, about time after eight months of repairs.",
    "My daughter takes the metro every day, so this is good news for our family.",
    "Does anyone know whether the night buses will keep running on the old route?",
    "The photos of the opening ceremony are lovely, thank you for the report.",
    "I would like to see the cost of the repairs compared with the original estimate.",
    "Finally! Crossing the river by car took an hour every morning this spring.",
]


@pytest.fixture
def campaign(make_comment, active_models):
    """Post the paraphrases a minute apart from six authors and score each as it comes."""

    def post(texts=PARAPHRASES, *, same_author=False, start=None, names="Reader"):
        start = start or timezone.now() - timedelta(minutes=30)
        comments = []
        for n, text in enumerate(texts):
            author = 0 if same_author else n
            comment = make_comment(
                text,
                author_name=f"{names} {author}",
                author_email=f"{names.lower()}{author}@mail.example",
                created_at=start + timedelta(minutes=n),
                ip_address=f"198.51.{100 + n}.7",
            )
            score_comment(comment.pk)
            comments.append(comment)
        for comment in comments:
            comment.refresh_from_db()
        return comments

    return post


def _page(client, cluster):
    return client.get(f"/admin/moderation/commentcluster/{cluster.pk}/change/")


def _seen(comments):
    return {f"seen-{c.pk}": c.status for c in comments if c.status in ("pending", "approved")}


def test_five_paraphrases_from_five_authors_form_a_campaign_and_later_ones_are_held(campaign):
    comments = campaign()
    assert [c.status for c in comments] == ["approved"] * 4 + ["pending"] * 2
    cluster = CommentCluster.objects.get()
    assert (cluster.size, cluster.authors, cluster.state) == (6, 6, "open")
    fifth, sixth = comments[4], comments[5]
    reason = "campaign: 5 near-identical comments from 5 authors in 4 min"
    assert fifth.rule_hits == [{"rule": "campaign", "action": "hold", "reason": reason}]
    assert fifth.events.get(action="scored").reason_text == reason
    assert sixth.rule_hits[0]["reason"] == (
        "campaign: 6 near-identical comments from 6 authors in 5 min"
    )
    # The earlier members keep their status: listed with the cluster, not unpublished.
    assert set(cluster.members.values_list("comment_id", flat=True)) == {c.pk for c in comments}
    assert list(cluster.members.filter(held=True).values_list("comment_id", flat=True)) == [
        fifth.pk,
        sixth.pk,
    ]


def test_the_same_text_from_one_author_is_not_a_campaign(campaign):
    comments = campaign([PARAPHRASES[0]] * 6, same_author=True)
    assert {c.status for c in comments} == {"approved"}
    assert all(c.rule_hits == [] for c in comments)
    assert CommentCluster.objects.get().authors == 1


def test_unrelated_comments_never_cluster(campaign):
    comments = campaign(UNRELATED)
    assert {c.status for c in comments} == {"approved"}
    assert not CommentCluster.objects.exists()
    assert CommentSignature.objects.filter(comment__in=comments).count() == 20 * len(comments)


def test_copies_outside_the_window_are_not_a_campaign(campaign, settings):
    settings.CAMPAIGN_WINDOW_MINUTES = 60
    start = timezone.now() - timedelta(days=1)
    for n, text in enumerate(PARAPHRASES):
        campaign([text], start=start + timedelta(hours=2 * n), names=f"Reader{n}")
    assert CommentSignature.objects.count() == 20 * len(PARAPHRASES), "each was compared"
    assert not CommentCluster.objects.exists()
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}


def test_a_batch_costs_the_rule_the_same_queries_as_one_comment(make_comment, active_models):
    start = timezone.now() - timedelta(minutes=30)

    def post(texts, offset):
        return [
            make_comment(
                text,
                author_name=f"Reader {offset + n}",
                author_email=f"reader{offset + n}@mail.example",
                created_at=start + timedelta(minutes=n),
            )
            for n, text in enumerate(texts)
        ]

    def queries(comments):
        with CaptureQueriesContext(connection) as captured:
            campaign_rule(comments)
        return len(captured)

    assert queries(post(UNRELATED[:1], 100)) == queries(post(UNRELATED[1:], 200))
    batch = post(PARAPHRASES, 0)
    scored = score_comments(batch, loaded(), site_policy())
    assert len(scored) == len(PARAPHRASES)
    cluster = CommentCluster.objects.get()
    assert (cluster.size, cluster.authors) == (6, 6)
    # A sweep that finds the whole campaign at once holds all of its new members.
    statuses = Comment.objects.filter(pk__in=[c.pk for c in batch]).values_list("status")
    assert set(statuses) == {("pending",)}


def test_the_desk_shows_a_campaign_as_one_item_with_its_texts_side_by_side(
    client, moderator, campaign
):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    listing = client.get("/admin/moderation/commentcluster/").content.decode()
    assert f"/admin/moderation/commentcluster/{cluster.pk}/change/" in listing
    page = _page(client, cluster).content.decode()
    assert "Campaign near-identical" not in page
    assert "6 near-identical comments from 6 authors" in page
    for comment in comments:
        assert f'data-id="{comment.pk}" data-status="{comment.status}"' in page
    assert "Reject all (6)" in page and "Not a campaign" in page


def test_a_small_cluster_is_not_listed_in_the_desk(client, moderator, campaign):
    campaign(PARAPHRASES[:3])
    client.force_login(moderator)
    assert CommentCluster.objects.get().size == 3
    listing = client.get("/admin/moderation/commentcluster/").content.decode()
    assert "/admin/moderation/commentcluster/" + str(CommentCluster.objects.get().pk) not in listing


def test_reject_all_is_one_bulk_decision_with_an_event_per_comment(client, moderator, campaign):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    response = client.post(
        f"/admin/moderation/commentcluster/{cluster.pk}/decide/",
        {"action": "reject", **_seen(comments)},
    )
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"rejected"}
    events = ModerationEvent.objects.filter(action="rejected")
    assert sorted(events.values_list("comment_id", flat=True)) == sorted(c.pk for c in comments)
    assert {e.actor for e in events} == {moderator}
    assert set(events.values_list("reason_code", flat=True)) == {"duplicate"}
    cluster.refresh_from_db()
    assert (cluster.state, cluster.decided_by) == ("confirmed", moderator)


def test_spam_all_marks_every_comment_as_spam(client, moderator, campaign):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    client.post(
        f"/admin/moderation/commentcluster/{cluster.pk}/decide/",
        {"action": "spam", **_seen(comments)},
    )
    assert set(Comment.objects.values_list("status", flat=True)) == {"spam"}
    assert ModerationEvent.objects.filter(action="marked_spam").count() == len(comments)


def test_reject_all_changes_nothing_when_a_member_was_decided_meanwhile(
    client, moderator, editor, campaign
):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    seen = _seen(comments)  # the page as the moderator drew it
    comment_approve(comment_id=comments[5].pk, actor=editor, expected_status="pending")
    events_before = ModerationEvent.objects.count()
    client.force_login(moderator)
    response = client.post(
        f"/admin/moderation/commentcluster/{cluster.pk}/decide/", {"action": "reject", **seen}
    )
    assert response.status_code == 409
    assert f"#{comments[5].pk}" in response.content.decode()
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved"
    ] * 4 + ["pending", "approved"]
    assert ModerationEvent.objects.count() == events_before
    cluster.refresh_from_db()
    assert cluster.state == "open"


def test_reject_all_changes_nothing_when_a_comment_joined_since_the_page(
    client, moderator, campaign
):
    comments = campaign(PARAPHRASES[:5])
    cluster = CommentCluster.objects.get()
    seen = _seen(comments)
    campaign(PARAPHRASES[5:], names="Later")
    client.force_login(moderator)
    response = client.post(
        f"/admin/moderation/commentcluster/{cluster.pk}/decide/", {"action": "reject", **seen}
    )
    assert response.status_code == 409
    assert "joined this campaign" in response.content.decode()
    assert not Comment.objects.filter(status="rejected").exists()


def test_not_a_campaign_releases_the_held_comments_to_the_policy(client, moderator, campaign):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    response = client.post(
        f"/admin/moderation/commentcluster/{cluster.pk}/decide/", {"action": "dismiss"}
    )
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    released = ModerationEvent.objects.filter(reason_code="campaign_dismissed")
    assert sorted(released.values_list("comment_id", flat=True)) == [c.pk for c in comments[4:]]
    assert {e.to_status for e in released} == {"approved"}
    # Released by the policy, not decided by a person: no training label.
    assert not Comment.objects.filter(decided_at__isnull=False).exists()
    cluster.refresh_from_db()
    assert cluster.state == "dismissed"
    # Its later copies, even past the window, join it and are not held.
    later = campaign(PARAPHRASES[:2], start=timezone.now() + timedelta(hours=5), names="Tomorrow")
    assert {c.status for c in later} == {"approved"}
    assert CommentClusterMember.objects.filter(cluster=cluster).count() == 8


def test_actions_on_a_dismissed_campaign_change_nothing(client, moderator, campaign):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    client.post(f"/admin/moderation/commentcluster/{cluster.pk}/decide/", {"action": "dismiss"})
    events_before = ModerationEvent.objects.count()
    for action in ("reject", "spam", "dismiss"):
        response = client.post(
            f"/admin/moderation/commentcluster/{cluster.pk}/decide/",
            {"action": action, **_seen(Comment.objects.all())},
        )
        assert response.status_code == 409
        assert "not a campaign" in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert ModerationEvent.objects.count() == events_before
    assert len(comments) == 6


def test_bad_cluster_requests_are_refused_with_nothing_written(client, moderator, campaign):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    url = f"/admin/moderation/commentcluster/{cluster.pk}/decide/"
    client.force_login(moderator)
    events_before = ModerationEvent.objects.count()
    assert client.post(url, {"action": "approve", **_seen(comments)}).status_code == 400
    assert (
        client.post(url, {"action": "reject", f"seen-{comments[0].pk}": "gone"}).status_code == 400
    )
    assert client.post(url, {"action": "reject"}).status_code == 400
    assert client.post(url, {"action": "reject", "seen-999999": "pending"}).status_code == 400
    assert ModerationEvent.objects.count() == events_before
    assert CommentCluster.objects.get().state == "open"


def test_only_moderators_see_and_decide_campaigns(client, stranger, campaign):
    campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(stranger)
    assert client.get("/admin/moderation/commentcluster/").status_code == 302
    response = client.post(
        f"/admin/moderation/commentcluster/{cluster.pk}/decide/", {"action": "dismiss"}
    )
    assert response.status_code == 302
    assert CommentCluster.objects.get().state == "open"


def test_old_signatures_are_pruned_but_a_dismissed_campaigns_are_kept(campaign, moderator):
    from moderation.campaigns.services import cluster_dismiss

    old = campaign(PARAPHRASES, start=timezone.now() - timedelta(days=2))
    cluster_dismiss(cluster_id=CommentCluster.objects.get().pk, actor=moderator)
    unrelated = campaign(UNRELATED[:2], start=timezone.now() - timedelta(days=2), names="Other")
    recent = campaign(UNRELATED[2:3], names="Now")
    assert campaign_prune_signatures() == 20 * len(unrelated)
    kept = set(CommentSignature.objects.values_list("comment_id", flat=True))
    assert kept == {c.pk for c in old + recent}


def _ban_all(client, cluster, comments, reason="Coordinated bridge campaign"):
    """Post "ban all authors" as the page draws it: every member shown, with a reason."""
    seen = {f"seen-{c.pk}": c.status for c in comments}
    return client.post(
        f"/admin/moderation/commentcluster/{cluster.pk}/decide/",
        {"action": "ban", "reason": reason, **seen},
        follow=True,
    )


def test_ban_all_authors_bans_each_address_once_and_scoring_rejects_their_next_comment(
    client, moderator, campaign
):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    assert "Ban all authors (6)" in _page(client, cluster).content.decode()
    response = _ban_all(client, cluster, comments)
    assert response.status_code == 200
    assert "Ban all authors: 6 banned; 0 already banned" in response.content.decode()
    bans = CommenterSanction.objects.order_by("match_email")
    assert [b.match_email for b in bans] == [f"reader{n}@mail.example" for n in range(6)]
    assert {(b.kind, b.reason, b.created_by, b.until) for b in bans} == {
        ("ban", "Coordinated bridge campaign", moderator, None)
    }
    cluster.refresh_from_db()
    assert (cluster.state, cluster.decided_by) == ("confirmed", moderator)
    # Banning decides no comment: "reject all" stays for that.
    assert [c.status for c in Comment.objects.order_by("pk")] == [c.status for c in comments]
    (later,) = campaign(UNRELATED[:1], names="Reader", start=timezone.now())
    assert later.author_email == "reader0@mail.example"
    assert later.status == "rejected"
    assert later.rule_hits == [
        {"rule": "sanction", "action": "reject", "reason": "banned: Coordinated bridge campaign"}
    ]


def test_ban_all_authors_leaves_the_banned_alone_and_counts_those_without_an_address(
    client, moderator, editor, campaign
):
    comments = campaign()
    earlier = commenter_ban(actor=editor, reason="Earlier abuse", email="reader1@mail.example")
    commenter_suspend(
        actor=editor,
        reason="Cooling off",
        email="reader2@mail.example",
        until=timezone.now() + timedelta(days=3),
    )
    Comment.objects.filter(pk__in=[comments[3].pk, comments[4].pk]).update(author_email="")
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    response = _ban_all(client, cluster, comments)
    assert response.status_code == 200
    assert (
        "Ban all authors: 2 banned; 2 already banned or suspended, left as they were; "
        "2 without an email address, who cannot be banned."
    ) in response.content.decode()
    assert sorted(
        CommenterSanction.objects.filter(created_by=moderator).values_list("match_email", flat=True)
    ) == ["reader0@mail.example", "reader5@mail.example"]
    assert CommenterSanction.objects.count() == 4
    assert CommenterSanction.objects.get(pk=earlier.pk).reason == "Earlier abuse"
    assert CommenterSanction.objects.get(match_email="reader2@mail.example").kind == "suspension"


def test_ban_all_authors_on_a_dismissed_or_changed_campaign_writes_nothing(
    client, moderator, campaign
):
    comments = campaign(PARAPHRASES[:5])
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    campaign(PARAPHRASES[5:], names="Later")  # joins after the page was drawn
    response = _ban_all(client, cluster, comments)
    assert response.status_code == 409
    assert "joined this campaign since the page was drawn" in response.content.decode()
    assert not CommenterSanction.objects.exists()
    assert CommentCluster.objects.get().state == "open"

    client.post(f"/admin/moderation/commentcluster/{cluster.pk}/decide/", {"action": "dismiss"})
    response = _ban_all(client, cluster, Comment.objects.all())
    assert response.status_code == 409
    assert "not a campaign" in response.content.decode()
    assert not CommenterSanction.objects.exists()


def test_ban_all_authors_is_all_or_nothing_when_one_address_cannot_be_banned(
    client, moderator, campaign
):
    comments = campaign()
    # An address the sanctions refuse, sorted after the others so they are tried first.
    Comment.objects.filter(pk=comments[5].pk).update(author_email="zz@@mail.example")
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    response = _ban_all(client, cluster, comments)
    assert response.status_code == 400
    assert "is not an email address" in response.content.decode()
    assert not CommenterSanction.objects.exists()
    assert CommentCluster.objects.get().state == "open"


def test_ban_all_authors_without_a_reason_is_refused_with_nothing_written(
    client, moderator, campaign
):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(moderator)
    for reason in ("", "   ", "\u200b"):
        response = _ban_all(client, cluster, comments, reason=reason)
        assert response.status_code == 400
        assert "Say why" in response.content.decode()
    response = _ban_all(client, cluster, [])
    assert response.status_code == 400
    assert not CommenterSanction.objects.exists()
    assert CommentCluster.objects.get().state == "open"


def test_only_those_who_decide_comments_ban_the_authors_of_a_campaign(
    client, stranger, editor, campaign
):
    comments = campaign()
    cluster = CommentCluster.objects.get()
    client.force_login(stranger)
    response = _ban_all(client, cluster, comments)
    assert response.redirect_chain[0][1] == 302
    assert "/admin/login/" in response.redirect_chain[0][0]
    assert not CommenterSanction.objects.exists()
    # A desk user who may only read comments is refused too.
    reader = User.objects.create_user(username="dana", password="pw-dana", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(reader)
    assert _ban_all(client, cluster, comments).status_code == 403
    assert not CommenterSanction.objects.exists()
    assert CommentCluster.objects.get().state == "open"
    # An editor decides comments, so may.
    client.force_login(editor)
    assert _ban_all(client, cluster, comments).status_code == 200
    assert CommenterSanction.objects.filter(created_by=editor).count() == 6


def test_a_large_campaigns_next_copy_is_compared_with_a_bounded_few_and_joins_it(
    make_comment, active_models, monkeypatch
):
    from moderation.campaigns import clustering, detection
    from moderation.campaigns.signature import BANDS

    monkeypatch.setattr(detection, "CANDIDATES_PER_BAND", 2)
    start = timezone.now() - timedelta(minutes=30)

    def copy(n):
        return make_comment(
            f"{PARAPHRASES[0]} ({n})",
            author_name=f"Reader {n}",
            author_email=f"reader{n}@mail.example",
            created_at=start + timedelta(seconds=n),
        )

    score_comments([copy(n) for n in range(40)], loaded(), site_policy())
    cluster = CommentCluster.objects.get()
    assert cluster.size == 40
    compared = []
    real_matches = clustering.matches

    def counting(item, known, index, span):
        compared.append(len(known))
        return real_matches(item, known, index, span)

    monkeypatch.setattr(clustering, "matches", counting)
    late = copy(40)
    score_comments([late], loaded(), site_policy())
    # At most the two most recent of each band on PostgreSQL (all 40 on SQLite), and
    # the copy still joins the campaign.
    if connection.vendor == "postgresql":
        assert compared[0] <= 2 * BANDS and compared[0] < 40
    else:
        assert compared[0] == 40
    assert CommentClusterMember.objects.get(comment=late).cluster_id == cluster.pk
    cluster.refresh_from_db()
    assert cluster.size == 41
