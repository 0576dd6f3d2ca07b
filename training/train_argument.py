"""Train the argument-sentence detector (is this sentence an argument or narration?).

Positives: ArgKP train + dev arguments (crowd-written arguments on 28 topics).
Negatives: sentences of FNC-1 training bodies (news narration; some opinion in
there is label noise we accept for this first model).
Features: MiniLM sentence embedding + a few lexical cues (argmodel.cue_features).
Model: L2 logistic regression; C chosen on a grouped hold-out (by ArgKP topic and
by FNC body), then refit on everything. Never reads a test split.

    .venv/bin/python training/train_argument.py [--data ../shared/data] [--out src/counterpoint/models]

Writes models/argument-v1.npz (numpy arrays, no pickle) and prints the hold-out figures
that go into models/argument-v1.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from counterpoint.argmodel import cue_features, FEATURE_NOTE  # noqa: E402
from counterpoint.resources import Resources  # noqa: E402

SEED = 13
csv.field_size_limit(10**9)


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])", " ".join(text.split()))
    return [p.strip() for p in parts if 30 <= len(p.strip()) <= 400]


def load_data(data: Path):
    rng = random.Random(SEED)
    pos, pos_groups = [], []
    for split in ("train", "dev"):
        with open(data / "argkp" / "kpm_data" / f"arguments_{split}.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                pos.append(row["argument"].strip())
                pos_groups.append("t:" + row["topic"])
    neg, neg_groups = [], []
    with open(data / "fnc1" / "train_bodies.csv", encoding="utf-8") as f:
        bodies = list(csv.DictReader(f))
    for b in bodies:
        for s in split_sentences(b["articleBody"]):
            neg.append(s)
            neg_groups.append("b:" + b["Body ID"])
    idx = list(range(len(neg)))
    rng.shuffle(idx)
    idx = sorted(idx[: len(pos)])
    neg = [neg[i] for i in idx]
    neg_groups = [neg_groups[i] for i in idx]
    return pos + neg, [1] * len(pos) + [0] * len(neg), pos_groups + neg_groups


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "counterpoint" / "models")
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, precision_score, recall_score

    t0 = time.time()
    texts, y, groups = load_data(args.data)
    y = np.array(y)
    res = Resources()
    emb = res.embed(texts)
    cues = np.array([cue_features(t) for t in texts], dtype=np.float32)
    X = np.hstack([emb, cues])
    # grouped hold-out: a fifth of the topics and of the bodies
    rng = random.Random(SEED)
    uniq = sorted(set(groups))
    rng.shuffle(uniq)
    held = set(uniq[: len(uniq) // 5])
    te = np.array([g in held for g in groups])
    best = None
    for C in (0.1, 0.3, 1.0, 3.0, 10.0):
        clf = LogisticRegression(C=C, max_iter=2000, random_state=SEED)
        clf.fit(X[~te], y[~te])
        p = clf.predict(X[te])
        f1 = f1_score(y[te], p)
        print(f"C={C}: hold-out F1 {f1:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, C, precision_score(y[te], p), recall_score(y[te], p),
                    float((p[y[te] == 0] == 1).mean()))
    f1, C, prec, rec, far = best
    clf = LogisticRegression(C=C, max_iter=2000, random_state=SEED).fit(X, y)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {
        "version": "argument-v1", "seed": SEED, "C": C, "n_pos": int(y.sum()), "n_neg": int((1 - y).sum()),
        "holdout": {"f1": round(f1, 4), "precision": round(prec, 4), "recall": round(rec, 4),
                    "false_argument_rate_on_news": round(far, 4)},
        "features": FEATURE_NOTE,
    }
    np.savez_compressed(args.out / "argument-v1.npz", coef=clf.coef_[0].astype(np.float32),
                        intercept=np.float32(clf.intercept_[0]), meta=json.dumps(meta))
    print(json.dumps(meta, indent=2))
    print(f"trained in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
