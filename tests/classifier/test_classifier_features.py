"""Text cleaning and the vectorised featurizer, checked against the slow reference."""

import itertools
from collections import Counter

import numpy as np
import pytest

from moderation.classifier import hashing, normalise_text
from moderation.classifier.features import SIGNAL_LABELS, CommentFeaturizer, words_of
from moderation.classifier.text import fold_mixed_script

DOCS = [
    ("Hello WORLD!!! check http://bit.ly/abc", {"author_name": "Bob Smith 12"}),
    "",
    ("Привіт, сâйт cаsinо 12345 😀x𝐜𝐚𝐬", {"referrer": "https://example.com/a b"}),
    "a",
    "ab  cd\x00\ud800 e",
    "a_b-c d'e 1234567 aaa!!! 中文字",
    "xxx",
]


def test_it_collapses_white_space_and_space_before_punctuation():
    assert normalise_text("  Because of   Never Say  Die , a  scene\t\n( worse ) .") == (
        "Because of Never Say Die, a scene (worse)."
    )


def test_it_normalises_compatibility_characters_and_drops_invisible_ones():
    assert normalise_text("ｆｒｅｅ 𝐜𝐚𝐬𝐢𝐧𝐨 ca\u200bsi\u00adno") == "free casino casino"


def test_it_accepts_bytes_none_and_control_characters():
    assert normalise_text(b"caf\xc3\xa9 \xff") == "café \ufffd"
    assert normalise_text(None) == ""  # type: ignore[arg-type]
    assert normalise_text("a\x00b\x07c") == "a b c"


def test_it_folds_lookalike_letters_in_mixed_script_words():
    # "cаsinо" spelled with Cyrillic а and о; a Cyrillic word with a Latin "o".
    assert fold_mixed_script("cаsinо and кoт") == ("casino and кот", 2)
    assert fold_mixed_script("plain ascii") == ("plain ascii", 0)


def _reference_counts(featurizer, views):
    """Every feature occurrence, enumerated the slow way with the reference hashes."""

    def column(hash32):
        return hashing.column(hash32, featurizer.n_bits)

    fold = str.maketrans("123456789", "000000000") if featurizer.fold_digits else {}
    low, high = featurizer.char_ngram_range
    expected = Counter()
    for row, view in enumerate(views):
        for token in view.chars.split(" "):
            if token:
                padded = f" {token} ".translate(fold)
                for n in range(low, high + 1):
                    for start in range(len(padded) - n + 1):
                        gram = padded[start : start + n]
                        expected[0, row, column(hashing.hash_string(gram, hashing.NS_CHAR))] += 1
        words = [word.translate(fold) for word in words_of(view.chars)]
        for word in words:
            expected[1, row, column(hashing.hash_string(word, hashing.NS_WORD))] += 1
        for first, second in itertools.pairwise(words):
            expected[1, row, column(hashing.hash_pair(first, second))] += 1
        for token in view.meta.split():
            expected[
                2, row, column(hashing.hash_string(token.translate(fold), hashing.NS_META))
            ] += 1
    return expected


@pytest.mark.parametrize("meta_keys", [(), ("author_name", "referrer")])
@pytest.mark.parametrize("docs", [DOCS, DOCS[:1], [""], ["one text only 42"]])
def test_it_hashes_exactly_like_the_reference(meta_keys, docs):
    featurizer = CommentFeaturizer(meta_keys=meta_keys, fold_digits=bool(meta_keys))
    views = [featurizer.views(doc) for doc in docs]
    keys, _signals = featurizer._occurrences(views)
    group_bits = max(1, (3 * len(docs) - 1).bit_length())
    groups, columns = keys & ((1 << group_bits) - 1), keys >> group_bits
    found = Counter(
        zip(
            (groups // len(docs)).tolist(),
            (groups % len(docs)).tolist(),
            columns.tolist(),
            strict=True,
        )
    )
    assert found == _reference_counts(featurizer, views)


@pytest.mark.parametrize("meta_keys", [(), ("author_name",)])
def test_it_computes_the_same_features_one_text_at_a_time_and_in_a_batch(meta_keys):
    docs = [
        *DOCS,
        "soooo goooood!!!! call 0800 1234567 or abc12345",
        "😀😀😀 ١٢٣٤٥٦ aaaa",
        "ВИГРАЙ!!! 100000 грн",
    ]
    featurizer = CommentFeaturizer(meta_keys=meta_keys).fit(docs)
    batch = featurizer.transform(docs).toarray()
    one_by_one = np.vstack([featurizer.transform([doc]).toarray() for doc in docs])
    np.testing.assert_allclose(batch, one_by_one, atol=1e-12)


def test_it_fills_signals_an_editor_can_name():
    featurizer = CommentFeaturizer().fit(["x"])
    [view] = [featurizer.views("WIN BIG!!! Call 0800123456 now at www.prize.com $$$")]
    signals = dict(zip(SIGNAL_LABELS, featurizer.encode_views([view]).signals[0], strict=True))
    for label in (
        "many links",
        "ALL CAPS",
        "exclamation marks",
        "money symbol",
        "repeated characters",
        "long number",
    ):
        assert signals[label] > 0, label
    assert signals["e-mail address or @handle"] == 0
    assert signals["short text"] == signals["long text"] == 0  # 50-150 characters: no band
