"""Near-duplicate signatures (pure): what a paraphrase keeps and what tells texts apart."""

from moderation.campaigns.signature import (
    BANDS,
    author_key,
    campaign_words,
    ip_prefix,
    is_match,
    signature,
    similarity,
)

TALKING_POINT = "The new bridge is a waste of our money and the mayor knows it, vote him out in May"


def test_casing_punctuation_and_a_swapped_word_still_match():
    original = signature(TALKING_POINT)
    variant = signature(
        "THE NEW BRIDGE is a waste of OUR money... and the mayor KNOWS it!!! Vote him out in May"
    )
    swapped = signature(
        "The new bridge is a waste of our cash and the mayor knows it, vote him out in May"
    )
    assert is_match(original, variant) and similarity(original, variant) == 1.0
    assert is_match(original, swapped)
    # Near-identical texts share most LSH bands, so they are found as candidates.
    assert len(set(original.bands) & set(swapped.bands)) >= BANDS // 3


def test_cyrillic_and_its_latin_transliteration_read_the_same():
    assert campaign_words("Голосуйте ПРОТИВ нового моста! Мэр ворует, все знают") == campaign_words(
        "Golosujte protiv novogo mosta!!! Mer voruet, vse znayut"
    )
    assert campaign_words("Щойно прочитала: жахлива новина") == campaign_words(
        "Shchoyno prochytala: zhakhlyva novyna"
    )


def test_digits_for_letters_and_mixed_alphabets_are_read_as_letters():
    # "cаsinо" with a Cyrillic а and о; "m0ney" with a zero.
    assert campaign_words("Best cаsinо m0ney here") == campaign_words("best casino money here")


def test_unrelated_comments_do_not_match():
    other = signature("Trains cross the Dnipro again, and the repairs took eight months in all")
    assert similarity(signature(TALKING_POINT), other) < 0.1
    assert not is_match(signature(TALKING_POINT), other)


def test_short_texts_are_not_compared():
    assert not signature("me too").comparable
    assert not is_match(signature("me too"), signature("me too"))


def test_a_shared_link_or_ip_prefix_lowers_the_bar():
    a = "The mayor lied about the bridge money, read the proof at {} before the vote"
    b = "The mayor lied about bridge cash, see the evidence at {} before voting"
    linked = signature(a.format("http://truth.example/bridge"))
    linked_too = signature(b.format("http://truth.example/bridge"))
    plain, plain_too = signature(a.format("the site")), signature(b.format("the site"))
    assert 0.3 <= similarity(plain, plain_too) < 0.45
    assert not is_match(plain, plain_too)
    assert is_match(plain, plain_too, shared_prefix=True)
    assert is_match(linked, linked_too)


def test_ip_prefixes_are_a_slash_24_or_a_slash_48():
    assert ip_prefix("203.0.113.77") == "203.0.113.0/24"
    assert ip_prefix("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert ip_prefix("not an address") == "" and ip_prefix(None) == ""


def test_authors_are_told_apart_by_email_else_by_name_and_prefix():
    assert author_key("A@x.example", "Ann", "") == author_key("a@x.example", "Other", "")
    assert author_key("", "Ann", "203.0.113.0/24") != author_key("", "Ann", "198.51.100.0/24")
    assert len(author_key("a@x.example", "Ann", "")) == 16
