"""Explanations name content words, never function words, in English, Ukrainian and Russian."""

import pytest

from moderation.classifier import train
from moderation.classifier.function_words import names_only_function_words
from moderation.classifier.training import TrainingConfig

# A model that leans on function words: every abusive example says "me", "and", "его",
# "мене", and no clean one does.
ABUSIVE = [
    "Leave me and go away, idiot",
    "Call me and I will show you, moron",
    "Tell me and prove it, clown",
    "Оставь его и иди прочь, дебил",
    "Спроси его и замолчи, урод",
    "Залиш мене і йди геть, дурню",
    "Не чіпай мене і мовчи, ідіоте",
    "Ask me and stop whining, loser",
]
CLEAN = [
    "The bridge reopened on Monday after repairs",
    "Trains cross the river again, good news",
    "Міст відкрили в понеділок після ремонту",
    "Мост открыли в понедельник после ремонта",
    "The council published the budget today",
    "Рада оприлюднила бюджет сьогодні",
    "Совет опубликовал бюджет сегодня",
    "A fair point about the tram fares",
]
QUICK = TrainingConfig(c_grid=(100.0,), log_count_ratio=(False,), selection_folds=2)


@pytest.fixture(scope="module")
def leaning_model():
    return train("abuse", ABUSIVE + CLEAN, [1] * len(ABUSIVE) + [0] * len(CLEAN), config=QUICK)


@pytest.mark.parametrize(
    ("text", "function_words"),
    [
        ("Leave me and go away, moron", {"me", "and"}),
        ("Оставь его и уходи, дебил", {"его", "и"}),
        ("Залиш мене і йди, дурню", {"мене", "і"}),
    ],
)
def test_an_explanation_never_names_a_function_word(leaning_model, text, function_words):
    # The model does lean on them: with the filter off they are among the reasons.
    unfiltered = leaning_model.explain(text, k=100, content_words_only=False)
    assert {f'word "{word}"' for word in function_words} & {c.feature for c in unfiltered}
    shown = [c.feature for c in leaning_model.explain(text, k=100)]
    assert shown, "content words are still there to explain the score"
    for word in function_words:
        assert f'word "{word}"' not in shown
        assert not any(feature.endswith(f' "{word},"') for feature in shown)


@pytest.mark.parametrize(
    ("feature", "dropped"),
    [
        ('word "me"', True),
        ('word "And"', True),
        ('fragment "me,"', True),
        ('phrase "and his"', True),
        ('word "його"', True),
        ('word "его"', True),
        ('phrase "and moron"', False),
        ('word "moron"', False),
        ('fragment "moron."', False),
        ('link "www.example.com"', False),
        ("ALL CAPS", False),
    ],
)
def test_it_tells_function_words_from_content_words(feature, dropped):
    assert names_only_function_words(feature) is dropped
