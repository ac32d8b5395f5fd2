"""The held-out split: each text's side follows from its own content."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.classifier import held_out_flags, read_labelled_csv

SEED = Path(__file__).resolve().parents[2] / "moderation" / "seed"
SHARE = 0.2


def _seed(task: str) -> tuple[list[str], list[int]]:
    return read_labelled_csv(SEED / f"{task}.csv", text_col="text", label_col="label")


def _sides(texts: list[str], labels: list[int]) -> dict[str, bool]:
    return dict(zip(texts, held_out_flags(texts, labels, SHARE), strict=True))


examples = st.lists(st.tuples(st.text(min_size=1, max_size=40), st.integers(0, 1)), max_size=30)


@settings(max_examples=40, deadline=None)
@given(before=examples, added=examples)
def test_it_never_moves_a_text_between_sides_as_data_grows(before, added):
    seed_texts, seed_labels = _seed("spam")
    texts = seed_texts + [text for text, _ in before]
    labels = seed_labels + [label for _, label in before]
    sides_before = _sides(texts, labels)
    sides_after = _sides(
        texts + [text for text, _ in added], labels + [label for _, label in added]
    )
    assert {text: sides_after[text] for text in sides_before} == sides_before


LETTERS = "abcdefghijklmnopqrstuvwxyzабвгґдеєжзиіїйклмнопрстуфхцчшщьюя!?.,0123456789 "


@given(text=st.text(alphabet=LETTERS, min_size=1, max_size=60))
def test_copies_of_one_text_land_on_the_same_side(text):
    copies = [text, text.upper(), f"  {text}  ", text.replace(" ", "  ")]
    flags = held_out_flags([*copies, "a ham text", "a spam text"], [1, 1, 1, 1, 0, 1], SHARE)
    assert len(set(flags[:4])) == 1


@pytest.mark.parametrize("task", ["spam", "spoiler"])
def test_it_holds_out_about_a_fifth_of_the_seed_with_both_classes(task):
    texts, labels = _seed(task)
    flags = held_out_flags(texts, labels, SHARE)
    share = sum(flags) / len(flags)
    assert 0.15 <= share <= 0.25
    held_labels = {label for label, held in zip(labels, flags, strict=True) if held}
    train_labels = {label for label, held in zip(labels, flags, strict=True) if not held}
    assert held_labels == train_labels == {0, 1}


def test_a_small_set_still_holds_out_one_text_of_each_class():
    # No text of these hashes below a share this small: the lowest hash of each class
    # is held out all the same.
    texts = ["first ham", "second ham", "third ham", "first spam", "second spam"]
    labels = [0, 0, 0, 1, 1]
    flags = held_out_flags(texts, labels, 0.0001)
    assert sum(flags) == 2
    assert {label for label, held in zip(labels, flags, strict=True) if held} == {0, 1}
    assert flags == held_out_flags(list(reversed(texts)), list(reversed(labels)), 0.0001)[::-1]
