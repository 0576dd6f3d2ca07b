"""The library commands: add, analyze --story, export, stories; exit codes; a process killed mid-analysis."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counterpoint import cli
from counterpoint.store import HANG_ENV, Store

from .conftest import assert_killed_story_intact, kill_at_hang_point
from .test_cli import GOOD_B as OTHER
from .test_store import REPORT, REPORT_WITH_BOILERPLATE



@pytest.fixture
def files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(REPORT, encoding="utf-8")
    (d / "copy.txt").write_text(REPORT_WITH_BOILERPLATE, encoding="utf-8")
    (d / "b.txt").write_text(OTHER, encoding="utf-8")
    (d / "bad.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    return d


def lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


# --- without the models -----------------------------------------------------------

def test_cli_store_add_reports_duplicates_and_bad_inputs(files, tmp_path, capsys):
    db = str(tmp_path / "lib.db")
    code = cli.main(["add", str(files / "a.txt"), str(files / "copy.txt"), str(files / "bad.txt"),
                     "--story", "library vote", "--db", db])
    err = lines(capsys.readouterr().err)
    assert code == 1
    assert [ln for ln in err if "[binary]" in ln] == [f"counterpoint: {files / 'bad.txt'}: " + err[0].split(": ", 2)[2]]
    dup = [ln for ln in err if "not added again" in ln]
    assert len(dup) == 1 and str(files / "copy.txt") in dup[0] and str(files / "a.txt") in dup[0]
    assert "added 1 article to story 'library vote' (1 in all)" in err[-1]

    assert cli.main(["add", str(files / "b.txt"), str(files / "copy.txt"), "--story", "library vote", "--db", db]) == 0
    err = lines(capsys.readouterr().err)
    assert len([ln for ln in err if "not added again" in ln]) == 1 and "(2 in all)" in err[-1]
    with Store(db) as s:
        assert [(a.id, Path(a.source).name) for a in s.articles(s.story("library vote").id)] == [("d1", "a.txt"), ("d2", "b.txt")]


def test_cli_store_add_with_nothing_readable_exits_3_and_makes_no_story(files, tmp_path, capsys):
    db = tmp_path / "lib.db"
    assert cli.main(["add", str(files / "bad.txt"), str(tmp_path / "missing.txt"), "--story", "x", "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert "[binary]" in err and "[missing]" in err and "no articles added" in err
    assert not db.exists()


def test_cli_store_stories_lists_counts_and_state(files, tmp_path, capsys):
    db = str(tmp_path / "lib.db")
    assert cli.main(["stories", "--db", db]) == 0
    assert "no story database" in capsys.readouterr().err and not Path(db).exists()
    cli.main(["add", str(files / "a.txt"), "--story", "first", "--db", db, "--quiet"])
    cli.main(["add", str(files / "a.txt"), str(files / "b.txt"), "--story", "second one", "--db", db, "--quiet"])
    with Store(db) as s:  # a stored dossier for "first", then one more article: stale
        sid = s.story("first").id
        from counterpoint.pipeline import text_key

        s.save_dossier(sid, {"story": {"title": "First"}}, [text_key(a.text) for a in s.articles(sid)])
    capsys.readouterr()
    assert cli.main(["stories", "--db", db]) == 0
    out = lines(capsys.readouterr().out)
    assert out[0].split() == ["id", "story", "articles", "analysed", "dossier"]
    assert out[1].split()[:3] == ["1", "first", "1"] and out[1].endswith("up to date")
    assert out[2].split()[:4] == ["2", "second", "one", "2"] and out[2].split()[-3:] == ["never", "not", "analysed"]
    cli.main(["add", str(files / "b.txt"), "--story", "first", "--db", db, "--quiet"])
    cli.main(["stories", "--db", db])
    assert lines(capsys.readouterr().out)[1].endswith("stale")


@pytest.mark.parametrize("argv, code, words", [
    (["export", "--story", "nope"], 3, "no story database"),
    (["analyze", "--story", "nope"], 3, "no story database"),
    (["export", "--story", "nope", "--db", "{db}"], 3, "no story named 'nope'"),
    (["analyze", "--story", "nope", "--db", "{db}"], 3, "no story named 'nope'"),
    (["export", "--story", "s", "--db", "{db}", "-o", "{tmp}/d.json"], 3, "has not been analysed yet"),
    (["analyze", "--story", "empty", "--db", "{db}"], 3, "has no articles"),
    (["export", "--story", "s", "--db", "{db}", "-o", "{db}"], 2, "is one of the inputs"),
    (["analyze", "--story", "s", "--db", "{db}", "--html", "{db}"], 2, "is one of the inputs"),
    (["analyze", "x.txt", "--story", "s"], 2, "not both"),
    (["analyze", "--db", "{db}"], 2, "--db goes with --story"),
    (["analyze"], 2, "give INPUT paths"),
    (["add", "x.txt"], 2, "--story"),
    (["export", "--story", "s", "--db", "{notdb}"], 4, "not a usable story database"),
    (["stories", "--db", "{notdb}"], 4, "not a usable story database"),
    (["add", "{tmp}/in/a.txt", "--story", "s", "--db", "{notdb}"], 4, "not a usable story database"),
])
def test_cli_store_errors_are_one_line_and_an_exit_code(files, tmp_path, monkeypatch, capsys, argv, code, words):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "lib.db"
    with Store(db) as s:
        s.add_articles(s.ensure_story("s").id, [])
        s.ensure_story("empty")
    notdb = tmp_path / "notes.db"
    notdb.write_text("not a database " * 100)
    before = {p: p.read_bytes() for p in (db, notdb)}
    argv = [a.format(db=db, tmp=tmp_path, notdb=notdb) for a in argv]
    assert cli.main(argv) == code
    err = lines(capsys.readouterr().err)
    assert len(err) == 1 and words in err[0], err
    assert notdb.read_bytes() == before[notdb] and not (tmp_path / "d.json").exists()
    assert not (tmp_path / "counterpoint.db").exists()  # commands that only read make no database


# --- with the models ------------------------------------------------------------------

def demo_files() -> list[str]:
    from counterpoint.examples import story_files

    return [str(p) for p in story_files()]


@pytest.mark.slow
def test_cli_store_analyze_story_then_export_the_same_dossier(tmp_path, capsys, validate, res):
    db = str(tmp_path / "lib.db")
    files = demo_files()
    assert cli.main(["add", *files[:3], "--story", "castillo", "--db", db, "--quiet"]) == 0
    assert cli.main(["analyze", "--story", "castillo", "--db", db, "-o", str(tmp_path / "a.json"), "--quiet"]) == 0
    assert len(json.loads((tmp_path / "a.json").read_text())["documents"]) == 3
    assert cli.main(["add", *files[3:], "--story", "castillo", "--db", db]) == 0
    assert "analyze --story castillo --db" in capsys.readouterr().err
    assert cli.main(["analyze", "--story", "castillo", "--db", db, "-o", str(tmp_path / "a.json"),
                     "--claim", "Delaney and Castillo should get back together."]) == 0
    assert "stored the dossier of story 'castillo'" in capsys.readouterr().err
    stored = validate(json.loads((tmp_path / "a.json").read_text(encoding="utf-8")))
    assert len(stored["documents"]) == 5 and stored["story"]["claim"]["origin"] == "user"

    out = tmp_path / "export"
    assert cli.main(["export", "--story", "castillo", "--db", db, "-o", str(out / "d.json"),
                     "--html", str(out / "r.html"), "--md", str(out / "r.md"), "--quiet"]) == 0
    assert (out / "d.json").read_bytes() == (tmp_path / "a.json").read_bytes()
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Castillo" in (out / "r.md").read_text(encoding="utf-8")
    assert cli.main(["export", "--story", "castillo", "--db", db, "-o", "-", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out) == stored


@pytest.fixture(scope="module")
def analysed_then_added(tmp_path_factory, res):
    """A library whose story has a dossier of four articles, then a fifth article added (made once)."""
    db = str(tmp_path_factory.mktemp("lib") / "lib.db")
    files = demo_files()
    assert cli.main(["add", *files[:4], "--story", "castillo", "--db", db, "--quiet"]) == 0
    assert cli.main(["analyze", "--story", "castillo", "--db", db, "--quiet"]) == 0
    assert cli.main(["add", files[4], "--story", "castillo", "--db", db, "--quiet"]) == 0
    with Store(db) as s:
        assert s.integrity() == "ok"
    assert not Path(db + "-wal").exists() or Path(db + "-wal").stat().st_size == 0  # all in the main file
    return Path(db)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["reduce", "commit"])
def test_cli_store_killed_mid_analysis_keeps_articles_and_the_last_dossier(tmp_path, res, point, analysed_then_added):
    """SIGKILL during the reduce, or inside the dossier's transaction before COMMIT: the story keeps every
    added article and its last complete dossier; the database is sound and analyses again."""
    import shutil

    db = str(tmp_path / "lib.db")
    shutil.copyfile(analysed_then_added, db)
    with Store(db) as s:
        old = s.dossier(1)
        assert len(old["documents"]) == 4

    marker = tmp_path / "hanging"
    env = {**os.environ, HANG_ENV: f"{point}:{marker}"}
    proc = subprocess.Popen([sys.executable, "-m", "counterpoint", "analyze", "--story", "castillo", "--db", db,
                             "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        kill_at_hang_point(proc, marker)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()

    info = assert_killed_story_intact(db, old)
    with Store(db) as s:
        new = s.analyze(info.id, res)
        assert len(new["documents"]) == 5 and not s.story(info.id).stale
