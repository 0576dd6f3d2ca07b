"""Speed: `analyze` on 100 real articles (FNC-1 train bodies) against spaCy's nlp.pipe alone.

    .venv/bin/python bench/speed.py [--n 100] [--data ../shared/data]

Prints model load time, the pipeline's wall time per stage, documents per second,
peak memory (max RSS of this process), and the ratio pipeline / spaCy-alone on
the same documents in the same process. The articles are written to a temporary
JSONL file so ingest is timed too; nothing is copied into the repository.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="pipeline speed vs spaCy alone")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args(argv)

    from counterpoint.pipeline import analyze
    from counterpoint.resources import Resources

    with open(args.data / "fnc1" / "train_bodies.csv", encoding="utf-8") as f:
        bodies = [row["articleBody"] for row in csv.DictReader(f)][: args.n]
    words = sum(len(b.split()) for b in bodies)

    t = time.perf_counter()
    res = Resources().load_all()
    load_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bodies.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for i, b in enumerate(bodies):
                f.write(json.dumps({"id": str(i), "text": b}) + "\n")

        t = time.perf_counter()
        for _ in res.nlp.pipe(bodies, batch_size=16):
            pass
        spacy_s = time.perf_counter() - t

        stage_t: dict[str, float] = {}
        marks: list[tuple[str, float]] = []
        t = time.perf_counter()
        story = analyze([str(path)], res=res, on_stage=lambda name: marks.append((name, time.perf_counter())))
        total_s = time.perf_counter() - t
        marks.append(("end", time.perf_counter()))
        for (name, a), (_, b) in zip(marks, marks[1:]):
            stage_t[name] = b - a

    # the sentence encoder alone on the same sentences, uncached
    sents = [a.text[x:y] for a in story.articles for x, y in story.annotations[a.id].sentences]
    t = time.perf_counter()
    res.embedder.encode(sents, batch_size=64, show_progress_bar=False)
    embed_s = time.perf_counter() - t

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {os.cpu_count()} cores; {len(story.articles)} articles analysed, {len(story.skipped)} skipped, {words} words")
    print(f"model load (spaCy, MiniLM, stance, argument models): {load_s:.1f} s")
    print(f"spaCy nlp.pipe alone: {spacy_s:.1f} s ({len(bodies) / spacy_s:.1f} docs/s)")
    print(f"counterpoint analyze: {total_s:.1f} s ({len(story.articles) / total_s:.1f} docs/s)")
    print("  per stage: " + ", ".join(f"{k} {v:.1f}s" for k, v in stage_t.items()))
    print(f"MiniLM encode alone on the {len(sents)} sentences: {embed_s:.1f} s")
    print(f"ratio analyze / spaCy alone: {total_s / spacy_s:.2f}; "
          f"analyze / (spaCy + MiniLM alone): {total_s / (spacy_s + embed_s):.2f}")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    print(f"output: {len(story.cast)} cast, {len(story.quotes)} quotes, {len(story.events)} events, "
          f"{len(story.arguments)} key points, {len(story.checks)} checks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
