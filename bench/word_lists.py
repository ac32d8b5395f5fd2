"""Word lists: the cost per comment of 1,000 terms, against a plain combined regex.

Real comments (the public abuse, YouTube and SMS sets in ../shared/datasets), and a
list of 1,000 terms drawn from them: the 960 words most typical of the abusive rows
(English and Russian), 20 two-word phrases and 20 expressions. Each comment goes
through

- **matcher**: moderation.classifier.terms.TermMatcher, as the scoring rule runs it
  (whole words, case, accents, look-alikes, digits for letters, spaced and repeated
  letters; the expressions within their time limit);
- **matcher, words only**: the same without the 20 expressions;
- **one regex** (baseline): the usual filter, one alternation of every term with word
  boundaries, case-insensitive, over the comment in lower case: no obfuscation caught.

Prints the µs per comment (mean, p50, p95, p99, wall clock, one process), how many
comments each flags, and the time to compile the list.

    python bench/word_lists.py --data ../shared/datasets
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from moderation.classifier.terms import Term, TermMatcher, check_term
from moderation.classifier.text import term_text

csv.field_size_limit(1 << 24)
WORDS = 960
LONG = 500
PHRASES = 20
EXPRESSIONS = [
    *(rf"{stem}\w*" for stem in ("idiot", "stupi", "moro", "дурак", "идиот", "тупо")),
    r"buy\s+(cheap\s+)?\w+\s+now",
    r"\d{3}[-.\s]\d{3}[-.\s]\d{4}",
    r"(free|cheap)\s+(pills|money|followers)",
    r"call\s+\d+",
    r"www\.\w+\.(ru|tk|xyz)",
    r"(u|you)\s+(r|are)\s+\w+",
    r"sub(scribe)?\s+to\s+my\s+\w+",
    r"check\s+(out\s+)?my\s+(channel|page|video)",
    r"click\s+(here|the\s+link)",
    r"ты\s+\w+\s+дурак",
    r"win\w*\s+(a\s+)?(prize|cash)",
    r"\w+@\w+\.com",
    r"(lol)+",
    r"[$€£]\d{3,}",
]


def _rows(path: Path, text_col: str, label_col: str) -> list[tuple[str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row[text_col], int(row[label_col])) for row in csv.DictReader(handle)]


def load_comments(data: Path) -> tuple[list[str], list[tuple[str, int]]]:
    abusive = _rows(data / "abuse/en_tweets.csv", "text", "label") + _rows(
        data / "abuse/ru_comments.csv", "text", "label"
    )
    texts = [text for text, _ in abusive]
    for video in sorted((data / "youtube_spam").glob("*.csv")):
        texts += [text for text, _ in _rows(video, "CONTENT", "CLASS")]
    with (data / "sms_spam/SMSSpamCollection.tsv").open(encoding="utf-8") as handle:
        texts += [line.rstrip("\r\n").partition("\t")[2] for line in handle]
    return texts, abusive


def typical_terms(abusive: list[tuple[str, int]]) -> list[Term]:
    """Words (4+ letters) far more common in the abusive rows, and the commonest pairs."""
    counts: list[Counter[str]] = [Counter(), Counter()]
    pairs: Counter[str] = Counter()
    for text, label in abusive:
        words = [w.forms[0] for w in term_text(text).words if w.forms[0].isalpha()]
        counts[label].update(set(words))
        if label:
            pairs.update({f"{a} {b}" for a, b in itertools.pairwise(words) if len(a + b) >= 8})
    ratio = {
        word: n / (counts[0][word] + 1)
        for word, n in counts[1].items()
        if n >= 5 and len(word) >= 4
    }
    words = sorted(ratio, key=lambda word: (-ratio[word], word))[:WORDS]
    phrases = [phrase for phrase, _ in pairs.most_common(PHRASES)]
    terms = [Term(word, "banned" if n % 10 == 0 else "suspect") for n, word in enumerate(words)]
    terms += [Term(phrase, "suspect") for phrase in phrases]
    terms += [Term(pattern, "suspect", is_regex=True) for pattern in EXPRESSIONS]
    for term in terms:
        check_term(term.pattern, is_regex=term.is_regex)
    return terms


def one_regex(terms: list[Term]) -> Callable[[str], bool]:
    alternatives = [t.pattern if t.is_regex else re.escape(t.pattern) for t in terms]
    combined = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    return lambda text: combined.search(text.lower()) is not None


def measure(find: Callable[[str], bool], texts: list[str]) -> dict[str, Any]:
    for text in texts[:500]:
        find(text)
    wall, cpu, flagged = [], [], set()
    for index, text in enumerate(texts):
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        if find(text):
            flagged.add(index)
        cpu.append((time.thread_time_ns() - start_cpu) / 1000)
        wall.append((time.perf_counter_ns() - start) / 1000)
    wall.sort()
    cpu.sort()
    return {
        "mean": statistics.fmean(wall),
        "p50": wall[len(wall) // 2],
        "p95": wall[int(len(wall) * 0.95)],
        "p99": wall[int(len(wall) * 0.99)],
        "cpu_mean": statistics.fmean(cpu),
        "cpu_p95": cpu[int(len(cpu) * 0.95)],
        "cpu_p99": cpu[int(len(cpu) * 0.99)],
        "flagged": flagged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--show", type=int, default=0, help="print N examples of each difference")
    args = parser.parse_args()
    texts, abusive = load_comments(args.data)
    terms = typical_terms(abusive)
    start = time.perf_counter()
    matcher = TermMatcher(terms)
    compile_ms = (time.perf_counter() - start) * 1000
    words_only = TermMatcher([t for t in terms if not t.is_regex])
    start = time.perf_counter()
    baseline = one_regex(terms)
    baseline_ms = (time.perf_counter() - start) * 1000
    runs = {
        "matcher": (lambda text: bool(matcher.find(text).found), compile_ms),
        "matcher, words only": (lambda text: bool(words_only.find(text).found), None),
        "one regex (baseline)": (baseline, baseline_ms),
    }
    mean_chars = statistics.fmean(map(len, texts))
    print(
        f"{len(texts):,} comments (mean {mean_chars:.0f} characters), {len(terms):,} terms "
        f"({sum(not t.is_regex and ' ' not in t.pattern for t in terms)} words, "
        f"{sum(' ' in t.pattern and not t.is_regex for t in terms)} phrases, "
        f"{sum(t.is_regex for t in terms)} expressions)\n"
    )
    long_texts = [text for text in texts if len(text) >= LONG]
    results = {name: measure(find, texts) for name, (find, _) in runs.items()}
    long_results = {name: measure(find, long_texts) for name, (find, _) in runs.items()}
    base = results["one regex (baseline)"]["flagged"]
    print(
        "| run | mean µs | p50 µs | p95 µs | p99 µs | CPU mean µs | CPU p95 µs | CPU p99 µs "
        "| comments flagged | of them, not by the baseline | compile ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (_, compiled) in runs.items():
        f = results[name]
        print(
            f"| {name} | {f['mean']:.0f} | {f['p50']:.0f} | {f['p95']:.0f} | {f['p99']:.0f} "
            f"| {f['cpu_mean']:.0f} | {f['cpu_p95']:.0f} | {f['cpu_p99']:.0f} "
            f"| {len(f['flagged']):,} | {len(f['flagged'] - base):,} "
            f"| {'–' if compiled is None else f'{compiled:.0f}'} |"
        )
    print(f"\nThe {len(long_texts):,} comments of {LONG}+ characters:\n")
    print("| run | mean µs | p95 µs | CPU mean µs | CPU p95 µs | CPU p99 µs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, f in long_results.items():
        print(
            f"| {name} | {f['mean']:.0f} | {f['p95']:.0f} | {f['cpu_mean']:.0f} "
            f"| {f['cpu_p95']:.0f} | {f['cpu_p99']:.0f} |"
        )
    missed = base - results["matcher"]["flagged"]
    print(f"\nFlagged by the baseline, not by the matcher: {len(missed):,}")
    for index in sorted(missed)[: args.show]:
        print("  ", repr(texts[index][:120]))
    caught = results["matcher"]["flagged"] - base
    print(f"Flagged by the matcher, not by the baseline: {len(caught):,}")
    for index in sorted(caught)[: args.show]:
        found = matcher.find(texts[index]).found
        print("  ", [(m.term.pattern, m.matched) for m in found][:3])


if __name__ == "__main__":
    main()
