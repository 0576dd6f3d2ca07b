"""Pro/con of arguments toward their topic, on ArgKP-2021 test topics (never seen in training).

    .venv/bin/python bench/argkp_stance.py [--data ../shared/data]

Each argument is scored as a sentence toward its topic, read as the claim, by the
committed stance model (``models/stance-v1.npz``) — the same call the stance stage
makes. Accuracy of for/against (the larger of the two; the model's neutral is not
an answer here, every argument has a side) per topic and overall, beside the
majority class. The stance model was trained on ArgKP dev and PERSPECTRUM dev
(see its model card); the 3 test topics were never used for training or tuning.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    a = ap.parse_args(argv)
    from counterpoint.resources import Resources

    with open(a.data / "argkp" / "test_data" / "arguments_test.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    res = Resources()
    model = res.stance_model
    by_topic = defaultdict(list)
    for r in rows:
        by_topic[r["topic"]].append(r)
    hits, n = 0, 0
    print(f"machine: {os.cpu_count()} cores; ArgKP test: {len(rows)} arguments on {len(by_topic)} topics; model {model.version}")
    for topic, rs in by_topic.items():
        p = np.asarray(model.sentence_probs(topic, [r["argument"] for r in rs]))
        pred = np.where(p[:, 0] >= p[:, 1], 1, -1)
        gold = np.array([int(r["stance"]) for r in rs])
        acc = float((pred == gold).mean())
        hits += int((pred == gold).sum())
        n += len(rs)
        print(f"  {topic[:60]:60s} n={len(rs):4d} acc {acc:.3f}")
    pro = sum(int(r["stance"]) == 1 for r in rows) / len(rows)
    print(f"overall accuracy {hits / n:.3f} (majority class {max(pro, 1 - pro):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
