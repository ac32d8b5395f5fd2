"""The trained classifier the web tier and workers hold: score, explain, save."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import sklearn
from sklearn.pipeline import Pipeline

from moderation.classifier import artifacts
from moderation.classifier.errors import LayoutMismatchError, ModelFileError
from moderation.classifier.explanation import Contribution, contributions
from moderation.classifier.features import CommentFeaturizer, Doc, FloatArray
from moderation.classifier.function_words import names_only_function_words
from moderation.classifier.layout import layout_mismatch
from moderation.classifier.scoring import LinearScorer

TASKS = ("spam", "spoiler", "abuse")


def featurizer_of(pipeline: Pipeline) -> CommentFeaturizer:
    featurizer = pipeline.named_steps["features"]
    if not isinstance(featurizer, CommentFeaturizer):
        raise TypeError(f"the pipeline's features step is a {type(featurizer).__name__}")
    return featurizer


class TextClassifier:
    """A fitted pipeline with its artifact bytes; ``version`` is their sha256."""

    def __init__(self, artifact: bytes, loaded: artifacts.Artifact) -> None:
        self.task = loaded.task
        self.sklearn_version = loaded.sklearn_version
        self.pipeline = loaded.pipeline
        self.info = loaded.info
        self.layout = loaded.layout
        self.version = artifacts.sha256_hex(artifact)
        self._artifact = artifact
        self._scorer = LinearScorer(loaded.pipeline)

    def __repr__(self) -> str:
        return f"<TextClassifier {self.task} {self.version[:12]}>"

    @classmethod
    def from_pipeline(
        cls, task: str, pipeline: Pipeline, info: dict[str, Any] | None = None
    ) -> TextClassifier:
        layout = featurizer_of(pipeline).layout()
        data = artifacts.dump(task, pipeline, info or {}, layout)
        return cls(
            data, artifacts.Artifact(task, sklearn.__version__, pipeline, info or {}, layout)
        )

    # -- scoring ---------------------------------------------------------------------

    def score(self, text: str, meta: Mapping[str, str] | None = None) -> float:
        """Probability of the positive class (spam, spoiler) for one text."""
        return self._scorer.score_one(self._scorer.featurizer.views((text, meta)))

    def score_batch(
        self,
        texts: Sequence[str],
        metas: Sequence[Mapping[str, str] | None] | None = None,
    ) -> FloatArray:
        if metas is not None and len(metas) != len(texts):
            raise ValueError("texts and metas differ in length")
        views = self._scorer.featurizer.views
        if metas is None:
            return self._scorer.score_views([views(text) for text in texts])
        return self._scorer.score_views([views(pair) for pair in zip(texts, metas, strict=True)])

    def predict_proba(self, docs: Sequence[Doc]) -> FloatArray:
        """The same scores through scikit-learn (slow; for checks)."""
        result: FloatArray = self.pipeline.predict_proba(list(docs))[:, 1]
        return result

    def explain(
        self,
        text: str,
        meta: Mapping[str, str] | None = None,
        k: int = 5,
        *,
        direction: Literal["positive", "both"] = "positive",
        content_words_only: bool = True,
    ) -> list[Contribution]:
        """The ``k`` features that pushed this text's score up the most (or, with
        ``direction="both"``, that moved it most either way), function words left out
        unless ``content_words_only`` is False.
        """
        found = contributions(self._scorer, text, meta)
        if content_words_only:
            # Function words are no reason a person can weigh, whatever their weight;
            # without this filter the contributions add up to the decision exactly.
            found = [c for c in found if not names_only_function_words(c.feature)]
        if direction == "positive":
            ranked = sorted((c for c in found if c.weight > 0), key=lambda c: -c.weight)
        else:
            ranked = sorted(found, key=lambda c: -abs(c.weight))
        return ranked[:k]

    # -- persistence -----------------------------------------------------------------

    def to_bytes(self) -> bytes:
        return self._artifact

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        *,
        expected_sha256: str | None = None,
        expected_task: str | None = None,
    ) -> TextClassifier:
        """Load an artifact; raises ModelFileError if corrupt, tampered or foreign, or
        (given ``expected_task``) trained for another task.
        """
        loaded = artifacts.load(data, expected_sha256=expected_sha256)
        if loaded.task not in TASKS:
            raise ModelFileError(f"unknown task {loaded.task!r} in the artifact")
        if expected_task is not None and loaded.task != expected_task:
            # Its scores would mean another thing: a spam probability read as abuse.
            raise ModelFileError(
                f"the artifact holds a model of the {loaded.task} task, "
                f"not of the {expected_task} task"
            )
        # Checked before anything is computed from the pipeline: coefficients read
        # against other columns would score, silently and wrongly, or not at all.
        try:
            expected = featurizer_of(loaded.pipeline).layout()
        except (AttributeError, KeyError, TypeError) as error:
            raise ModelFileError(f"the artifact holds no usable featurizer: {error}") from error
        mismatch = layout_mismatch(loaded.layout, expected)
        if mismatch is not None:
            raise LayoutMismatchError(mismatch, stored=loaded.layout, expected=expected)
        try:
            return cls(bytes(data), loaded)
        except (AttributeError, IndexError, TypeError, ValueError) as error:
            raise ModelFileError(f"the artifact's pipeline is not usable: {error}") from error

    def save(self, path: str | Path) -> str:
        """Write the artifact and its ``.json`` sidecar (sha256, versions); return the sha256."""
        return artifacts.write_file(
            Path(path),
            self._artifact,
            task=self.task,
            sklearn_version=self.sklearn_version,
            layout=self.layout,
        )

    @classmethod
    def load(cls, path: str | Path, *, expected_sha256: str | None = None) -> TextClassifier:
        """Read a file written by ``save``; the sidecar's sha256 is checked when present."""
        data, expected = artifacts.read_file(Path(path), expected_sha256=expected_sha256)
        return cls.from_bytes(data, expected_sha256=expected)
