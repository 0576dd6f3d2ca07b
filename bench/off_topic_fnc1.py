"""Off-topic articles: does the stance stage flag the one article about something else, and only that one?

    .venv/bin/python bench/off_topic_fnc1.py [--stories 40] [--related 4] [--data ../shared/data]

Stories are built from FNC-1's claim-disjoint ``eval`` split (``split.csv``; never used to train or tune): for each
headline with at least three related bodies (agree / disagree / discuss) and at least one ``unrelated`` body, up to
``--related`` related bodies plus one unrelated body, taken in file order (no sampling). Each story is analysed with
the headline as ``--claim`` and again with the claim proposed. Reported: how many unrelated bodies the stage flags
(``Story.off_topic``; the ``other`` check), and how many related bodies it flags wrongly. The thresholds
(``stance.OFF_TOPIC_RELEVANCE`` / ``OFF_TOPIC_SIMILARITY``) were set on the held-out stories in ``bench/stories``,
not on these data.
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=40)
    ap.add_argument("--related", type=int, default=4)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--split", default="eval", choices=("eval", "fit"),
                    help="fit: the claims a rule may be tuned on; eval: report (default)")
    ap.add_argument("--show", action="store_true", help="print each article's two signals")
    args = ap.parse_args()

    import os

    from counterpoint.model import Article
    from counterpoint.pipeline import analyze
    from counterpoint.resources import Resources

    fnc = args.data / "fnc1"
    with open(fnc / "competition_test_bodies.csv", encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    by: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    with open(fnc / "split.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["split"] == args.split:
                kind = "unrelated" if r["Stance"] == "unrelated" else "related"
                if r["Body ID"] not in by[r["Headline"]][kind]:
                    by[r["Headline"]][kind].append(r["Body ID"])
    stories = [(h, d["related"][: args.related], d["unrelated"][0]) for h, d in by.items()
               if len(d["related"]) >= 3 and d["unrelated"]][: args.stories]

    res = Resources().load_all()
    t0 = time.perf_counter()
    tally = {mode: {"caught": 0, "wrong": 0, "related": 0} for mode in ("claim given", "claim proposed")}
    for n, (headline, related, unrelated) in enumerate(stories):
        ids = related + [unrelated]
        arts = [Article(id=f"d{i + 1}", source=f"fnc1-body-{b}", text=bodies[b]) for i, b in enumerate(ids)]
        for mode, claim in (("claim given", headline), ("claim proposed", None)):
            story = analyze(articles=arts, res=res.session(), claim=claim)
            flagged = set(story.off_topic)
            if args.show:
                show(story, res, f"d{len(ids)}", mode)
            tally[mode]["caught"] += f"d{len(ids)}" in flagged
            tally[mode]["wrong"] += len(flagged - {f"d{len(ids)}"})
            tally[mode]["related"] += len(related)
    secs = time.perf_counter() - t0
    print(f"{len(stories)} stories from FNC-1 {args.split} ({sum(len(r) for _, r, _ in stories)} related bodies, "
          f"{len(stories)} unrelated)")
    for mode, t in tally.items():
        print(f"{mode}: unrelated body flagged {t['caught']}/{len(stories)}; related bodies flagged "
              f"{t['wrong']}/{t['related']}")
    print(f"cores: {os.cpu_count()}; {secs:.1f} s for {2 * len(stories)} analyses")


def show(story, res, odd: str, mode: str) -> None:
    """Each article's two signals: mean relevance of its three sentences closest to the claim, and the cosine of
    its mean sentence vector to the other articles' mean."""
    import numpy as np

    from counterpoint.stages.language import sentence_spans
    from counterpoint.stages.stance import article_vectors

    spans = [sentence_spans(a, story.annotations.get(a.id)) for a in story.articles]
    vecs = article_vectors(story, spans, res)
    rel: dict[str, list[float]] = {}
    for st in story.sentence_stances:
        rel.setdefault(st.doc, []).append(st.relevance)
    for a in story.articles:
        rest = np.sum([v for k, v in vecs.items() if k != a.id], axis=0)
        sim = float(vecs[a.id] @ rest / np.linalg.norm(rest)) if a.id in vecs else float("nan")
        top = float(np.mean(sorted(rel.get(a.id, [0.0]), reverse=True)[:3]))
        print(f"  {mode:14s} {'UNRELATED' if a.id == odd else 'related  '} rel {top:.2f} sim {sim:.2f}"
              f"{'  flagged' if a.id in story.off_topic else ''}")


if __name__ == "__main__":
    main()
