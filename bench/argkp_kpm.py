"""Key point matching on ArgKP-2021 (track 1), the closest public measure of key-point clustering.

    .venv/bin/python bench/argkp_kpm.py [--split test|dev] [--data ../shared/data]

For every argument, a score for each key point of the same topic and stance;
scored as in ``../shared/data/argkp/SOURCE.md``: each argument keeps its best key
point, the top half of each (topic, stance) group by score is kept, average
precision per group, mean over groups — strict (undecided pairs are no match)
and relaxed (they are a match), with the evaluation-phase formula (no extra
factor), the one the published figures use.

Scorers, side by side in one run:
* ``minilm-cosine``: cosine of the bundled MiniLM sentence vectors (what the
  arguments stage clusters with);
* ``kp-encoder-cosine``: cosine of ``kp-encoder-v2`` vectors (MiniLM fine-tuned on ArgKP **train**
  by ``training/train_kp_encoder.py``, epoch chosen on dev), what the arguments stage clusters with now;
* ``tfidf-cosine``: word TF-IDF cosine, a floor any learned scorer must beat.
Nothing is trained or tuned here, so the test split is only ever evaluated.
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


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_split(data: Path, split: str):
    folder = data / "argkp" / ("test_data" if split == "test" else "kpm_data")
    args = read_csv(folder / f"arguments_{split}.csv")
    kps = read_csv(folder / f"key_points_{split}.csv")
    labels = {(r["arg_id"], r["key_point_id"]): int(r["label"]) for r in read_csv(folder / f"labels_{split}.csv")}
    return args, kps, labels


def candidate_pairs(args, kps) -> dict[str, list[str]]:
    by_group = defaultdict(list)
    for k in kps:
        by_group[(k["topic"], k["stance"])].append(k["key_point_id"])
    return {a["arg_id"]: by_group[(a["topic"], a["stance"])] for a in args}


def average_precision(labels: list[int], scores: list[float]) -> float:
    """Area under the precision-recall steps, as scikit-learn's average_precision_score."""
    from sklearn.metrics import average_precision_score

    if not any(labels):
        return 0.0
    return float(average_precision_score(labels, scores))


def kpm_map(args, labels, scores: dict[str, dict[str, float]]) -> tuple[float, float]:
    """mAP strict and relaxed, evaluation-phase formula."""
    groups = defaultdict(list)
    for a in args:
        sc = scores.get(a["arg_id"], {})
        if sc:
            kp, s = max(sc.items(), key=lambda t: (t[1], t[0]))
        else:
            kp, s = None, 0.0
        groups[(a["topic"], a["stance"])].append((s, a["arg_id"], kp))
    out = []
    for relaxed in (False, True):
        aps = []
        for rows in groups.values():
            rows = sorted(rows, key=lambda t: -t[0])[: int(0.5 * len(rows))]
            ys, ss = [], []
            for s, arg, kp in rows:
                if kp is None:
                    ys.append(0)
                    ss.append(0.99)
                    continue
                lab = labels.get((arg, kp))
                ys.append(int(relaxed) if lab is None else lab)
                ss.append(s)
            aps.append(average_precision(ys, ss))
        out.append(float(np.mean(aps)))
    return out[0], out[1]


def score_minilm(args, kps, pairs, res) -> dict[str, dict[str, float]]:
    kp_text = {k["key_point_id"]: k["key_point"] for k in kps}
    A = res.embed([a["argument"] for a in args])
    K = res.embed(list(kp_text.values()))
    kidx = {k: i for i, k in enumerate(kp_text)}
    return {a["arg_id"]: {k: float(A[i] @ K[kidx[k]]) for k in pairs[a["arg_id"]]} for i, a in enumerate(args)}


def score_kp_encoder(args, kps, pairs) -> dict[str, dict[str, float]]:
    from counterpoint.kpencoder import load_kp_encoder

    enc = load_kp_encoder()
    kp_text = {k["key_point_id"]: k["key_point"] for k in kps}
    A = enc.embed([a["argument"] for a in args])
    K = enc.embed(list(kp_text.values()))
    kidx = {k: i for i, k in enumerate(kp_text)}
    return {a["arg_id"]: {k: float(A[i] @ K[kidx[k]]) for k in pairs[a["arg_id"]]} for i, a in enumerate(args)}


def score_tfidf(args, kps, pairs) -> dict[str, dict[str, float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    kp_text = {k["key_point_id"]: k["key_point"] for k in kps}
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(
        [a["argument"] for a in args] + list(kp_text.values()))
    A = vec.transform([a["argument"] for a in args])
    K = vec.transform(list(kp_text.values()))
    kidx = {k: i for i, k in enumerate(kp_text)}
    sims = (A @ K.T).toarray()
    return {a["arg_id"]: {k: float(sims[i, kidx[k]]) for k in pairs[a["arg_id"]]} for i, a in enumerate(args)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", choices=["test", "dev"])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    a = ap.parse_args(argv)

    from counterpoint.resources import Resources

    args, kps, labels = load_split(a.data, a.split)
    pairs = candidate_pairs(args, kps)
    res = Resources()
    print(f"machine: {os.cpu_count()} cores; ArgKP {a.split}: {len(args)} arguments, {len(kps)} key points, "
          f"{len(labels)} labelled pairs; evaluation-phase mAP")
    for name, scores in (("minilm-cosine", score_minilm(args, kps, pairs, res)),
                         ("kp-encoder-cosine", score_kp_encoder(args, kps, pairs)),
                         ("tfidf-cosine", score_tfidf(args, kps, pairs))):
        strict, relaxed = kpm_map(args, labels, scores)
        print(f"  {name:17s} mAP strict {strict:.3f}  relaxed {relaxed:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
