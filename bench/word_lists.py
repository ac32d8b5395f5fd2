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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from moderation.classifier.terms import Term, TermMatcher, check_term
from moderation.classifier.text import term_text

csv.field_size_limit(1 << 24)
WORDS = 960
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


def measure(find: Callable[[str], bool], texts: list[str]) -> dict[str, float]:
    for text in texts[:500]:
        find(text)
    times, flagged = [], 0
    clock = time.perf_counter_ns
    for text in texts:
        start = clock()
        flagged += bool(find(text))
        times.append((clock() - start) / 1000)
    times.sort()
    return {
        "mean": statistics.fmean(times),
        "p50": times[len(times) // 2],
        "p95": times[int(len(times) * 0.95)],
        "p99": times[int(len(times) * 0.99)],
        "flagged": flagged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
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
    print("| run | mean µs | p50 µs | p95 µs | p99 µs | comments flagged | compile ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (find, compiled) in runs.items():
        figures = measure(find, texts)
        print(
            f"| {name} | {figures['mean']:.0f} | {figures['p50']:.0f} | {figures['p95']:.0f} "
            f"| {figures['p99']:.0f} | {figures['flagged']:,.0f} | "
            f"{'–' if compiled is None else f'{compiled:.0f}'} |"
        )


if __name__ == "__main__":
    main()
