"""Grouping: B-cubed precision / recall / F1 of the stories against a gold grouping built from FNC-1.

    .venv/bin/python bench/grouping_fnc1.py [--tune] [--data ../shared/data]

Gold: FNC-1's related pairs (agree / disagree / discuss) tie a body to the
Emergent claim (headline) it reports on. Bodies and headlines are the nodes of
a graph whose edges are the related pairs; the bodies of one connected
component are one gold story. Only bodies with at least one related pair are
scored (a body whose every pair is `unrelated` tells us nothing about its claim).

The competition-test bodies are split by ``split.csv``: ``fit`` bodies tune the
thresholds (``--tune``: a grid search printing the best parameters, to be
copied into ``grouping.GroupingParams``), ``eval`` bodies are reported and never
tuned on. The map (spaCy + MiniLM) runs once and its signals are cached in
``.bench-cache/grouping-fnc1.npz`` (a few minutes cold on 2 cores).
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)
CACHE = ROOT / ".bench-cache" / "grouping-fnc1.npz"


def gold_clusters(rows) -> dict[str, dict[str, int]]:
    """{split: {body id: gold cluster}} — connected components of bodies joined by a related headline."""
    parent: dict[str, str] = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    split_of: dict[str, str] = {}
    for r in rows:
        if r["Stance"] == "unrelated":
            continue
        b, h = "b" + r["Body ID"], "h" + r["Headline"]
        split_of[b] = r["split"]
        ra, rb = root(b), root(h)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    ids: dict[str, int] = {}
    for b, sp in sorted(split_of.items()):
        out[sp][b] = ids.setdefault(root(b), len(ids))
    return out


def bcubed(pred: dict[str, int], gold: dict[str, int]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin) over the items of ``gold``."""
    items = sorted(gold)
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        same = len(by_pred[pred[i]] & by_gold[gold[i]])
        p += same / len(by_pred[pred[i]])
        r += same / len(by_gold[gold[i]])
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_signals(data: Path, body_ids: list[str]):
    """Signals of each body, from the cache or by running the map once."""
    from counterpoint.grouping import Signals, article_signals
    from counterpoint.model import Article
    from counterpoint.pipeline import prepare_articles
    from counterpoint.resources import Resources

    with open(data / "fnc1" / "competition_test_bodies.csv", encoding="utf-8") as f:
        text = {"b" + r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    if CACHE.exists():
        z = np.load(CACHE, allow_pickle=False)
        have = list(z["ids"])
        if set(body_ids) <= set(have):
            names = json.loads(str(z["names"]))
            pos = {b: k for k, b in enumerate(have)}
            return [Signals(z["lead"][pos[b]], z["body"][pos[b]], frozenset(names[pos[b]])) for b in body_ids], text
    from counterpoint.stages.ingest import normalize_text

    res = Resources()
    out = []
    t = time.perf_counter()
    for k, b in enumerate(body_ids):
        art = Article(id="d1", source=b, text=normalize_text(text[b]))
        p = prepare_articles([art], res)["d1"]
        out.append(article_signals(art, p.annotation, p.vectors))
        if k % 100 == 0:
            print(f"  map {k}/{len(body_ids)} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    CACHE.parent.mkdir(exist_ok=True)
    np.savez(CACHE, ids=np.array(body_ids), lead=np.stack([s.lead for s in out]),
             body=np.stack([s.body for s in out]), names=json.dumps([sorted(s.names) for s in out]))
    return out, text


def score(signals, ids, gold, params, texts=None, parts=None):
    """B-cubed of the grouping; ``parts`` (precomputed similarity pieces) makes a grid search cheap."""
    from counterpoint.grouping import cluster_average, combine_parts, find_copies, group_articles

    if parts is not None:
        stories = cluster_average(combine_parts(parts, params), params.threshold)
    else:
        copies = find_copies([texts[b] for b in ids]) if texts else {}
        stories = group_articles(signals, copies, params)
    pred = {ids[i]: g for g, s in enumerate(stories) for i in s}
    return bcubed(pred, gold), len(stories)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="grouping B-cubed on FNC-1")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--tune", action="store_true", help="grid-search the parameters on the fit bodies")
    args = ap.parse_args(argv)

    from counterpoint.grouping import DEFAULT_PARAMS, GroupingParams, similarity_parts

    with open(args.data / "fnc1" / "split.csv", encoding="utf-8") as f:
        gold = gold_clusters(list(csv.DictReader(f)))
    ids = {sp: sorted(g, key=lambda b: int(b[1:])) for sp, g in gold.items() if sp in ("fit", "eval")}
    all_ids = ids["fit"] + ids["eval"]
    sig, text = load_signals(args.data, all_ids)
    pos = {b: k for k, b in enumerate(all_ids)}
    part = {sp: [sig[pos[b]] for b in ids[sp]] for sp in ids}

    for sp in ("fit", "eval"):
        sizes = sorted((sum(1 for v in gold[sp].values() if v == c) for c in set(gold[sp].values())), reverse=True)
        print(f"gold {sp}: {len(ids[sp])} bodies in {len(sizes)} stories (largest {sizes[:5]}, singletons "
              f"{sum(1 for s in sizes if s == 1)})")

    params = DEFAULT_PARAMS
    if args.tune:
        best = None
        parts = similarity_parts(part["fit"])
        grid = itertools.product((0.0, 0.2, 0.4), (0.3, 0.5, 0.7), (0.0, 0.15, 0.3, 0.45),
                                 [x / 100 for x in range(30, 80, 4)])
        for wl, wb, wn, th in grid:
            if wl + wb == 0:
                continue
            p = GroupingParams(w_lead=wl, w_body=wb, w_names=wn, threshold=th)
            (_, _, f1), n = score(part["fit"], ids["fit"], gold["fit"], p, parts=parts)
            if best is None or f1 > best[0]:
                best = (f1, p)
        print(f"best on fit: F1 {best[0]:.3f} with {best[1]}")
        params = best[1]

    print(f"params: {params}")
    t = time.perf_counter()
    for sp in ("fit", "eval"):
        (p, r, f1), n = score(part[sp], ids[sp], gold[sp], params, text)
        print(f"{sp:>4}: B-cubed P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  ({len(ids[sp])} bodies -> {n} stories)")
    print(f"grouping time (both parts, copies included): {time.perf_counter() - t:.2f} s; cores: {os.cpu_count()}")
    from counterpoint.grouping import find_copies

    for sp in ("fit", "eval"):
        copies = find_copies([text[b] for b in ids[sp]])
        split = sum(1 for c, o in copies.items() if gold[sp][ids[sp][c]] != gold[sp][ids[sp][o]])
        print(f"{sp:>4}: {len(copies)} bodies are copies of another body; {split} of them in another gold story")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
