"""The bundled invented story: present, readable, and carrying the facts its README promises."""
from __future__ import annotations

import json

from counterpoint.examples import STORY_FILES, story_dir, story_files


def read(name: str) -> str:
    return (story_dir() / name).read_text(encoding="utf-8")


def test_example_story_files_exist():
    assert story_dir().is_dir()
    assert [p.name for p in story_files()] == list(STORY_FILES)
    assert all(p.is_file() for p in story_files())
    assert (story_dir().parent / "README.md").is_file()
    # the folder holds articles only, so `counterpoint analyze <folder>` reads just the story
    assert sorted(p.name for p in story_dir().iterdir() if not p.name.startswith(".")) == sorted(STORY_FILES)


def test_example_story_planted_date_conflict():
    assert "Their divorce was finalized in December 2016." in read("01-news-report.txt")
    assert "Their divorce was finalized in 2017" in read("04-fan-blog.txt")
    assert "December 2016" in read("03-oped-against.html")


def test_example_story_planted_misspelling_only_in_blog():
    blog = read("04-fan-blog.txt")
    assert "Renee Castilo" in blog and blog.count("Castilo ") == 2
    for name in STORY_FILES:
        if name != "04-fan-blog.txt":
            assert "Castilo " not in read(name).replace("Castillo", "")


def test_example_story_blog_has_nbsp_and_curly_quotes():
    blog = read("04-fan-blog.txt")
    assert "\u00a0" in blog and "“" in blog and "’" in blog


def test_example_story_jsonl_is_valid():
    lines = read("05-jsonl-roundup.jsonl").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    assert len(items) == 1  # with the four files: the five articles of the demo
    assert all({"id", "title", "text", "published", "url"} <= set(item) for item in items)
