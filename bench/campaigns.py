"""Campaign detection: precision and recall of the clustering, and what it adds per comment.

Injects synthetic campaigns (one talking point each, posted as paraphrased variants by
distinct fake authors within minutes: words swapped for synonyms, filler words, casing,
punctuation, Cyrillic written in Latin letters, Latin words with Cyrillic look-alikes)
into a stream of ordinary comments from public data (../shared/datasets: SMS, YouTube
comments, TV Tropes sentences, English tweets, Russian comments) spread over a week,
and runs the production placement (moderation.campaigns.clustering.assign, the code the
scoring rule runs) over the whole stream in time order, one comment at a time as the
live path does, with the window's in-memory index standing in for the signature table.

Precision and recall count pairs of injected comments: a pair is right when both are
in the same cluster and the same campaign. A cluster also holding ordinary comments
counts those pairs against precision. The cost per comment is the campaign part
(signature, candidate lookup, placement) timed beside the scoring path's classifier
calls (spam and spoiler) on the same comment, in one run.

With --db N, the database side too: N comments of the stream (with their campaigns)
into a PostgreSQL database the script creates and drops (newsroom_bench_campaigns), each
scored by the scoring path without the rule beside the rule itself (its queries, its
writes), one comment at a time.

    python bench/campaigns.py [--ordinary 100000] [--seed 14] [--db 3000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")

import _datasets  # noqa: E402

DATASETS = Path(os.environ.get("DATASETS_DIR", ROOT.parent / "shared" / "datasets"))
if not DATASETS.exists():
    DATASETS = Path("/work/shared/datasets")
TARGETS = {"recall": 0.9, "precision": 0.95, "added_p95_us": 1000.0}
WEEK = timedelta(days=7)
START = datetime(2026, 11, 2, tzinfo=UTC)

# One talking point per campaign, as a campaign would post it.
TALKING_POINTS = [
    "The new bridge is a waste of our money and the mayor knows it, vote him out in May.",
    "Do not believe the official numbers, the hospital was closed because of corruption "
    "and nobody will go to prison for it.",
    "This newspaper is paid to hide the truth about the tax increase, cancel your "
    "subscription today and tell your friends.",
    "The refugees get flats while our pensioners freeze, the council should be ashamed of itself.",
    "Everyone knows the election was stolen, the observers saw the ballots being burned "
    "in the night.",
    "Новий міст це марнування наших грошей, і мер про це знає, голосуйте проти нього у травні.",
    "Не вірте офіційним цифрам, лікарню закрили через корупцію, і ніхто за це не сяде.",
    "Ця газета отримує гроші, щоб приховати правду про підвищення податків, відпишіться сьогодні.",
    "Вибори сфальсифіковані, спостерігачі бачили, як уночі палили бюлетені.",
    "Новый мост это пустая трата наших денег, и мэр это знает, голосуйте против него в мае.",
    "Не верьте официальным цифрам, больницу закрыли из-за коррупции, и никто за это не сядет.",
    "Эта газета получает деньги, чтобы скрыть правду о повышении налогов, отпишитесь сегодня.",
]
CAMPAIGN_SIZES = [5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 45, 50]

SYNONYMS = {
    "money": ["cash", "funds"], "waste": ["squandering"], "knows": ["understands"],
    "believe": ["trust"], "official": ["government"], "closed": ["shut"],
    "corruption": ["bribery", "graft"], "truth": ["facts"], "hide": ["bury", "cover up"],
    "today": ["now"], "friends": ["family"], "ashamed": ["embarrassed"],
    "stolen": ["rigged"], "burned": ["destroyed"], "night": ["dark"], "everyone": ["everybody"],
    "paid": ["bribed"], "flats": ["apartments"], "freeze": ["go cold"],
    "грошей": ["коштів"], "знає": ["розуміє"], "вірте": ["довіряйте"], "закрили": ["зачинили"],
    "правду": ["факти"], "сьогодні": ["негайно"], "палили": ["знищували"],
    "денег": ["средств"], "знает": ["понимает"], "верьте": ["доверяйте"],
    "закрыли": ["прикрыли"], "сегодня": ["немедленно"], "правду о": ["факты о"],
}  # fmt: skip
FILLERS = {"latin": ["honestly", "seriously", "people", "wake up"], "cyrillic": ["люди", "друзі"]}
# Two ways of writing Cyrillic in Latin letters, as people do.
TRANSLIT = [
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye",
        "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
        "ю": "yu", "я": "ya", "ы": "y", "э": "e", "ё": "yo", "ъ": "",
    },
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "je",
        "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ь": "'",
        "ю": "ju", "я": "ja", "ы": "y", "э": "e", "ё": "jo", "ъ": "",
    },
]  # fmt: skip
HOMOGLYPHS = str.maketrans("aeopcx", "аеорсх")


def _translit(text: str, table: dict[str, str]) -> str:
    out = []
    for char in text:
        low = char.lower()
        if low in table:
            latin = table[low]
            out.append(latin.capitalize() if char != low else latin)
        else:
            out.append(char)
    return "".join(out)


def paraphrase(text: str, rng: random.Random) -> str:
    """A campaign's variant: two to four changes a person or a script would make."""
    cyrillic = bool(re.search("[а-яіїєґ]", text.lower()))
    ops = rng.sample(["synonym", "filler", "case", "punct", "script", "swap"], rng.randint(2, 4))
    words = text.split()
    if "synonym" in ops:
        for _ in range(rng.randint(1, 2)):
            spots = [i for i, w in enumerate(words) if w.lower().strip(",.") in SYNONYMS]
            if spots:
                i = rng.choice(spots)
                word = words[i].lower().strip(",.")
                words[i] = words[i].lower().replace(word, rng.choice(SYNONYMS[word]))
    if "swap" in ops and len(words) > 3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if "filler" in ops:
        words.insert(
            rng.randrange(len(words) + 1), rng.choice(FILLERS["cyrillic" if cyrillic else "latin"])
        )
    out = " ".join(words)
    if "punct" in ops:
        out = rng.choice(
            [
                lambda s: re.sub(r"[,.!?]", "", s),
                lambda s: s.rstrip(".") + "!!!",
                lambda s: s.replace(",", " -"),
                lambda s: s.replace(", ", "... "),
            ]
        )(out)
    if "case" in ops:
        out = rng.choice([str.upper, str.lower, lambda s: s.title()])(out)
    if "script" in ops:
        if cyrillic:
            out = _translit(out, rng.choice(TRANSLIT))
        else:
            out = " ".join(
                w.translate(HOMOGLYPHS) if rng.random() < 0.3 else w for w in out.split()
            )
    return out


@dataclass
class Posted:
    comment_id: int
    created_at: datetime
    body: str
    author_name: str
    author_email: str
    ip: str
    campaign: int | None  # which injected campaign, None for an ordinary comment


def ordinary_texts() -> list[str]:
    files = [
        (sorted((DATASETS / "sms_spam").glob("*.tsv")), "sms"),
        (sorted((DATASETS / "youtube_spam").glob("*.csv")), "youtube"),
        (sorted((DATASETS / "tvtropes_spoilers").glob("*.csv")), "tvtropes"),
        (sorted((DATASETS / "abuse").glob("*.csv")), "csv"),
    ]
    data = []
    for paths, fmt in files:
        data.extend(_datasets.load(paths, fmt))
    merged = data[0]
    for part in data[1:]:
        merged = merged + part
    unique, _ = _datasets.deduplicate(merged)
    return [t for t in unique.texts if t.strip()]


def stream(ordinary: int, seed: int) -> tuple[list[Posted], int]:
    """Ordinary comments over a week, campaigns injected; sorted by time."""
    rng = random.Random(seed)
    texts = ordinary_texts()
    rng.shuffle(texts)
    posted: list[Posted] = []
    step = WEEK / ordinary
    for i in range(ordinary):
        # A text used again comes back days later, past any window.
        at = START + step * i + timedelta(seconds=rng.uniform(0, step.total_seconds()))
        author = rng.randrange(40_000)
        ip = f"{rng.randrange(1, 224)}." + ".".join(str(rng.randrange(256)) for _ in range(3))
        posted.append(
            Posted(i + 1, at, texts[i % len(texts)], f"Reader {author}",
                   f"reader{author}@mail.example", ip, None)
        )  # fmt: skip
    next_id = ordinary + 1
    for number, (point, size) in enumerate(zip(TALKING_POINTS, CAMPAIGN_SIZES, strict=True)):
        begin = START + timedelta(seconds=rng.uniform(0, WEEK.total_seconds() - 3600))
        span = rng.uniform(3, 20) * 60
        shared = f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}"
        for variant in range(size):
            at = begin + timedelta(seconds=rng.uniform(0, span))
            ip = (
                f"{shared}.{rng.randrange(256)}"
                if rng.random() < 0.4
                else f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.9"
            )
            body = point if variant == 0 else paraphrase(point, rng)
            posted.append(
                Posted(next_id, at, body, f"Voice {number}-{variant}",
                       f"voice{number}.{variant}@mail.example", ip, number)
            )  # fmt: skip
            next_id += 1
    posted.sort(key=lambda p: (p.created_at, p.comment_id))
    return posted, len(texts)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def run_pure(posted: list[Posted], models: dict) -> dict:
    from moderation.campaigns.clustering import assign, seen
    from moderation.comment_scoring import comment_signals
    from moderation.models import Comment

    span = timedelta(minutes=60)
    known: dict = {}
    index: dict[int, list[int]] = defaultdict(list)
    live: deque = deque()
    cluster_of: dict[int, int] = {}
    next_cluster = 1
    added: list[float] = []
    scoring: list[float] = []
    added_cpu: list[float] = []
    scoring_cpu: list[float] = []
    for p in posted:
        meta = comment_signals(Comment(author_name=p.author_name, author_email=p.author_email))
        c0, t0 = time.thread_time_ns(), time.perf_counter()
        models["spam"].score(p.body, meta)
        models["spoiler"].score(p.body, meta)
        c1, t1 = time.thread_time_ns(), time.perf_counter()
        while live and p.created_at - live[0][0] > span:
            _, old_id, bands = live.popleft()
            known.pop(old_id, None)
            for value in bands:
                ids = index[value]
                ids.remove(old_id)
                if not ids:
                    del index[value]
        item = seen(p.comment_id, p.created_at, p.body, p.author_email, p.author_name, p.ip)
        if item.signature.comparable:
            for group in assign([item], known, span, index):
                cluster_id = group.cluster_id
                if cluster_id is None:
                    cluster_id, next_cluster = next_cluster, next_cluster + 1
                for member in group.joined:
                    member.cluster_id = cluster_id
                    cluster_of[member.comment_id] = cluster_id
            live.append((p.created_at, item.comment_id, item.signature.bands))
        else:
            known.pop(item.comment_id, None)
        c2, t2 = time.thread_time_ns(), time.perf_counter()
        scoring.append((t1 - t0) * 1e6)
        added.append((t2 - t1) * 1e6)
        scoring_cpu.append((c1 - c0) / 1e3)
        added_cpu.append((c2 - c1) / 1e3)
    return {
        "cluster_of": cluster_of,
        "added": added,
        "scoring": scoring,
        "added_cpu": added_cpu,
        "scoring_cpu": scoring_cpu,
    }


def quality(posted: list[Posted], cluster_of: dict[int, int]) -> dict:
    campaign_of = {p.comment_id: p.campaign for p in posted}
    members: dict[int, list[int]] = defaultdict(list)
    for comment_id, cluster in cluster_of.items():
        members[cluster].append(comment_id)
    injected = Counter(p.campaign for p in posted if p.campaign is not None)
    true_pairs = sum(pairs(n) for n in injected.values())
    right = predicted = 0
    held_ordinary = 0
    campaign_clusters = 0
    for ids in members.values():
        kinds = Counter(campaign_of[i] for i in ids)
        in_campaigns = sum(n for kind, n in kinds.items() if kind is not None)
        ordinary = kinds.get(None, 0)
        right += sum(pairs(n) for kind, n in kinds.items() if kind is not None)
        # Pairs with at least one injected comment: right or wrong.
        predicted += pairs(in_campaigns) + in_campaigns * ordinary
        if len(ids) >= 5 and in_campaigns == 0:
            campaign_clusters += 1
            held_ordinary += ordinary
    per_campaign = {}
    for number, size in sorted(injected.items()):
        clusters = Counter(cluster_of.get(p.comment_id) for p in posted if p.campaign == number)
        biggest = max((n for c, n in clusters.items() if c is not None), default=0)
        per_campaign[number] = {"size": size, "in_largest_cluster": biggest}
    return {
        "precision": right / predicted if predicted else 0.0,
        "recall": right / true_pairs if true_pairs else 0.0,
        "true_pairs": true_pairs,
        "per_campaign": per_campaign,
        "ordinary_clusters_of_5_or_more": campaign_clusters,
        "ordinary_comments_in_them": held_ordinary,
    }


def simhash(grams: frozenset[str]) -> int:
    """A 64-bit SimHash over the same shingles (the alternative measured)."""
    import hashlib

    weights = [0] * 64
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def compare_signatures(posted: list[Posted], seed: int) -> dict:
    """Pairs of one campaign found, and random ordinary pairs wrongly found, by MinHash
    LSH with the Jaccard check (what runs) and by SimHash within a Hamming distance."""
    from moderation.campaigns import signature as sig

    rng = random.Random(seed)
    empty = sig.signature("")
    signatures = {p.comment_id: sig.signature(p.body) for p in posted if p.campaign is not None}
    by_campaign: dict[int, list[int]] = defaultdict(list)
    for p in posted:
        if p.campaign is not None:
            by_campaign[p.campaign].append(p.comment_id)
    same = [(a, b) for ids in by_campaign.values() for i, a in enumerate(ids) for b in ids[i + 1 :]]
    ordinary = [p for p in posted if p.campaign is None]
    for p in rng.sample(ordinary, 4000):
        signatures[p.comment_id] = sig.signature(p.body)
    # Texts too short to compare are never matched by either.
    sample = [p.comment_id for p in ordinary if signatures.get(p.comment_id, empty).comparable]
    random_pairs = [tuple(rng.sample(sample, 2)) for _ in range(len(same) * 5)]
    hashes = {pk: simhash(s.shingles) for pk, s in signatures.items()}

    def minhash_found(a: int, b: int) -> bool:
        x, y = signatures[a], signatures[b]
        return bool(set(x.bands) & set(y.bands)) and sig.is_match(x, y)

    def simhash_found(a: int, b: int, distance: int) -> bool:
        return (hashes[a] ^ hashes[b]).bit_count() <= distance

    out = {"campaign_pairs": len(same), "random_ordinary_pairs": len(random_pairs)}
    out["minhash_lsh_found"] = sum(minhash_found(a, b) for a, b in same) / len(same)
    out["minhash_lsh_false"] = sum(minhash_found(a, b) for a, b in random_pairs)
    for distance in (3, 6, 10):
        out[f"simhash_h{distance}_found"] = sum(
            simhash_found(a, b, distance) for a, b in same
        ) / len(same)
        out[f"simhash_h{distance}_false"] = sum(
            simhash_found(a, b, distance) for a, b in random_pairs
        )
    return out


def run_db(posted: list[Posted], sample: int) -> dict:
    """The database side on PostgreSQL: the rule's queries and writes per comment."""
    import psycopg

    admin = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = "newsroom_bench_campaigns"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/" + name
    try:
        return _run_db(posted, sample)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_db(posted: list[Posted], sample: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from articles.models import Article, Section
    from moderation import classifier, registry, rules
    from moderation.campaigns.detection import campaign_rule
    from moderation.comment_scoring import score_comment
    from moderation.models import Comment, CommentCluster
    from moderation.retraining import seed_examples

    for task in classifier.TASKS:
        registry.classifier_register(
            classifier=classifier.train(task, *seed_examples(task)),
            training_size=1, sources={"seed": 1}, metrics={}, activate=True,
        )  # fmt: skip
    article = Article.objects.create(
        slug="bench", title="Bench", body="x", section=Section.objects.named("News")
    )
    # The sample: the first N ordinary comments of the week, and two campaigns moved
    # into that slice (at its first and second third), their spacing kept.
    chosen = [p for p in posted if p.campaign is None][:sample]
    first, until = chosen[0].created_at, chosen[-1].created_at
    for third, number in enumerate((8, 9), start=1):
        variants = [p for p in posted if p.campaign == number]
        begin = min(p.created_at for p in variants)
        target = first + (until - first) * third / 3
        chosen += [
            Posted(p.comment_id, target + (p.created_at - begin), p.body, p.author_name,
                   p.author_email, p.ip, p.campaign)
            for p in variants
        ]  # fmt: skip
    rows = Comment.objects.bulk_create(
        [
            Comment(
                article=article, author_name=p.author_name[:80], author_email=p.author_email,
                body=p.body[:5000], ip_address=p.ip, created_at=p.created_at,
            )
            for p in chosen
            if p.body.strip()
        ]
    )  # fmt: skip
    ordered = sorted(rows, key=lambda c: (c.created_at, c.pk))
    rule_us, score_us = [], []
    rules.RULES = []
    for comment in ordered:
        loaded = Comment.objects.only("pk", "article", "body", "author_name", "author_email").get(
            pk=comment.pk
        )
        t0 = time.perf_counter()
        campaign_rule([loaded])
        t1 = time.perf_counter()
        score_comment(comment.pk)
        t2 = time.perf_counter()
        rule_us.append((t1 - t0) * 1e6)
        score_us.append((t2 - t1) * 1e6)
    return {
        "comments": len(ordered),
        "rule_p50_us": percentile(rule_us, 50),
        "rule_p95_us": percentile(rule_us, 95),
        "scoring_p50_us": percentile(score_us, 50),
        "scoring_p95_us": percentile(score_us, 95),
        "clusters_of_5_or_more": CommentCluster.objects.filter(size__gte=5).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ordinary", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--db", type=int, default=0, help="comments for the PostgreSQL part")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import django

    if not args.db:
        django.setup()
    started = time.perf_counter()
    posted, unique = stream(args.ordinary, args.seed)
    if args.db:
        figures = {"db": run_db(posted, args.db)}
        print(json.dumps(figures, indent=2) if args.json else figures)
        return
    from moderation import classifier
    from moderation.retraining import seed_examples

    models = {task: classifier.train(task, *seed_examples(task)) for task in classifier.TASKS}
    result = run_pure(posted, models)
    figures = {
        "ordinary": args.ordinary,
        "unique_ordinary_texts": unique,
        "injected": sum(1 for p in posted if p.campaign is not None),
        "campaigns": len(CAMPAIGN_SIZES),
        **quality(posted, result["cluster_of"]),
        "pairs_by_signature": compare_signatures(posted, args.seed),
        # Wall time, and the thread's CPU time (what the machine's other work cannot add).
        "added_p50_us": percentile(result["added"], 50),
        "added_p95_us": percentile(result["added"], 95),
        "added_mean_us": statistics.fmean(result["added"]),
        "added_cpu_p50_us": percentile(result["added_cpu"], 50),
        "added_cpu_p95_us": percentile(result["added_cpu"], 95),
        "scoring_p50_us": percentile(result["scoring"], 50),
        "scoring_p95_us": percentile(result["scoring"], 95),
        "scoring_cpu_p50_us": percentile(result["scoring_cpu"], 50),
        "scoring_cpu_p95_us": percentile(result["scoring_cpu"], 95),
        "load_average": round(os.getloadavg()[0], 2),
        "seconds": round(time.perf_counter() - started, 1),
        "targets": TARGETS,
    }
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
        return
    for key, value in figures.items():
        if key == "pairs_by_signature":
            for name, figure in value.items():
                shown = f"{figure:.3f}" if isinstance(figure, float) else figure
                print(f"  {name:30} {shown}")
        elif key != "per_campaign":
            print(f"{key:32} {value:.3f}" if isinstance(value, float) else f"{key:32} {value}")
    print("per campaign (size: in its largest cluster):")
    for number, row in figures["per_campaign"].items():
        point = TALKING_POINTS[number][:40]
        print(f"  {number:2} {point!r:44} {row['size']:3}: {row['in_largest_cluster']}")


if __name__ == "__main__":
    main()
