"""What scoring one comment costs with each task added: spam alone, spam and spoiler,
and all three tasks (spam, spoiler, abuse), each model featurizing the text itself.

Trains the default models from the seed corpus (no database), then scores every seed
text one at a time through each set of models, the sets taking turns in blocks of
BLOCK texts so that other work on the machine hits them alike. Prints the median and
p99 per comment (wall clock and this thread's CPU time) and each set's ratio to spam
alone. Budget: all three tasks under 0.5 ms per comment.

    python bench/task_scoring_cost.py [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")

import django

django.setup()

from moderation.classifier import TASKS, train  # noqa: E402
from moderation.retraining import seed_examples  # noqa: E402

BLOCK = 100
BUDGET_MS = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the texts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    models = {task: train(task, *seed_examples(task)) for task in TASKS}
    texts = sorted({text for task in TASKS for text in seed_examples(task)[0]})
    sets = {
        "spam": [models["spam"]],
        "spam+spoiler": [models["spam"], models["spoiler"]],
        "all three": [models[task] for task in TASKS],
    }
    for chosen in sets.values():  # warm caches, as a worker would be
        for text in texts[:50]:
            for model in chosen:
                model.score(text)
    wall: dict[str, list[int]] = {name: [] for name in sets}
    cpu: dict[str, list[int]] = {name: [] for name in sets}
    for _ in range(args.rounds):
        for first in range(0, len(texts), BLOCK):
            for name, chosen in sets.items():
                for text in texts[first : first + BLOCK]:
                    start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
                    for model in chosen:
                        model.score(text)
                    cpu[name].append(time.thread_time_ns() - start_cpu)
                    wall[name].append(time.perf_counter_ns() - start)
    base = float(np.median(cpu["spam"]))
    result = {
        name: {
            "p50_ms": float(np.median(wall[name])) / 1e6,
            "p99_ms": float(np.percentile(wall[name], 99)) / 1e6,
            "cpu_p50_ms": float(np.median(cpu[name])) / 1e6,
            "cpu_p99_ms": float(np.percentile(cpu[name], 99)) / 1e6,
            "cpu_p50_ratio_to_spam": float(np.median(cpu[name])) / base,
        }
        for name in sets
    }
    print(f"{len(texts)} seed texts x {args.rounds} rounds, one comment at a time")
    for name, row in result.items():
        print(
            f"  {name:13s} p50 {row['p50_ms']:.3f}ms  p99 {row['p99_ms']:.3f}ms"
            f"  (cpu p50 {row['cpu_p50_ms']:.3f}ms p99 {row['cpu_p99_ms']:.3f}ms)"
            f"  x{row['cpu_p50_ratio_to_spam']:.2f} of spam alone"
        )
    verdict = "within" if result["all three"]["cpu_p50_ms"] < BUDGET_MS else "over"
    print(f"# all three tasks {verdict} the {BUDGET_MS} ms budget (CPU p50)")
    print(f"# load average {os.getloadavg()[0]:.1f} at the end")
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
