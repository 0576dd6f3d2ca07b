"""The bundled example story that ``counterpoint demo`` analyses.

The story is invented by the Counterpoint authors; see ``README.md`` beside this file.
"""
from __future__ import annotations

from pathlib import Path

STORY_FILES = (
    "01-news-report.txt",
    "02-oped-for.txt",
    "03-oped-against.html",
    "04-fan-blog.txt",
    "05-jsonl-roundup.jsonl",
)


def story_dir() -> Path:
    """The folder holding the example articles (a real directory: the package ships unzipped)."""
    return Path(__file__).resolve().parent / "story"


def story_files() -> list[Path]:
    """The example articles in reading order (the README is not an article)."""
    return [story_dir() / name for name in STORY_FILES]
