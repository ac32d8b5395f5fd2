from articles.quoting import CONTEXT_CHARS, anchor_quote

PARAGRAPHS = ["The bridge reopened on Monday.", "It cost a lot. It cost a lot more than planned."]


def test_it_takes_the_context_from_the_paragraph():
    anchor = anchor_quote(PARAGRAPHS, "reopened", paragraph_index=0, offset=11)
    assert anchor is not None
    assert (anchor.paragraph_index, anchor.offset) == (0, 11)
    assert (anchor.prefix, anchor.suffix) == ("The bridge ", " on Monday.")


def test_of_two_occurrences_the_one_nearest_the_offset_wins():
    anchor = anchor_quote(PARAGRAPHS, "It cost a lot", paragraph_index=1, offset=14)
    assert anchor is not None and anchor.offset == 15


def test_context_is_about_sixty_characters_each_side():
    long = "a" * 100 + "QUOTE" + "b" * 100
    anchor = anchor_quote([long], "QUOTE", paragraph_index=0, offset=100)
    assert anchor is not None
    assert anchor.prefix == "a" * CONTEXT_CHARS and anchor.suffix == "b" * CONTEXT_CHARS


def test_it_looks_in_other_paragraphs_and_gives_up_on_missing_words():
    anchor = anchor_quote(PARAGRAPHS, "Monday", paragraph_index=1, offset=0)
    assert anchor is not None and anchor.paragraph_index == 0
    assert anchor_quote(PARAGRAPHS, "Tuesday") is None
    assert anchor_quote(PARAGRAPHS, "") is None
