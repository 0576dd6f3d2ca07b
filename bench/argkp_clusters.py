"""Key points kept together and apart: the arguments stage's clustering on ArgKP-2021.

    .venv/bin/python bench/argkp_clusters.py [--data ../shared/data]

ArgKP labels which key point each argument makes. Within one topic and stance (one side of
one story), the arguments that match exactly one key point form the gold clusters: one per
key point. The stage's own functions cluster them — ``cluster_vectors`` (average linkage under a
cosine-distance threshold) on either the MiniLM vectors alone (the stage before this bench) or
``cluster_space`` (MiniLM mixed with word TF-IDF fitted on the topic's arguments, as the stage
fits it on a story's), or ``kp-encoder-v2`` (MiniLM fine-tuned on ArgKP train so that arguments making
one key point lie together; what the stage clusters with now) — and B-cubed precision, recall and F1 are averaged over arguments.
The distance threshold of each representation is chosen on **dev** (grid below); test is
scored once with the chosen thresholds. Arguments matching several key points or none are left
out (their gold cluster is not one).

``cluster_space`` is an experiment kept here, not in the stage: it helped a little on ArgKP
(short one-point arguments) but on the bundled story's long op-ed sentences one shared word
("know") was enough to fold a distinct point into the thesis (see docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from argkp_kpm import load_split  # noqa: E402

MINILM_WEIGHT = 0.2   # of MiniLM in the mix: the best strict mAP on ArgKP dev key point matching

_NAME_WORD = re.compile(r"(?<=[\w,;:’'\"”)] )[A-Z][\w’'.-]*")
_WORD = re.compile(r"[\w’'.-]+")


def without_names(texts: list[str]) -> list[str]:
    """The sentences minus names: every word seen capitalised inside a sentence, wherever it
    stands. In one story every side names the same people, so a shared name says nothing
    about sharing a point."""
    names = {m.group(0).strip(".’'-") for t in texts for m in _NAME_WORD.finditer(t)}
    return [_WORD.sub(lambda m: " " if m.group(0).strip(".’'-") in names else m.group(0), t) for t in texts]


def cluster_space(texts: list[str], vecs: np.ndarray, minilm_weight: float = MINILM_WEIGHT) -> np.ndarray:
    """Unit vectors whose dot product is ``w`` x the MiniLM cosine + ``1 - w`` x the word TF-IDF cosine.

    TF-IDF is fitted on these sentences (one story's arguments): words a story's arguments share
    rarely ("coupon", "performative") tie two sentences together more than MiniLM's sense of topic
    does. On ArgKP dev key point matching (mAP strict), 0.2 MiniLM + 0.8 TF-IDF gave 0.834
    against 0.724 for MiniLM and 0.780 for TF-IDF alone; on test 0.768 (TF-IDF alone 0.771).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vecs = np.asarray(vecs, dtype=np.float64)
    try:
        tf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(without_names(texts)).toarray()
    except ValueError:  # no word left after the stop words
        tf = np.zeros((len(texts), 0))
    out = np.hstack([np.sqrt(minilm_weight) * vecs, np.sqrt(1 - minilm_weight) * tf])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)


GRID = tuple(round(x, 2) for x in np.arange(0.30, 0.95, 0.04))


def gold_groups(args, labels):
    """{(topic, stance): [(argument text, key point id)]} for arguments matching exactly one key point."""
    match = defaultdict(list)
    for (a, k), lab in labels.items():
        if lab == 1:
            match[a].append(k)
    out = defaultdict(list)
    for a in args:
        kps = match.get(a["arg_id"], [])
        if len(kps) == 1:
            out[(a["topic"], a["stance"])].append((a["argument"], kps[0]))
    return out


def b_cubed(pred: list[int], gold: list[str]) -> tuple[float, float]:
    """Sums over items of B-cubed precision and recall."""
    P = R = 0.0
    for i in range(len(pred)):
        same_p = [j for j in range(len(pred)) if pred[j] == pred[i]]
        same_g = [j for j in range(len(gold)) if gold[j] == gold[i]]
        both = sum(1 for j in same_p if gold[j] == gold[i])
        P += both / len(same_p)
        R += both / len(same_g)
    return P, R


def spaces(groups, res, kp_encoder):
    """{group: (MiniLM vectors, mixed vectors, kp-encoder vectors)}; TF-IDF fitted per topic over both stances."""
    by_topic = defaultdict(list)
    for (topic, stance), items in groups.items():
        by_topic[topic].append((stance, items))
    out = {}
    for topic, sides in by_topic.items():
        texts = [t for _, items in sides for t, _ in items]
        vecs = res.embed(texts)
        mixed = cluster_space(texts, vecs)
        kp = kp_encoder.embed(texts)
        k = 0
        for stance, items in sides:
            out[(topic, stance)] = (vecs[k:k + len(items)], mixed[k:k + len(items)], kp[k:k + len(items)])
            k += len(items)
    return out


def score(groups, vecs, which: int, threshold: float) -> tuple[float, float, float]:
    from counterpoint.stages.arguments import cluster_vectors

    P = R = n = 0.0
    for g, items in groups.items():
        pred = cluster_vectors(vecs[g][which], threshold)
        p, r = b_cubed(pred, [k for _, k in items])
        P, R, n = P + p, R + r, n + len(items)
    P, R = P / n, R / n
    return P, R, 2 * P * R / (P + R)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    a = ap.parse_args(argv)
    from counterpoint.kpencoder import load_kp_encoder
    from counterpoint.resources import Resources
    from counterpoint.stages.arguments import CLUSTER_DISTANCE

    t0 = time.time()
    res = Resources()
    kp_encoder = load_kp_encoder()
    data = {}
    for split in ("dev", "test"):
        args, _, labels = load_split(a.data, split)
        groups = gold_groups(args, labels)
        data[split] = (groups, spaces(groups, res, kp_encoder))
        n = sum(len(v) for v in groups.values())
        k = sum(len({kp for _, kp in v}) for v in groups.values())
        print(f"ArgKP {split}: {len(groups)} topic-stance groups, {n} arguments with exactly one key point, {k} gold clusters")
    print(f"machine: {os.cpu_count()} cores; mixed = {MINILM_WEIGHT} x MiniLM cosine + {1 - MINILM_WEIGHT:.1f} x TF-IDF cosine")
    names = ("MiniLM", "mixed", "kp-enc")
    chosen = {}
    for which, name in enumerate(names):
        rows = [(t, *score(data["dev"][0], data["dev"][1], which, t)) for t in GRID]
        best = max(rows, key=lambda r: (round(r[3], 4), -r[0]))
        chosen[name] = best[0]
        print(f"dev, {name:6s}: " + "  ".join(f"{t:.2f}:{f:.3f}" for t, _, _, f in rows))
        print(f"  chosen threshold {best[0]:.2f} (B3 P {best[1]:.3f} R {best[2]:.3f} F1 {best[3]:.3f})")
    print("test, scored once:")
    for which, name in enumerate(names):
        fixed = {"MiniLM": {0.62}, "kp-enc": {CLUSTER_DISTANCE}}.get(name, set())  # the stage's, before and now
        for t in sorted({chosen[name]} | fixed):
            P, R, F = score(data["test"][0], data["test"][1], which, t)
            print(f"  {name:6s} threshold {t:.2f}: B3 P {P:.3f} R {R:.3f} F1 {F:.3f}")
    print(f"runtime {time.time() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
