"""Every quote the cast and quote stages find in real news, with its speaker and cue, for reading by hand.

    .venv/bin/python bench/quotes_news_sample.py [--n 100] [--data ../shared/data] > quotes-now.tsv

FNC-1 has no quote gold, so this prints rather than scores: the first ``--n`` bodies of FNC-1
``train_bodies.csv`` are analysed as one story (cast across all of them, as the pipeline's
``cast`` and ``quotes`` stages do), and each quote is one tab-separated line: document, start
offset, speaker (cast name, or "-"), cue, the quote. To see what a change does to real news, run
it on two checkouts and diff the outputs: every changed speaker can then be read in its article.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args(argv)

    from counterpoint.model import Article, Story
    from counterpoint.resources import Resources
    from counterpoint.stages import cast, quotes
    from counterpoint.stages.language import annotate

    with open(args.data / "fnc1" / "train_bodies.csv", encoding="utf-8") as f:
        bodies = [row["articleBody"] for row in csv.DictReader(f)][: args.n]
    arts = [Article(id=f"d{i + 1}", source=f"fnc1-body-{i}", text=b) for i, b in enumerate(bodies)]
    story = Story(articles=tuple(arts), annotations=annotate(arts, Resources().nlp))
    story = quotes.run(cast.run(story, None), None)
    names = {c.id: c.name for c in story.cast}
    for q in story.quotes:
        text = " ".join(q.text.split())
        print(f"{q.doc}\t{q.start}\t{names.get(q.speaker, '-') if q.speaker else '-'}\t{q.cue or '-'}\t{text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
