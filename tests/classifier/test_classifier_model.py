"""Scoring, explanations and artifacts of a trained TextClassifier."""

import dataclasses
import hashlib
import json
import math

import numpy as np
import pytest
import sklearn
import skops.io
from classifier_examples import HAM, QUICK, SPAM

from moderation.classifier import (
    TASKS,
    LayoutMismatchError,
    ModelFileError,
    TextClassifier,
    artifacts,
    train,
)
from moderation.classifier.artifacts import FORMAT
from moderation.classifier.layout import LAYOUT_VERSION


def test_it_scores_a_spammy_text_above_an_ordinary_one(spam_model):
    spammy = spam_model.score("FREE casino bonus!!! Click http://casino-bonus.biz now")
    ordinary = spam_model.score("The council should explain the delay to the bridge repairs.")
    assert 0.0 <= ordinary < 0.5 < spammy <= 1.0


def test_it_scores_a_spoiler_above_a_harmless_remark(spoiler_model):
    spoiler = spoiler_model.score("In the last episode it turns out the mother is the killer.")
    harmless = spoiler_model.score("The costumes were designed by a local studio.")
    assert spoiler > harmless


def test_it_scores_a_batch_like_single_texts(spam_model):
    texts = [*SPAM[:5], *HAM[:5], ""]
    batch = spam_model.score_batch(texts)
    assert batch.shape == (len(texts),)
    np.testing.assert_allclose(batch, [spam_model.score(text) for text in texts], atol=1e-12)


def test_its_fast_scorer_equals_the_scikit_learn_pipeline(spam_model):
    texts = [*SPAM, *HAM, "", "x" * 10_000, "ВИГРАЙ 1000$!!!"]
    np.testing.assert_allclose(
        spam_model.score_batch(texts), spam_model.predict_proba(texts), rtol=0, atol=1e-10
    )


def test_its_fast_scorer_equals_the_pipeline_with_metadata():
    metas = [{"author_email_domain": "spam.biz" if label else "ukr.net"} for label in [1, 0] * 20]
    texts = [SPAM[i // 2] if i % 2 == 0 else HAM[i // 2] for i in range(40)]
    config = dataclasses.replace(QUICK, features={"meta_keys": ("author_email_domain",)})
    model = train("spam", texts, [1, 0] * 20, metas=metas, config=config)
    docs = list(zip(texts, metas, strict=True))
    np.testing.assert_allclose(
        model.score_batch(texts, metas), model.predict_proba(docs), rtol=0, atol=1e-10
    )
    # Metadata is optional at scoring time.
    assert 0.0 <= model.score(texts[0]) <= 1.0


def test_its_fast_scorer_equals_the_pipeline_with_log_count_ratios():
    texts, labels = [*SPAM, *HAM], [1] * len(SPAM) + [0] * len(HAM)
    model = train("spam", texts, labels, config=dataclasses.replace(QUICK, log_count_ratio=(True,)))
    assert model.info["log_count_ratio"] is True
    np.testing.assert_allclose(
        model.score_batch(texts), model.predict_proba(texts), rtol=0, atol=1e-10
    )


def test_its_explanation_names_the_words_that_pushed_the_score(spam_model):
    reasons = spam_model.explain("Best casino bonus, free spins!!! http://casino-win.ru", k=5)
    assert 0 < len(reasons) <= 5
    assert all(reason.weight > 0 for reason in reasons)
    assert [r.weight for r in reasons] == sorted((r.weight for r in reasons), reverse=True)
    named = {reason.feature for reason in reasons}
    assert named & {'word "casino"', 'link "http://casino-win.ru"', 'word "bonus"'}
    assert not any(feature.isdigit() for feature in named)


def test_its_explanation_can_show_both_directions(spam_model):
    reasons = spam_model.explain(
        "Thanks for the report on the council budget vote", k=3, direction="both"
    )
    assert any(reason.weight < 0 for reason in reasons)


def test_its_explanation_adds_up_to_the_score(spam_model):
    text = "Earn $500 a day!!! visit www.easy-money.com"
    reasons = spam_model.explain(text, k=10_000, direction="both", content_words_only=False)
    scorer = spam_model._scorer
    decision = scorer.decision_views([scorer.featurizer.views(text)])[0]
    logit = scorer.slope * (decision - scorer.intercept)
    assert sum(reason.weight for reason in reasons) == pytest.approx(logit, abs=1e-9)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "spam " * 200_000,  # 1 MB
        bytes(range(256)).decode("latin-1") * 4,
        "\x00\x01\ufffe\ud800\udfff binary",
        "Купи ДЕШЕВО cheap пігулки kupy deshevo 😀🎰 中文 العربية",
        "𝐅𝐑𝐄𝐄 ｃａｓｉｎｏ",
    ],
)
def test_it_scores_and_explains_awkward_input_without_error(spam_model, text):
    score = spam_model.score(text, {"user_agent": "\x00", "referrer": ""})
    assert math.isfinite(score)
    assert 0.0 <= score <= 1.0
    assert isinstance(spam_model.explain(text), list)


def test_a_saved_model_loads_and_scores_the_same(spam_model, tmp_path):
    data = spam_model.to_bytes()
    assert spam_model.version == hashlib.sha256(data).hexdigest()
    assert spam_model.sklearn_version == sklearn.__version__
    loaded = TextClassifier.from_bytes(data, expected_sha256=spam_model.version)
    assert (loaded.task, loaded.version) == ("spam", spam_model.version)
    texts = [*SPAM, *HAM]
    np.testing.assert_array_equal(loaded.score_batch(texts), spam_model.score_batch(texts))
    assert loaded.explain(SPAM[2]) == spam_model.explain(SPAM[2])

    path = tmp_path / "spam.skops"
    assert spam_model.save(path) == spam_model.version
    sidecar = json.loads((tmp_path / "spam.skops.json").read_text())
    assert sidecar == {
        "task": "spam",
        "sha256": spam_model.version,
        "sklearn_version": sklearn.__version__,
        "layout": spam_model.layout,
    }
    assert TextClassifier.load(path).score(SPAM[0]) == spam_model.score(SPAM[0])


def test_it_refuses_a_tampered_artifact(spam_model):
    data = bytearray(spam_model.to_bytes())
    data[len(data) // 2] ^= 0xFF
    with pytest.raises(ModelFileError, match="sha256"):
        TextClassifier.from_bytes(bytes(data), expected_sha256=spam_model.version)


def test_it_refuses_a_file_whose_sidecar_hash_does_not_match(spam_model, tmp_path):
    path = tmp_path / "spam.skops"
    spam_model.save(path)
    path.write_bytes(path.read_bytes() + b"\x00")
    with pytest.raises(ModelFileError, match="sha256"):
        TextClassifier.load(path)


@pytest.mark.parametrize("data", [b"", b"not a zip file", b"PK\x03\x04" + b"\x00" * 100])
def test_it_refuses_a_corrupt_artifact(data):
    with pytest.raises(ModelFileError):
        TextClassifier.from_bytes(data)


def test_it_refuses_an_artifact_of_another_format():
    with pytest.raises(ModelFileError, match="not a text-classifier"):
        TextClassifier.from_bytes(skops.io.dumps({"format": "something else"}))


def test_it_refuses_an_artifact_holding_untrusted_types():
    # A skops file may name any importable callable; the loader must not build it.
    payload = {"format": FORMAT, "format_version": 1, "task": "spam", "hook": np.load}
    with pytest.raises(ModelFileError, match="unexpected types"):
        TextClassifier.from_bytes(skops.io.dumps(payload))


def test_it_knows_its_tasks():
    assert TASKS == ("spam", "spoiler", "abuse")


def test_an_artifact_written_now_records_its_feature_layout(spam_model):
    layout = TextClassifier.from_bytes(spam_model.to_bytes()).layout
    assert layout["version"] == LAYOUT_VERSION
    assert layout["n_bits"] == 20 and layout["char_ngram_range"] == [2, 5]
    assert len(layout["signals"]) == 12
    assert layout["signals"][:2] == ["many links", "ALL CAPS"]
    assert layout["signals"][-1] == "very long text"


def _rewritten(model: TextClassifier, layout: dict, format_version: int = 2) -> bytes:
    """The model's pipeline in an artifact that records another layout (or none)."""
    data = artifacts.dump(model.task, model.pipeline, model.info, layout)
    payload = skops.io.loads(data, trusted=sorted(artifacts.TRUSTED_TYPES))
    payload["format_version"] = format_version
    if not layout:
        del payload["layout"]
    return skops.io.dumps(payload)


def test_it_refuses_a_model_trained_before_a_signal_was_added(spam_model):
    # As a model trained by code that had one signal fewer would record it.
    older = {**spam_model.layout, "signals": spam_model.layout["signals"][:-1]}
    with pytest.raises(LayoutMismatchError, match="differs in signals") as refused:
        TextClassifier.from_bytes(_rewritten(spam_model, older))
    assert refused.value.stored["signals"] == older["signals"]
    assert refused.value.expected["signals"] == spam_model.layout["signals"]


def test_it_refuses_a_model_hashed_by_another_layout_version(spam_model):
    older = {**spam_model.layout, "version": LAYOUT_VERSION - 1}
    with pytest.raises(LayoutMismatchError, match="differs in version"):
        TextClassifier.from_bytes(_rewritten(spam_model, older))


def test_it_refuses_a_model_file_that_records_no_layout(spam_model):
    with pytest.raises(LayoutMismatchError, match="no layout recorded"):
        TextClassifier.from_bytes(_rewritten(spam_model, {}, format_version=1))
