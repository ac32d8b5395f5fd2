"""Near-duplicate signatures of comments. Pure: no ORM, no settings.

A comment's campaign key is the classifier's normalised text (moderation.classifier.text)
folded further so that a paraphrase by casing, punctuation, spelling in the other
alphabet or digits for letters lands on the same words: lower case, mixed-script words
folded, Cyrillic transliterated to a Latin skeleton (and Latin digraphs reduced to the
same skeleton), digits inside words read as letters, punctuation dropped. Its shingles
are its words and word pairs; MinHash (datasketch) over them, cut into LSH bands, lets a
new comment find the comments it may copy without comparing it with every recent one:
candidates share at least one band. A candidate is a match when the shingles' Jaccard
similarity reaches MATCH_SIMILARITY, or LINKED_SIMILARITY when the two share a link or
an IP prefix (/24 for IPv4, /48 for IPv6).
"""

from __future__ import annotations

import hashlib
import ipaddress
import itertools
import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from moderation.classifier.text import fold_mixed_script, normalise_text

# 20 bands of 3 rows: a pair with Jaccard 0.5 shares a band with probability 0.93, one
# with 0.3 with 0.42, one with 0.1 with 0.02 (1 - (1 - J^3)^20).
BANDS = 20
ROWS = 3
NUM_PERM = BANDS * ROWS
MATCH_SIMILARITY = 0.45
LINKED_SIMILARITY = 0.3
# Fewer words than this say too little to tell a campaign from a common phrase ("me too").
MIN_WORDS = 4

_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1405).permutations

# Cyrillic (Ukrainian and Russian) to one Latin letter each where a letter stands for one
# sound; digraph spellings of the same sounds in Latin are reduced to the same letters.
_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e",
        "ё": "e", "ж": "z", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k",
        "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s", "ъ": "",
        "ы": "i", "ь": "", "э": "e", "ю": "u", "я": "a", "'": "", "’": "",
    }
)  # fmt: skip
_DIGRAPHS = re.compile(r"shch|sch|zh|kh|ts|ch|sh|[yji][aueo]|yi|ji|j|y|w|x|q")
_DIGRAPH_TO = {
    "shch": "s", "sch": "s", "zh": "z", "kh": "h", "ts": "c", "ch": "c", "sh": "s",
    "ya": "a", "yu": "u", "ye": "e", "yo": "o", "ja": "a", "ju": "u", "je": "e", "jo": "o",
    "ia": "a", "iu": "u", "ie": "e", "io": "o", "yi": "i", "ji": "i",
    "j": "i", "y": "i", "w": "v", "x": "ks", "q": "k",
}  # fmt: skip
# Ukrainian г is written h in Latin letters, Russian г g: one letter for both.
_LAST = str.maketrans({"h": "g"})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
_WORD = re.compile(r"[\w@]+")
_LETTER = re.compile(r"[^\W\d_]")
_LINK = re.compile(r"(?:https?://|www\.)([^\s/?#]+)([^\s?#]*)", re.IGNORECASE)


def campaign_words(text: str) -> list[str]:
    """The words of a comment as a paraphrase by casing, punctuation, alphabet or digits
    for letters leaves them."""
    lowered, _ = fold_mixed_script(normalise_text(text).lower())
    words = []
    for word in _WORD.findall(lowered.translate(_CYRILLIC)):
        if not word.isalpha() and _LETTER.search(word):
            word = word.translate(_LEET)
        word = _DIGRAPHS.sub(lambda m: _DIGRAPH_TO[m.group(0)], word)
        word = word.translate(_LAST).replace("_", "")
        if word:
            words.append(word)
    return words


def shingles(words: list[str]) -> set[str]:
    """Words and word pairs: pairs keep some order, single words survive a swapped one."""
    pairs = (f"{a} {b}" for a, b in itertools.pairwise(words))
    return {*words, *pairs}


def links(text: str) -> frozenset[str]:
    """The links a comment carries, as host and path in lower case (no query)."""
    return frozenset(
        (host.lower().removeprefix("www.") + path.rstrip("/.,)")).lower()
        for host, path in _LINK.findall(text)
    )


def ip_prefix(address: str | None) -> str:
    """The /24 of an IPv4 address, the /48 of an IPv6 one; "" when unknown or invalid."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    length = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{length}", strict=False))


def _band_hash(band: int, values: np.ndarray) -> int:
    """A band's number and rows as one signed 64-bit number (fits a BigIntegerField):
    equal hashes mean the same band agrees, so a lookup needs the hashes alone."""
    digest = hashlib.blake2b(values.tobytes(), digest_size=8, salt=band.to_bytes(2)).digest()
    return int(struct.unpack("<q", digest)[0])


@dataclass(frozen=True)
class Signature:
    shingles: frozenset[str]
    # One hash per LSH band, band i at index i; empty for a text too short to compare.
    bands: tuple[int, ...]
    links: frozenset[str]

    @property
    def comparable(self) -> bool:
        return bool(self.bands)


def signature(text: str) -> Signature:
    """The comment's shingles, LSH band hashes and links."""
    words = campaign_words(text)
    found = links(text)
    if len(words) < MIN_WORDS:
        return Signature(frozenset(), (), found)
    grams = shingles(words)
    minhash = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme="affine32")
    minhash.update_batch([gram.encode() for gram in grams])
    values = minhash.hashvalues
    bands = tuple(_band_hash(i, values[i * ROWS : (i + 1) * ROWS]) for i in range(BANDS))
    return Signature(frozenset(grams), bands, found)


def similarity(a: Signature, b: Signature) -> float:
    """The Jaccard similarity of two comments' shingles (0 when either is too short)."""
    if not a.shingles or not b.shingles:
        return 0.0
    # The union's size from the intersection's: building the union set cost most of a
    # comparison, and a campaign compares each new copy with every earlier one.
    shared = len(a.shingles & b.shingles)
    return shared / (len(a.shingles) + len(b.shingles) - shared)


def is_match(a: Signature, b: Signature, *, shared_prefix: bool = False) -> bool:
    """Whether two comments are near-duplicates: similar enough, or a little less similar
    and sharing a link or (`shared_prefix`) an IP prefix."""
    needed = LINKED_SIMILARITY if (shared_prefix or a.links & b.links) else MATCH_SIMILARITY
    return similarity(a, b) >= needed


def author_key(email: str, name: str, prefix: str) -> str:
    """Who wrote a comment, for counting distinct authors: the email, else the name with
    the IP prefix. Hashed, and only compared in memory: never stored."""
    basis = f"e:{email.lower()}" if email else f"n:{name.strip().lower()}|{prefix}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def candidates(bands: Iterable[int], index: Mapping[int, Iterable[int]]) -> set[int]:
    """The ids sharing a band with a signature in an in-memory index {band hash: ids}."""
    found: set[int] = set()
    for value in bands:
        found.update(index.get(value, ()))
    return found
