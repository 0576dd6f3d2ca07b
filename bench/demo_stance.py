"""Stance on the bundled example story against the labels its authors wrote it to have.

    .venv/bin/python bench/demo_stance.py

We wrote the five files (src/counterpoint/examples/README.md says what each argues), so the gold labels
are ours; the JSONL file holds two neutral briefs. Compared with the majority class (neutral).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOLD = {
    "01-news-report.txt": "neutral",
    "02-oped-for.txt": "for",
    "03-oped-against.html": "against",
    "04-fan-blog.txt": "for",
    "05-jsonl-roundup.jsonl": "neutral",
}


def main() -> int:
    from counterpoint.examples import story_files
    from counterpoint.pipeline import analyze

    story = analyze([str(p) for p in story_files()])
    rows, right, majority = [], 0, 0
    for art in story.articles:
        gold = GOLD[Path(art.source.split(":")[0]).name]
        got = story.stances[art.id]
        right += got.label == gold
        majority += gold == "neutral"
        rows.append(f"| {art.id} | {Path(art.source).name} | {gold} | {got.label} | {got.confidence:.2f} |")
    print(f"claim ({story.claim.origin}): {story.claim.text}")
    print("| doc | file | written as | Counterpoint | confidence |\n|---|---|---|---|---|")
    print("\n".join(rows))
    n = len(story.articles)
    print(f"accuracy: Counterpoint {right}/{n} = {right / n:.2f}; majority class (neutral) {majority}/{n} = {majority / n:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
