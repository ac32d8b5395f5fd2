"""Model artifacts: skops files (no pickle), a sha256 version, a version check.

An artifact is a skops dump of a small dict: format marker, task, scikit-learn
version, training facts and the fitted pipeline. Loading lists the types in the
file first and refuses any outside a fixed allowlist, so a crafted file cannot
make the loader build arbitrary objects.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sklearn
import skops.io
from sklearn.pipeline import Pipeline
from skops.io.exceptions import UntrustedTypesFoundException

from moderation.classifier.errors import ModelFileError

FORMAT = "newsroom-moderation/text-classifier"
# 2: the feature layout is recorded (layout.py); version 1 files have none and load
# only to be refused with a clear reason.
FORMAT_VERSION = 2
READABLE_FORMAT_VERSIONS = (1, 2)

# The types a genuine artifact holds beyond those skops trusts by default; nothing
# else is ever constructed from a file.
TRUSTED_TYPES = frozenset(
    {
        "moderation.classifier.features.CommentFeaturizer",
        "moderation.classifier.weighting.LogCountRatio",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
    }
)


@dataclass(frozen=True)
class Artifact:
    task: str
    sklearn_version: str
    pipeline: Pipeline
    info: dict[str, Any]
    # The feature layout the pipeline was fitted on; empty in files from before it was kept.
    layout: dict[str, Any]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump(task: str, pipeline: Pipeline, info: dict[str, Any], layout: dict[str, Any]) -> bytes:
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "task": task,
        "sklearn_version": sklearn.__version__,
        "info": info,
        "layout": layout,
        "pipeline": pipeline,
    }
    # Stored, not deflated: a few MB either way, and inflating costs a worker tens of
    # milliseconds at every load.
    return skops.io.dumps(payload, compression=zipfile.ZIP_STORED)


def _same_minor(left: str, right: str) -> bool:
    return left.split(".")[:2] == right.split(".")[:2]


def load(data: bytes, *, expected_sha256: str | None = None) -> Artifact:
    """Verify and load an artifact; every failure is a ModelFileError."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ModelFileError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if expected_sha256 is not None and not hmac.compare_digest(
        sha256_hex(data), expected_sha256.lower()
    ):
        raise ModelFileError("the artifact's sha256 does not match: refusing a tampered file")
    try:
        # skops checks every type in the file against its defaults plus this list
        # before building anything.
        payload = skops.io.loads(data, trusted=sorted(TRUSTED_TYPES))
    except UntrustedTypesFoundException as error:
        raise ModelFileError(f"the artifact holds unexpected types: {error}") from error
    except Exception as error:
        raise ModelFileError(f"not a readable model artifact: {error}") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelFileError("not a text-classifier artifact")
    if payload.get("format_version") not in READABLE_FORMAT_VERSIONS:
        raise ModelFileError(f"unsupported artifact format {payload.get('format_version')!r}")
    trained_with = str(payload.get("sklearn_version"))
    if not _same_minor(trained_with, sklearn.__version__):
        raise ModelFileError(
            f"trained with scikit-learn {trained_with}, running {sklearn.__version__}: retrain"
        )
    pipeline = payload.get("pipeline")
    if not isinstance(pipeline, Pipeline):
        raise ModelFileError("the artifact holds no pipeline")
    return Artifact(
        task=str(payload.get("task")),
        sklearn_version=trained_with,
        pipeline=pipeline,
        info=dict(payload.get("info") or {}),
        layout=dict(payload.get("layout") or {}),
    )


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def write_file(
    path: Path, data: bytes, *, task: str, sklearn_version: str, layout: dict[str, Any]
) -> str:
    """Write an artifact and, beside it, a JSON file with its sha256, versions and layout."""
    digest = sha256_hex(data)
    path.write_bytes(data)
    sidecar = {
        "task": task,
        "sha256": digest,
        "sklearn_version": sklearn_version,
        "layout": layout,
    }
    sidecar_path(path).write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    return digest


def read_file(path: Path, *, expected_sha256: str | None = None) -> tuple[bytes, str | None]:
    """Read an artifact and the sha256 to hold it to (given, else from its sidecar)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelFileError(f"cannot read {path}: {error}") from error
    if expected_sha256 is None and sidecar_path(path).exists():
        try:
            expected_sha256 = str(json.loads(sidecar_path(path).read_text("utf-8"))["sha256"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelFileError(f"unreadable sidecar {sidecar_path(path)}: {error}") from error
    return data, expected_sha256
