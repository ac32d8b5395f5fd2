import dataclasses

import numpy as np
import pytest
from classifier_examples import NOT_SPOILERS, QUICK, SPOILERS

from moderation.classifier import TextClassifier, train
from moderation.classifier.features import CommentFeaturizer
from moderation.classifier.spoiler_cues import CUE_EXPLANATIONS, CUE_LABELS, spoiler_cues

WITH_CUES = dataclasses.replace(QUICK, features={"cues": "spoiler"})


def cues(text: str) -> dict[str, float]:
    return dict(zip(CUE_LABELS, spoiler_cues(text, text.lower()), strict=True))


@pytest.fixture(scope="module")
def cue_model() -> TextClassifier:
    return train(
        "spoiler",
        SPOILERS + NOT_SPOILERS,
        [1] * len(SPOILERS) + [0] * len(NOT_SPOILERS),
        config=WITH_CUES,
    )


@pytest.mark.parametrize(
    "text",
    [
        "In the finale the detective turns out to be the killer.",
        "Виявляється, він помирає в кінці другого сезону.",
        "Оказывается, в финале она умирает.",
    ],
)
def test_it_finds_endings_and_deaths_in_each_language(text):
    found = cues(text)
    assert found["says how the story ends"] > 0
    assert found["tells of a death, a twist or a secret"] > 0


def test_it_tells_an_opinion_from_plot_narration():
    opinion = cues("I loved it, my favourite show. Can't wait for next season?")
    plot = cues("He betrays her and they leave him at the border.")
    assert opinion["the reader's own opinion (first person)"] > 0
    assert opinion["asks or looks ahead"] > 0
    assert opinion["plot told in the third person"] == 0
    assert plot["plot told in the third person"] == pytest.approx(4 / 10)  # he her they him
    assert plot["the reader's own opinion (first person)"] == 0


def test_a_long_text_is_not_a_spoiler_for_its_length_alone():
    sentence = "The cast is good and the music suits it. "
    assert cues(sentence * 40) == cues(sentence)


def test_results_and_names_count():
    found = cues("Dynamo lost to Partizan, and Shakhtar won the final score 2-1.")
    assert found["gives a result or a winner"] > 0
    assert found["names characters"] > 0


def test_every_cue_is_explained_to_editors():
    assert set(CUE_EXPLANATIONS) == set(CUE_LABELS)


def test_the_cue_columns_follow_the_signals_and_are_recorded_in_the_layout():
    plain, with_cues = CommentFeaturizer(), CommentFeaturizer(cues="spoiler")
    assert with_cues.n_signals == plain.n_signals + len(CUE_LABELS)
    assert with_cues.layout()["cues"] == list(CUE_LABELS)
    assert "cues" not in plain.layout()
    with pytest.raises(ValueError, match="unknown cue set"):
        CommentFeaturizer(cues="weather").signal_labels()


def test_a_model_with_cues_serves_what_it_trained(cue_model):
    texts = [*SPOILERS[:4], *NOT_SPOILERS[:4], "Оказывается, в финале она умирает."]
    np.testing.assert_allclose(
        cue_model.score_batch(texts), cue_model.predict_proba(texts), rtol=0, atol=1e-10
    )
    one_by_one = [cue_model.score(text) for text in texts]
    np.testing.assert_allclose(cue_model.score_batch(texts), one_by_one, rtol=0, atol=1e-10)
    loaded = TextClassifier.from_bytes(cue_model.to_bytes(), expected_sha256=cue_model.version)
    assert loaded.score(texts[-1]) == pytest.approx(cue_model.score(texts[-1]), abs=1e-12)


def test_its_reasons_name_the_cues(cue_model):
    reasons = cue_model.explain("In the end she dies and it turns out he was the killer.", k=50)
    assert any(reason.feature in CUE_LABELS for reason in reasons)


def test_muted_signals_and_blocks_change_nothing_else():
    text = "In the end she dies!!! http://example.com"
    full = CommentFeaturizer(cues="spoiler")
    muted = CommentFeaturizer(cues="spoiler", muted_signals=("many links",))
    (full_view,), (muted_view,) = [full.views(text)], [muted.views(text)]
    _, _, _, full_signals = full.count([full_view])
    _, _, _, muted_signals = muted.count([muted_view])
    links = full.signal_labels().index("many links")
    assert full_signals[0, links] > 0 and muted_signals[0, links] == 0
    np.testing.assert_array_equal(np.delete(full_signals, links), np.delete(muted_signals, links))
    groups, *_ = CommentFeaturizer(muted_blocks=("characters",)).count([full_view])
    assert 0 not in set(groups.tolist())  # block 0: characters
