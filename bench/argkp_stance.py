"""Pro/con of arguments toward their topic, on ArgKP-2021 test topics (never seen in training).

    .venv/bin/python bench/argkp_stance.py [--data ../shared/data]

Each argument is scored as a one-sentence article toward its topic, read as the claim,
through the stance stage's ``article_stance`` (the stance-v1 sentence head, whose
for/against split the stance-ce-v2 cross-encoder decides for every sentence it reads) —
and, for comparison, by the stance-v1 sentence head alone. Accuracy of for/against (the
larger of the two; neutral is not an answer here, every argument has a side) per topic and
overall, beside the majority class. stance-v1 was trained on ArgKP dev and PERSPECTRUM dev,
stance-ce-v2 on ArgKP train and PERSPECTRUM train (see the model cards); the 3 test topics
were never used for training or tuning.
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
    from counterpoint.stages.stance import article_stance

    ce = res.stance_cross_encoder
    hits = {"stage": 0, "head": 0}
    n = 0
    print(f"machine: {os.cpu_count()} cores; ArgKP test: {len(rows)} arguments on {len(by_topic)} topics; "
          f"models {model.version} + {ce.version}")
    for topic, rs in by_topic.items():
        gold = np.array([int(r["stance"]) for r in rs])
        head = np.asarray(model.sentence_probs(topic, [r["argument"] for r in rs]))
        stage = np.array([article_stance([r["argument"]], ["author"], topic, model, ce)[0][0] for r in rs])
        accs = {}
        for name, p in (("stage", stage), ("head", head)):
            pred = np.where(p[:, 0] >= p[:, 1], 1, -1)
            hits[name] += int((pred == gold).sum())
            accs[name] = float((pred == gold).mean())
        n += len(rs)
        print(f"  {topic[:60]:60s} n={len(rs):4d} acc stage {accs['stage']:.3f} (stance-v1 head alone {accs['head']:.3f})")
    # the same arguments toward each topic turned round by rule ("should" -> "should not"):
    # every gold side flips; a model that reads only the argument cannot follow
    from counterpoint.stancemodel import negate_claim

    flips = {"stage": 0, "head": 0}
    for topic, rs in by_topic.items():
        neg = negate_claim(topic)
        gold = -np.array([int(r["stance"]) for r in rs])
        head = np.asarray(model.sentence_probs(neg, [r["argument"] for r in rs]))
        stage = np.array([article_stance([r["argument"]], ["author"], neg, model, ce)[0][0] for r in rs])
        for name, p in (("stage", stage), ("head", head)):
            flips[name] += int((np.where(p[:, 0] >= p[:, 1], 1, -1) == gold).sum())
    print(f"topics turned round (e.g. '{negate_claim(next(iter(by_topic)))}'), sides flipped: "
          f"stance stage {flips['stage'] / n:.3f}; stance-v1 head alone {flips['head'] / n:.3f}")
    pro = sum(int(r["stance"]) == 1 for r in rows) / len(rows)
    print(f"overall accuracy: stance stage {hits['stage'] / n:.3f}; stance-v1 head alone {hits['head'] / n:.3f}; "
          f"majority class {max(pro, 1 - pro):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
