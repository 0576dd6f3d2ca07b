"""The batch: stories from a heap of articles, index files, resume after a kill, Ray equal to local."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterpoint import cli
from counterpoint.batch import BatchInterrupted, BatchResult, chunks, index_dict, render_index, run_batch, story_id
from counterpoint.model import Article, Skipped

LIBRARY_A = ("The town council voted five to two on Tuesday to keep the Riverside library branch open for another "
             "year, after parents and students packed the meeting hall. Council member Jo Park said the Riverside "
             "branch was the only quiet place many students had. Opponents on the council said the money would be "
             "better spent on road repairs.")
LIBRARY_B = ("Keeping the Riverside library open was the right call by the council. A town that closes its "
             "libraries tells its children that reading does not matter. Jo Park and the parents who filled the "
             "council chamber deserve thanks: the branch gives hundreds of families a quiet place every week.")
FIRE = ("A fire broke out at the harbour warehouse on Sunday night and burned until dawn. Firefighters from "
        "three towns fought the blaze, and the owner said the building had been empty for a year. Nobody was "
        "hurt, according to the fire chief, who said the cause of the harbour fire was not yet known.")
FIRE_COPY = "Reprinted with permission. " + FIRE  # the same wire text under another masthead


def write_heap(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("Council Keeps Riverside Library Open\n\n" + LIBRARY_A + "\n", encoding="utf-8")
    lines = [
        {"id": "fire-1", "title": "Harbour warehouse burns", "text": FIRE, "site": "Harbour Gazette"},
        {"id": "opinion", "title": "Keep the library", "text": LIBRARY_B},
        {"id": "fire-2", "title": "Warehouse fire at the harbour", "text": FIRE_COPY, "site": "Coast Daily"},
    ]
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    return [str(folder / "a.txt"), str(feed), str(folder / "scan.txt")]


def dossiers(out: Path) -> dict[str, str]:
    idx = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return {s["id"]: (out / s["dossier"]).read_text(encoding="utf-8") for s in idx["stories"]}


# --- fast: plain helpers ----------------------------------------------------------

def test_batch_story_id_is_the_pipelines_and_depends_on_the_texts():
    a = Article(id="d1", source="x", text="one")
    b = Article(id="d2", source="y", text="two")
    assert story_id([a, b]) == story_id([a.model_copy(update={"source": "z"}), b])
    assert story_id([a, b]) != story_id([b, a])
    assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]


def test_batch_index_html_escapes_and_links():
    r = BatchResult(stories=[{"id": "s1", "title": "<script>alert(1)</script>", "documents": ["a<b>.txt"],
                              "copies": 1, "claim": "x & y", "dossier": "s1.json", "report": "s1.html"}],
                    skipped=[Skipped(source="<img src=x>", code="binary", detail="d")])
    html = render_index(index_dict(r))
    assert "<script>alert" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and 'href="s1.html"' in html
    assert "http://" not in html and "https://" not in html
    assert index_dict(r)["skipped"] == [{"source": "<img src=x>", "reason": "binary", "detail": "d"}]


# --- slow: the real models ----------------------------------------------------------

@pytest.mark.slow
def test_batch_local_writes_stories_index_and_marks_copies(tmp_path, res, validate):
    inputs = write_heap(tmp_path / "in")
    out = tmp_path / "out"
    result = run_batch(inputs, out, res=res)
    idx = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert sorted(s["reason"] for s in idx["skipped"]) == ["binary", "malformed-jsonl"]
    groups = [sorted(s["documents"]) for s in idx["stories"]]
    feed = str(tmp_path / "in" / "feed.jsonl")
    fire = sorted([f"{feed}:fire-1", f"{feed}:fire-2"])
    assert fire in groups                                   # the copy stays with its original
    assert all(not (set(fire) & set(g)) or g == fire for g in groups)
    assert sum(len(g) for g in groups) == 4 and result.written == len(groups)
    for s in idx["stories"]:
        d = validate(json.loads((out / s["dossier"]).read_text(encoding="utf-8")))
        assert d["story"]["id"] == s["id"] and [x["source"] for x in d["documents"]] == s["documents"]
        assert (out / s["report"]).read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
        if s["documents"] == [f"{feed}:fire-1", f"{feed}:fire-2"]:
            assert [x["copy_of"] for x in d["documents"]] == [None, "d1"]
    assert "Harbour" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_batch_resumes_after_a_kill_without_redoing_stories(tmp_path, res):
    inputs = write_heap(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.raises(BatchInterrupted):
        run_batch(inputs, out, res=res, stop_after=1)    # killed after its first story
    assert not (out / "index.json").exists()
    assert not list(out.rglob("*.tmp"))                  # nothing half-written
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("s*.json")}
    assert len(first) == 1

    again = run_batch(inputs, out, res=res)
    assert again.done_before == 1 and again.written == len(again.stories) - 1
    for name, mtime in first.items():                    # the finished story was not written again
        assert (out / name).stat().st_mtime_ns == mtime
    fresh = tmp_path / "fresh"
    run_batch(inputs, fresh, res=res)
    assert dossiers(out) == dossiers(fresh)              # the same result as one uninterrupted run
    third = run_batch(inputs, out, res=res)
    assert third.written == 0 and third.done_before == len(third.stories)


@pytest.mark.slow
def test_batch_cli_reports_skipped_and_exit_code(tmp_path, capsys):
    inputs = write_heap(tmp_path / "in")
    code = cli.main(["batch", *inputs, "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 2 and all(line.startswith("counterpoint: ") for line in err)
    assert any("[binary]" in line for line in err) and any("[malformed-jsonl]" in line for line in err)
    assert cli.main(["batch", inputs[0], "--out", str(tmp_path / "o2"), "--jobs", "0"]) == 2
    assert cli.main(["batch", inputs[0], "--out", str(tmp_path / "o3"), "--address", "x:1"]) == 2


@pytest.mark.slow
def test_batch_analyze_marks_a_syndicated_copy(tmp_path, validate):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Harbour Warehouse Burns\n\n" + FIRE + "\n", encoding="utf-8")
    b.write_text("Warehouse Fire at the Harbour\n\n" + FIRE_COPY + "\n", encoding="utf-8")
    out = tmp_path / "d.json"
    assert cli.main(["analyze", str(a), str(b), "-o", str(out), "--quiet"]) == 0
    d = validate(json.loads(out.read_text(encoding="utf-8")))
    assert [x["copy_of"] for x in d["documents"]] == [None, "d1"]


@pytest.mark.slow
def test_batch_ray_equals_local(tmp_path, res):
    pytest.importorskip("ray")
    import ray

    inputs = write_heap(tmp_path / "in")
    run_batch(inputs, tmp_path / "local", res=res)
    try:
        # chunks of 2 articles: both actors get map work, and the batching differs from the local run's
        run_batch(inputs, tmp_path / "ray", engine="ray", jobs=2, chunk=2)
    finally:
        ray.shutdown()
    local, distributed = dossiers(tmp_path / "local"), dossiers(tmp_path / "ray")
    assert local == distributed
    assert (json.loads((tmp_path / "local" / "index.json").read_text())
            == json.loads((tmp_path / "ray" / "index.json").read_text()))


@pytest.mark.slow
def test_batch_one_story_equals_analyze(tmp_path, res, demo_dossier):
    """The bundled story read as a heap: one story, and its dossier is the one `analyze` writes."""
    from counterpoint.examples import story_files

    r = run_batch([str(p) for p in story_files()], tmp_path / "out", res=res)
    (story,) = r.stories
    assert json.loads((tmp_path / "out" / story["dossier"]).read_text(encoding="utf-8")) == demo_dossier
