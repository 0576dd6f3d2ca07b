"""The story store: migrations, articles once per text, the per-article cache, dossiers, threads and processes."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from counterpoint import pipeline
from counterpoint.errors import CounterpointError, StoreError, StoryNotFound
from counterpoint.model import Annotation, Article, Entity, Skipped, Token
from counterpoint.store import (
    MIGRATIONS, AddResult, EmptyStory, Store, StoryInfo, connect, migrate, pack_vectors, parse_upload, read_items,
    unpack_vectors,
)

ROOT = Path(__file__).resolve().parents[1]

REPORT = """Council Votes to Keep Riverside Library Open
By Ada Brook | Published: 2025-04-02

The town council voted 5-2 on Tuesday to keep the Riverside library branch open for another year.
"This branch is the only quiet place many of our students have," said council member Jo Park.
Opponents said the money would be better spent on road repairs.
"""
# the same article as a browser copy: page furniture that ingest strips
REPORT_WITH_BOILERPLATE = REPORT.replace(
    "Opponents said", "Advertisement\nOpponents said") + "\nShare this article\n"


def art(i: int, text: str | None = None) -> Article:
    return Article(id="x", source=f"s{i}.txt", text=text or f"Article number {i} says the branch must stay open.")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "c.db")
    yield s
    s.close()


def tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# --- opening and migrations ---------------------------------------------------

def test_store_fresh_database_is_wal_and_fully_migrated(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")] == [n for n, _ in MIGRATIONS]
    assert {"stories", "articles", "prepared", "dossiers", "migrations"} <= tables(store.path)
    assert store.stories() == [] and store.integrity() == "ok"


def test_store_opens_a_database_made_with_only_the_first_migration(tmp_path):
    path = tmp_path / "old.db"
    conn = connect(path)
    assert migrate(conn, MIGRATIONS[:1]) == [MIGRATIONS[0][0]]
    conn.execute("INSERT INTO stories (name, created_at) VALUES ('old story', '2026-01-01T00:00:00Z')")
    old = art(1).model_dump_json(exclude={"id"})
    conn.execute("INSERT INTO articles (story_id, position, text_key, source, article, added_at) "
                 "VALUES (1, 1, ?, 's1.txt', ?, '2026-01-01T00:00:00Z')", (pipeline.text_key(art(1).text), old))
    conn.close()
    assert "dossiers" not in tables(path)

    with Store(path) as s:
        info = s.story("old story")
        assert info == StoryInfo(id=1, name="old story", articles=1, title=None, analysed_at=None, stale=True)
        assert s.articles(1) == [art(1).model_copy(update={"id": "d1"})]
        assert s.dossier(1) is None
        assert s.add_articles(1, [art(1), art(2)]).duplicates == [("s1.txt", "s1.txt")]
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")] == [n for n, _ in MIGRATIONS]
    with Store(path) as s:  # and opens again without migrating anything
        assert s.story(1).articles == 2


def test_store_refuses_a_database_from_a_newer_version(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO migrations VALUES ('0099_from_the_future', 'x')")
    with pytest.raises(StoreError, match="newer Counterpoint"):
        Store(path)


@pytest.mark.parametrize("content, why", [
    (b"this is a text file, not a database" * 100, "not a usable story database"),
    (None, "not a Counterpoint story database"),
])
def test_store_refuses_files_that_are_not_story_databases(tmp_path, content, why):
    path = tmp_path / "other.db"
    if content is None:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (x)")
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=why) as e:
        Store(path)
    assert str(path) in str(e.value)
    assert path.read_bytes() == before


def test_store_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(StoreError, match="no story database"):
        Store(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


# --- stories and articles ---------------------------------------------------------

def test_store_story_by_id_or_name_and_not_found(store):
    a = store.ensure_story("Library vote")
    assert store.ensure_story("  Library vote ") == a
    assert store.story(a.id) == store.story("Library vote") == a
    assert a.articles == 0 and a.analysed_at is None and not a.stale
    with pytest.raises(StoryNotFound, match="'nope'"):
        store.story("nope")
    with pytest.raises(StoryNotFound, match="id 99"):
        store.articles(99)
    assert isinstance(StoryNotFound("x"), CounterpointError)


@pytest.mark.parametrize("name", ["", "   ", "two\nlines", "x" * 201])
def test_store_story_names_that_are_refused(store, name):
    with pytest.raises(CounterpointError):
        store.ensure_story(name)
    assert store.stories() == []


def test_store_add_keeps_add_order_across_adds(store):
    sid = store.ensure_story("s").id
    r1 = store.add_articles(sid, [art(1), Skipped(source="bad.pdf", code="binary", detail="a PDF"), art(2)])
    assert isinstance(r1, AddResult)
    assert [(a.id, a.source) for a in r1.added] == [("d1", "s1.txt"), ("d2", "s2.txt")]
    assert [s.source for s in r1.skipped] == ["bad.pdf"] and r1.duplicates == []
    r2 = store.add_articles(sid, [art(3)])
    assert [a.id for a in r2.added] == ["d3"]
    assert [(a.id, a.source) for a in store.articles(sid)] == [("d1", "s1.txt"), ("d2", "s2.txt"), ("d3", "s3.txt")]
    assert store.articles(sid)[2].text == art(3).text


def test_store_add_stores_each_text_once_even_with_other_boilerplate(store, tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(REPORT_WITH_BOILERPLATE, encoding="utf-8")
    items = read_items([str(tmp_path / "a.txt"), str(tmp_path / "copy.txt")])
    assert items[0].text == items[1].text  # ingest stripped the furniture
    sid = store.ensure_story("s").id
    r = store.add_articles(sid, items)
    assert [a.source for a in r.added] == [str(tmp_path / "a.txt")]
    assert r.duplicates == [(str(tmp_path / "copy.txt"), str(tmp_path / "a.txt"))]
    again = store.add_articles(sid, read_items([str(tmp_path / "copy.txt")]))
    assert again.added == [] and again.duplicates == [(str(tmp_path / "copy.txt"), str(tmp_path / "a.txt"))]
    assert store.story(sid).articles == 1
    other = store.ensure_story("another story").id  # the same text may belong to another story
    assert len(store.add_articles(other, items[:1]).added) == 1


def test_store_read_items_reports_bad_inputs_with_reason_codes(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"%PDF-1.4 junk")
    items = read_items([str(tmp_path / "bin.txt"), str(tmp_path / "missing.txt")])
    assert [(i.source, i.code) for i in items] == [(str(tmp_path / "bin.txt"), "binary"),
                                                   (str(tmp_path / "missing.txt"), "missing")]


@pytest.mark.parametrize("name, data, code", [
    ("a.txt", REPORT.encode(), None),
    ("dir/../a.html", b"<html><body><article><h1>T</h1><p>" + b"Words and more words here. " * 10
     + b"</p></article></body></html>", None),
    ("scan.pdf", b"%PDF-1.7 ...", "binary"),
    ("empty.txt", b"   \n", "empty"),
    ("big.txt", b"a" * 5_000_001, "too-large"),
    ("latin.txt", "caf\xe9 ".encode("latin-1") * 10, "bad-encoding"),
])
def test_store_parse_upload_reads_bytes_like_a_file(name, data, code):
    items = parse_upload(name, data)
    assert len(items) == 1
    if code is None:
        assert isinstance(items[0], Article) and "/" not in items[0].source
    else:
        assert isinstance(items[0], Skipped) and items[0].code == code and items[0].source == Path(name).name


# --- the per-article cache and dossiers -------------------------------------------------

def test_store_vectors_round_trip_bit_for_bit():
    rng = np.random.default_rng(0)
    vecs = {f"sentence {i} “quoted” é": rng.standard_normal(384).astype(np.float32) for i in range(5)}
    vecs["tiny"] = np.full(384, np.float32(1e-42), dtype=np.float32)  # a subnormal
    keys, dim, blob = pack_vectors(vecs)
    assert dim == 384 and len(blob) == 6 * 384 * 4
    back = unpack_vectors(keys, dim, blob)
    assert list(back) == list(vecs)
    assert all(back[k].dtype == np.float32 and back[k].tobytes() == vecs[k].tobytes() for k in vecs)
    assert unpack_vectors(*pack_vectors({})) == {}
    with pytest.raises(ValueError):
        pack_vectors({"x": np.zeros(3, dtype=np.float64)})


def test_store_prepared_cache_round_trip_by_version(store):
    ann = Annotation(doc="d3", sentences=((0, 5),), tokens=(Token(0, 5, "Hello", "hello", "INTJ", "UH", "ROOT", 0, 0, "O", ""),),
                     entities=(Entity(0, 5, "PERSON", "Hello"),))
    p = pipeline.Prepared(ann, {"Hello": np.arange(384, dtype=np.float32)})
    store.save_prepared({"k1": p}, "v1")
    store.save_prepared({"k1": p}, "v1")  # a second writer is harmless
    got = store.load_prepared(["k1", "k2"], "v1")
    assert list(got) == ["k1"] and got["k1"].annotation == ann
    assert got["k1"].vectors["Hello"].tobytes() == p.vectors["Hello"].tobytes()
    assert store.load_prepared(["k1"], "v2") == {}


def test_store_dossier_is_stale_when_articles_are_added_after_it(store):
    sid = store.ensure_story("s").id
    store.add_articles(sid, [art(1), art(2)])
    assert store.dossier(sid) is None and store.story(sid).stale
    keys = [pipeline.text_key(a.text) for a in store.articles(sid)]
    store.save_dossier(sid, {"story": {"title": "T"}, "documents": [1, 2]}, keys)
    info = store.story(sid)
    assert (info.title, info.stale, info.articles) == ("T", False, 2) and info.analysed_at.endswith("Z")
    assert store.dossier(sid) == {"story": {"title": "T"}, "documents": [1, 2]}
    store.add_articles(sid, [art(3)])
    assert store.story(sid).stale and store.dossier(sid)["documents"] == [1, 2]


def test_store_analyze_refuses_an_empty_story(store):
    sid = store.ensure_story("empty").id
    with pytest.raises(EmptyStory, match="no articles"):
        store.analyze(sid, res=None)


# --- threads and processes ---------------------------------------------------------

def test_store_is_safe_to_share_between_threads(store):
    sid = store.ensure_story("shared").id
    errors = []

    def work(t):
        try:
            for i in range(10):
                store.add_articles(sid, [art(t * 100 + i), art(i)])  # art(i) collides across threads
                store.stories()
                store.ensure_story(f"thread {t}")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(1, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    arts = store.articles(sid)
    assert len(arts) == 6 * 10 + 10 and [a.id for a in arts] == [f"d{i}" for i in range(1, 71)]
    assert len({a.text for a in arts}) == 70
    assert {s.name for s in store.stories()} == {"shared"} | {f"thread {t}" for t in range(1, 7)}
    assert store.integrity() == "ok"


WRITER = """
import sys
from counterpoint.model import Article
from counterpoint.store import Store
s = Store(sys.argv[1])
sid = s.ensure_story("busy").id
for i in range(40):
    s.add_articles(sid, [Article(id="x", source=f"{sys.argv[2]}-{i}", text=f"Writer {sys.argv[2]} article {i}."),
                         Article(id="x", source=f"{sys.argv[2]}-shared-{i}", text=f"Shared article {i}.")])
s.close()
"""


def test_store_two_processes_writing_one_database(tmp_path):
    path = tmp_path / "busy.db"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name], stderr=subprocess.PIPE)
             for name in ("a", "b")]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read().decode()
    with Store(path) as s:
        info = s.story("busy")
        assert info.articles == 40 * 2 + 40
        assert [a.id for a in s.articles(info.id)] == [f"d{i}" for i in range(1, 121)]
        assert s.integrity() == "ok"


# --- analysis with the real models ------------------------------------------------------

@pytest.mark.slow
def test_store_incremental_dossier_equals_one_from_scratch(tmp_path, res, monkeypatch):
    """Add, analyse, add one more, analyse again: the very dossier pipeline.analyze makes from scratch."""
    from counterpoint.examples import story_files
    from counterpoint.render.dossier_json import to_dossier
    from counterpoint.stages.ingest import number_articles

    files = [str(p) for p in story_files()]
    parsed = []
    real_prepare = pipeline.prepare_articles
    monkeypatch.setattr(pipeline, "prepare_articles",
                        lambda arts, r: parsed.append([a.id for a in arts]) or real_prepare(arts, r))
    with Store(tmp_path / "c.db") as s:
        sid = s.ensure_story("castillo").id
        s.add_articles(sid, read_items(files[:-1]))
        first = s.analyze(sid, res)
        assert len(first["documents"]) == len(files) - 1 and not s.story(sid).stale
        s.add_articles(sid, read_items(files[-1:]))
        assert s.story(sid).stale and s.dossier(sid) == first
        stages = []
        second = s.analyze(sid, res, on_stage=stages.append)
        assert parsed == [["d1", "d2", "d3", "d4"], ["d5"]]  # only the new article was parsed
        assert "cast" in stages and s.dossier(sid) == second and not s.story(sid).stale
        assert s.story(sid).title == second["story"]["title"]

    arts, _ = number_articles(read_items(files))
    scratch = to_dossier(pipeline.analyze(articles=arts, res=res), res.model_versions())
    assert second == scratch  # the dossier has no volatile fields (no generation time)
    with Store(tmp_path / "c.db") as s:  # a new process: everything from the cache, nothing parsed
        parsed.clear()
        assert s.analyze(sid, res) == scratch and parsed == []


@pytest.mark.slow
def test_store_cache_misses_when_the_models_change(tmp_path, res, monkeypatch):
    from counterpoint import store as store_mod

    with Store(tmp_path / "c.db") as s:
        sid = s.ensure_story("x").id
        s.add_articles(sid, [Article(id="x", source="a.txt", text=REPORT.split("\n", 3)[3])])
        v1 = store_mod.cache_version(res)
        assert res.nlp.meta["name"] in v1 and "MiniLM" in v1
        s.analyze(sid, res)
        key = pipeline.text_key(s.articles(sid)[0].text)
        assert list(s.load_prepared([key], v1)) == [key]
        monkeypatch.setattr(store_mod, "cache_version", lambda r: v1 + " (another spaCy model)")
        parsed = []
        real_prepare = pipeline.prepare_articles
        monkeypatch.setattr(pipeline, "prepare_articles",
                            lambda arts, r: parsed.append(len(arts)) or real_prepare(arts, r))
        s.analyze(sid, res)
        assert parsed == [1]


@pytest.mark.slow
def test_store_remembers_the_claim_and_title_until_another_is_given(tmp_path, res):
    from counterpoint.examples import story_files

    claim = "Marcus Delaney and Renée Castillo should remarry."
    with Store(tmp_path / "c.db") as s:
        sid = s.ensure_story("castillo").id
        s.add_articles(sid, read_items([str(p) for p in story_files()][:2]))
        first = s.analyze(sid, res, claim=claim, title="The radio plea")
        again = s.analyze(sid, res)  # nothing given: the story's own claim and title
        assert again["story"]["claim"]["text"] == claim and again["story"]["claim"]["origin"] == "user"
        assert again["story"]["title"] == "The radio plea" and again == first
        forgot = s.analyze(sid, res, claim="", title="")  # "" forgets them: the claim is proposed again
        assert forgot["story"]["claim"]["origin"] == "auto" and forgot["story"]["title"] != "The radio plea"
        assert s.analyze(sid, res)["story"]["claim"]["origin"] == "auto"


def test_store_switching_to_wal_waits_for_another_process():
    """Two processes opening a new database together: SQLite answers the second one's switch to WAL with
    "database is locked" at once, not after its busy timeout, so the switch is tried again."""
    import sqlite3

    from counterpoint.store import switch_to_wal

    class Busy:
        calls = 0

        def execute(self, sql):
            Busy.calls += 1
            if Busy.calls < 3:
                raise sqlite3.OperationalError("database is locked")
            return self

        def fetchone(self):
            return ("wal",)

    assert switch_to_wal(Busy(), timeout=5) == "wal" and Busy.calls == 3
    Busy.calls = -10**6
    with pytest.raises(sqlite3.OperationalError):
        switch_to_wal(Busy(), timeout=0.05)      # still locked when the time is up: the error reaches the caller
