"""Classifier quality and speed: the project's pipeline against a reference baseline.

Trains both on the same files in one process and prints, for each: accuracy,
precision, recall and F1 of the positive class, ROC-AUC, training seconds, batch
scoring texts/s, single-text latency p50/p99 (ms; wall clock, and CPU time of the
scoring thread, which other work on the machine disturbs less), model size in bytes
(skops, stored as the project stores its artifacts) and load time.

    python bench/classifier_quality.py --task spam --format youtube \\
        --train Youtube01-Psy.csv Youtube02-KatyPerry.csv --test Youtube03-LMFAO.csv
    python bench/classifier_quality.py --task spam --format youtube --train A.csv B.csv C.csv
        (no --test: leave one video out, every rotation)
    python bench/classifier_quality.py --task spam --format sms \\
        --train SMSSpamCollection.tsv --folds 5
    python bench/classifier_quality.py --task spoiler --format tvtropes \\
        --train train.csv --folds 5

Baseline: TF-IDF word 1-2-grams + char_wb 3-5-grams (sublinear) into
LogisticRegression(C=1, liblinear), fed the same normalise_text() cleaning.
Results and commands go to docs/benchmarks.md. Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _datasets
import ablation
import cross_domain
import skops.io
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from moderation.classifier import TASK_CONFIGS, TASKS, TextClassifier, normalise_text, train
from moderation.classifier.evaluation import metrics_from_scores
from moderation.classifier.training import TrainingConfig

KEYS = (
    "accuracy",
    "precision",
    "recall",
    "f1",
    "roc_auc",
    "fit_s",
    "batch_texts_per_s",
    "single_p50_ms",
    "single_p99_ms",
    "model_bytes",
    "load_ms",
    "single_cpu_p50_ms",
    "single_cpu_p99_ms",
)
SINGLE_TEXTS = 500  # texts timed one by one per split
LATENCY_BLOCK = 100  # texts timed one by one per scorer before the other's turn
BATCH_TEXTS = 2000  # at least this many texts per batch timing (the test texts, repeated)
REPEATS = 5  # batch timings and loads: the median of this many runs


def baseline_pipeline() -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
                            ),
                        ),
                    ]
                ),
            ),
            ("model", LogisticRegression(C=1.0, solver="liblinear")),
        ]
    )


def _clean(texts: Sequence[str]) -> list[str]:
    return [normalise_text(text) for text in texts]


@dataclass(frozen=True)
class Scorer:
    batch: Callable[[list[str]], Any]
    one: Callable[[str], Any]


def _speeds(scorers: dict[str, Scorer], texts: list[str]) -> dict[str, dict[str, float]]:
    """Batch throughput and single-text latency of each scorer, measured in turns
    so that a burst of other work on the machine hits all of them alike: batch after
    batch, and single texts in blocks of LATENCY_BLOCK per scorer. Within a block a
    scorer's caches are warm, as in a worker scoring a stream of comments.
    """
    for scorer in scorers.values():  # warm caches, as a serving process would be
        scorer.batch(texts[:50])
        for text in texts[:20]:
            scorer.one(text)
    batch = texts * -(-BATCH_TEXTS // len(texts))
    batch_times: dict[str, list[float]] = {name: [] for name in scorers}
    for _ in range(REPEATS):
        for name, scorer in scorers.items():
            start = time.perf_counter()
            scorer.batch(batch)
            batch_times[name].append(time.perf_counter() - start)
    latencies: dict[str, list[int]] = {name: [] for name in scorers}
    cpu_times: dict[str, list[int]] = {name: [] for name in scorers}
    singles = texts[:SINGLE_TEXTS]
    for first in range(0, len(singles), LATENCY_BLOCK):
        for name, scorer in scorers.items():
            for text in singles[first : first + LATENCY_BLOCK]:
                start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
                scorer.one(text)
                cpu_times[name].append(time.thread_time_ns() - start_cpu)
                latencies[name].append(time.perf_counter_ns() - start)
    return {
        name: {
            "batch_texts_per_s": len(batch) / statistics.median(batch_times[name]),
            "single_p50_ms": float(np.percentile(latencies[name], 50)) / 1e6,
            "single_p99_ms": float(np.percentile(latencies[name], 99)) / 1e6,
            # CPU time of this thread: less at the mercy of other work on the machine.
            "single_cpu_p50_ms": float(np.percentile(cpu_times[name], 50)) / 1e6,
            "single_cpu_p99_ms": float(np.percentile(cpu_times[name], 99)) / 1e6,
        }
        for name in scorers
    }


def _median_ms(action: Callable[[], Any]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run_project(
    task: str,
    train_set: _datasets.Dataset,
    test_set: _datasets.Dataset,
    config: TrainingConfig | None = None,
) -> tuple[dict[str, float], Scorer]:
    start = time.perf_counter()
    model = train(task, train_set.texts, train_set.labels, metas=train_set.metas, config=config)
    fit_s = time.perf_counter() - start
    return evaluate_project(model, test_set, fit_s)


def evaluate_project(
    model: TextClassifier, test_set: _datasets.Dataset, fit_s: float
) -> tuple[dict[str, float], Scorer]:
    metas = test_set.metas
    scores = model.score_batch(test_set.texts, metas)
    result = _figures(test_set.labels, scores)
    result["fit_s"] = fit_s
    scorer = Scorer(model.score_batch, model.score)
    if metas is not None:
        meta_of = dict(zip(test_set.texts, metas, strict=True))
        scorer = Scorer(
            lambda texts: model.score_batch(texts, [meta_of[text] for text in texts]),
            lambda text: model.score(text, meta_of[text]),
        )
    data = model.to_bytes()
    result["model_bytes"] = len(data)
    result["load_ms"] = _median_ms(
        lambda: TextClassifier.from_bytes(data, expected_sha256=model.version)
    )
    result["C"] = model.info.get("C", float("nan"))
    result["log_count_ratio"] = float(bool(model.info.get("log_count_ratio")))
    return result, scorer


def run_baseline(
    train_set: _datasets.Dataset, test_set: _datasets.Dataset
) -> tuple[dict[str, float], Scorer]:
    pipeline = baseline_pipeline()
    start = time.perf_counter()
    pipeline.fit(_clean(train_set.texts), train_set.labels)
    fit_s = time.perf_counter() - start
    return evaluate_baseline(pipeline, test_set, fit_s)


def evaluate_baseline(
    pipeline: Pipeline, test_set: _datasets.Dataset, fit_s: float
) -> tuple[dict[str, float], Scorer]:
    scores = pipeline.predict_proba(_clean(test_set.texts))[:, 1]
    result = _figures(test_set.labels, scores)
    result["fit_s"] = fit_s
    scorer = Scorer(
        lambda texts: pipeline.predict_proba(_clean(texts)),
        lambda text: pipeline.predict_proba([normalise_text(text)]),
    )
    data = skops.io.dumps(pipeline, compression=zipfile.ZIP_STORED)
    result["model_bytes"] = len(data)
    trusted = skops.io.get_untrusted_types(data=data)
    result["load_ms"] = _median_ms(lambda: skops.io.loads(data, trusted=trusted))
    return result, scorer


def _figures(labels: Sequence[int], scores: np.ndarray) -> dict[str, float]:
    metrics = metrics_from_scores(np.asarray(labels), np.asarray(scores))
    return {
        key: float(metrics[key]) for key in ("accuracy", "precision", "recall", "f1", "roc_auc")
    }


def splits(args: argparse.Namespace) -> list[tuple[str, _datasets.Dataset, _datasets.Dataset]]:
    options = {"text_col": args.text_col, "label_col": args.label_col, "positive": args.positive}
    train_files = _datasets.load(args.train, args.format, **options)
    if args.test:
        test_files = _datasets.load(args.test, args.format, **options)
        trained_on = "+".join(path.name for path in args.train)
        tested_on = "+".join(path.name for path in args.test)
        return [
            (f"train {trained_on} / test {tested_on}", _concat(train_files), _concat(test_files))
        ]
    if args.format == "youtube" and not args.folds:
        # Spam is copy-pasted across videos: random rows would put copies on both sides.
        if len(train_files) < 2:
            sys.exit(
                "youtube without --test needs two or more files (one video held out each time)"
            )
        return [
            (
                f"test {args.train[held].name}",
                _concat([part for index, part in enumerate(train_files) if index != held]),
                train_files[held],
            )
            for held in range(len(train_files))
        ]
    if args.format == "youtube":
        sys.exit(
            "youtube: split by video (--test FILE, or no --test for all rotations), not --folds"
        )
    data = _concat(train_files)
    if args.format == "sms":
        data, removed = _datasets.deduplicate(data)
        print(f"# sms: removed {removed} exact duplicates, {len(data)} texts left", file=sys.stderr)
    folds = args.folds or 5
    splitter = StratifiedKFold(folds, shuffle=True, random_state=args.seed)
    return [
        (
            f"fold {number + 1}/{folds}",
            data.subset(list(train_index)),
            data.subset(list(test_index)),
        )
        for number, (train_index, test_index) in enumerate(
            splitter.split(np.zeros(len(data)), data.labels)
        )
    ]


def _concat(parts: list[_datasets.Dataset]) -> _datasets.Dataset:
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _mean(rows: list[dict[str, float]]) -> dict[str, Any]:
    return {key: float(np.mean([row[key] for row in rows])) for key in KEYS if key in rows[0]}


def _line(name: str, row: dict[str, float]) -> str:
    if "single_p50_ms" not in row:  # --no-speed
        return _short_line(name, row)
    return (
        f"  {name:9s} acc {row['accuracy']:.4f}  P {row['precision']:.4f}  R {row['recall']:.4f}"
        f"  F1 {row['f1']:.4f}  AUC {row['roc_auc']:.4f}  fit {row['fit_s']:6.2f}s"
        f"  batch {row['batch_texts_per_s']:8.0f}/s  p50 {row['single_p50_ms']:.3f}ms"
        f"  p99 {row['single_p99_ms']:.3f}ms  (cpu p50 {row['single_cpu_p50_ms']:.3f}ms"
        f" p99 {row['single_cpu_p99_ms']:.3f}ms)"
        f"  size {row['model_bytes'] / 1e6:6.2f}MB"
        f"  load {row['load_ms']:6.1f}ms"
    )


def _config(args: argparse.Namespace) -> TrainingConfig:
    config = TASK_CONFIGS[args.task]
    return ablation.ablated(config, args.ablate) if args.ablate else config


def run_cross_domain(args: argparse.Namespace) -> int:
    """Train each split's model and the baseline once; test both on every held-out set."""
    config = _config(args)
    table = sys.stderr if args.json else sys.stdout
    loads = [os.getloadavg()[0]]
    results: list[dict[str, Any]] = []
    print(f"# {args.task}, cross-domain, ablation: {args.ablate or 'none'}", file=table)
    for split in cross_domain.cross_domain_splits(args.task):
        start = time.perf_counter()
        texts, labels = split.train.texts, split.train.labels
        model = train(args.task, texts, labels, config=config)
        project_fit = time.perf_counter() - start
        start = time.perf_counter()
        pipeline = baseline_pipeline().fit(_clean(texts), labels)
        baseline_fit = time.perf_counter() - start
        print(
            f"{split.name} ({len(split.train)} texts; C={model.info['C']:g},"
            f" log-count ratios {'on' if model.info['log_count_ratio'] else 'off'})",
            file=table,
        )
        for test_name, test_set in split.tests:
            project, project_scorer = evaluate_project(model, test_set, project_fit)
            baseline, baseline_scorer = evaluate_baseline(pipeline, test_set, baseline_fit)
            if not args.no_speed:
                speeds = _speeds(
                    {"project": project_scorer, "baseline": baseline_scorer}, test_set.texts
                )
                project.update(speeds["project"])
                baseline.update(speeds["baseline"])
            print(f"  {test_name} ({len(test_set)} texts)", file=table)
            print(_short_line("project", project), file=table)
            print(_short_line("baseline", baseline), file=table, flush=True)
            pooled: dict[str, dict[str, float]] = {}
            if args.pool_sentences:
                pooled["project"] = _pooled(model.score_batch, test_set, "project", table)
                baseline_scores = functools.partial(_baseline_probabilities, pipeline)
                pooled["baseline"] = _pooled(baseline_scores, test_set, "baseline", table)
            results.append(
                {
                    "train": split.name,
                    "test": test_name,
                    "project": project,
                    "baseline": baseline,
                    "pooled_roc_auc": pooled,
                }
            )
        loads.append(os.getloadavg()[0])
    print(f"# load average {min(loads):.1f}-{max(loads):.1f} during the run", file=table)
    if args.json:
        print(json.dumps({"ablation": args.ablate, "splits": results}, indent=2))
    return 0


def _baseline_probabilities(pipeline: Pipeline, texts: list[str]) -> Any:
    return pipeline.predict_proba(_clean(texts))[:, 1]


def _pooled(
    score_batch: Callable[[list[str]], Any], test_set: _datasets.Dataset, name: str, table: Any
) -> dict[str, float]:
    pooled = cross_domain.pooled_scores(score_batch, test_set.texts)
    aucs = {way: float(roc_auc_score(test_set.labels, scores)) for way, scores in pooled.items()}
    shown = "  ".join(f"{way} {auc:.4f}" for way, auc in aucs.items())
    print(f"    {name:9s} sentence by sentence, ROC-AUC pooled by {shown}", file=table)
    return aucs


def _short_line(name: str, row: dict[str, float]) -> str:
    line = (
        f"    {name:9s} P {row['precision']:.4f}  R {row['recall']:.4f}  F1 {row['f1']:.4f}"
        f"  AUC {row['roc_auc']:.4f}"
    )
    if "single_p50_ms" in row:
        line += (
            f"  batch {row['batch_texts_per_s']:8.0f}/s  p50 {row['single_p50_ms']:.3f}ms"
            f"  (cpu p50 {row['single_cpu_p50_ms']:.3f}ms)"
        )
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", choices=TASKS, required=True)
    parser.add_argument("--train", type=Path, nargs="+")
    parser.add_argument("--test", type=Path, nargs="+")
    parser.add_argument("--format", choices=_datasets.FORMATS)
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--label-col", default="label")
    parser.add_argument("--positive", default="1")
    parser.add_argument("--folds", type=int, help="stratified k-fold on the train files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--cross-domain",
        action="store_true",
        help="the task's cross-domain splits (bench/cross_domain.py) instead of --train",
    )
    parser.add_argument(
        "--ablate",
        choices=sorted(ablation.ABLATIONS),
        help="train the project's model with one option changed (see bench/ablation.py)",
    )
    parser.add_argument("--no-speed", action="store_true", help="quality figures only")
    parser.add_argument(
        "--pool-sentences",
        action="store_true",
        help="with --cross-domain: also score each test text sentence by sentence, pooled",
    )
    args = parser.parse_args(argv)
    if args.test and args.folds:
        parser.error("--folds applies when --test is omitted")
    if args.cross_domain:
        return run_cross_domain(args)
    if not args.train or not args.format:
        parser.error("--train and --format are required without --cross-domain")

    project_rows, baseline_rows = [], []
    loads = [os.getloadavg()[0]]
    for name, train_set, test_set in splits(args):
        project, project_scorer = run_project(args.task, train_set, test_set, _config(args))
        baseline, baseline_scorer = run_baseline(train_set, test_set)
        if not args.no_speed:
            speeds = _speeds(
                {"project": project_scorer, "baseline": baseline_scorer}, test_set.texts
            )
            project.update(speeds["project"])
            baseline.update(speeds["baseline"])
        project_rows.append(project)
        baseline_rows.append(baseline)
        loads.append(os.getloadavg()[0])
        # With --json, the table goes to stderr so that stdout stays one JSON object.
        table = sys.stderr if args.json else sys.stdout
        print(
            f"{name}  (train {len(train_set)}, test {len(test_set)}, C={project['C']:g},"
            f" log-count ratios {'on' if project['log_count_ratio'] else 'off'})",
            file=table,
        )
        print(_line("project", project), file=table)
        print(_line("baseline", baseline), file=table, flush=True)
    load = f"load average {min(loads):.1f}-{max(loads):.1f} during the run"
    result = {
        "project": {
            **_mean(project_rows),
            "n_splits": len(project_rows),
            "per_split": project_rows,
        },
        "baseline": {
            **_mean(baseline_rows),
            "n_splits": len(baseline_rows),
            "per_split": baseline_rows,
        },
    }
    table = sys.stderr if args.json else sys.stdout
    if len(project_rows) > 1:
        print(f"mean of {len(project_rows)} splits", file=table)
        print(_line("project", result["project"]), file=table)
        print(_line("baseline", result["baseline"]), file=table)
    print(f"# {load}", file=table)
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
