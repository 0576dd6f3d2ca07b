"""The command line: outputs, exit codes, one line per bad input, atomic writes, docs kept true."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from counterpoint import cli
from counterpoint.errors import REASONS

ROOT = Path(__file__).resolve().parents[1]

GOOD_A = """Council Votes to Keep Riverside Library Open
By Ada Brook | Published: 2025-04-02

The town council voted 5-2 on Tuesday to keep the Riverside library branch open for another year.
"This branch is the only quiet place many of our students have," said council member Jo Park.
Opponents said the money would be better spent on road repairs.
"""
GOOD_B = """Keep the Library Open
The Riverside branch should stay open. A town that closes its libraries tells its children that reading does not matter.
Everyone deserves a quiet place to learn, and the branch gives that to hundreds of families every week.
"""


@pytest.fixture
def inputs(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(GOOD_A, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text(GOOD_B, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00junk" * 10)
    return a, b, bad


pytestmark = pytest.mark.slow


def test_cli_analyze_writes_dossier_and_reports_bad_input(inputs, tmp_path, capsys, validate):
    a, b, bad = inputs
    out = tmp_path / "out" / "dossier.json"
    code = cli.main(["analyze", str(a), str(b), str(bad), "-o", str(out), "--html", str(tmp_path / "r.html"),
                     "--md", str(tmp_path / "r.md"), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and str(bad) in err[0] and "[binary]" in err[0]
    d = validate(json.loads(out.read_text(encoding="utf-8")))
    assert [doc["source"] for doc in d["documents"]] == [str(a), str(b)]
    assert d["skipped"][0]["code"] == "binary"
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert "Riverside" in (tmp_path / "r.md").read_text()
    assert not list(out.parent.glob(".*.tmp"))


def test_cli_all_inputs_bad_exits_3_and_writes_nothing(inputs, tmp_path, capsys):
    _, _, bad = inputs
    out = tmp_path / "d.json"
    code = cli.main(["analyze", str(bad), str(tmp_path / "missing.txt"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 3 and not out.exists()
    assert "[missing]" in err and "[binary]" in err


@pytest.mark.parametrize("argv", [
    [],
    ["analyze"],
    ["analyze", "x.txt", "--bogus"],
    ["frobnicate"],
])
def test_cli_usage_errors_exit_2(argv, capsys):
    assert cli.main(argv) == 2


def test_cli_refuses_to_overwrite_an_input(inputs, capsys):
    a, b, _ = inputs
    before = a.read_text()
    assert cli.main(["analyze", str(a), str(b), "--html", str(a)]) == 2
    assert a.read_text() == before
    assert "is one of the inputs" in capsys.readouterr().err


def test_cli_json_to_stdout_and_user_claim(inputs, capsys, validate):
    a, b, _ = inputs
    code = cli.main(["analyze", str(a), str(b), "-o", "-", "--quiet", "--claim", "The Riverside branch should stay open."])
    assert code == 0
    d = validate(json.loads(capsys.readouterr().out))
    assert d["story"]["claim"] == {"text": "The Riverside branch should stay open.", "origin": "user", "alternatives": []}
    assert d["story"]["title"] == "The Riverside branch should stay open."


def test_cli_stdin(monkeypatch, capsys, validate):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD_B.encode("utf-8"))))
    assert cli.main(["analyze", "-", "-o", "-", "--quiet"]) == 0
    d = validate(json.loads(capsys.readouterr().out))
    assert d["documents"][0]["source"] == "-"


def test_cli_summary_without_output_flags(inputs, capsys):
    a, b, _ = inputs
    assert cli.main(["analyze", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "Claim" in out and "Where each article stands" in out


def test_cli_failed_render_keeps_the_old_file(inputs, tmp_path, monkeypatch, capsys):
    a, b, _ = inputs
    report = tmp_path / "r.html"
    report.write_text("old report")

    def boom(_):
        raise RuntimeError("renderer failed")

    import counterpoint.render as render

    monkeypatch.setattr(render, "render_html", boom)
    with pytest.raises(RuntimeError):
        cli.main(["analyze", str(a), str(b), "--html", str(report), "--quiet"])
    assert report.read_text() == "old report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_demo_writes_report_and_dossier(tmp_path, capsys, validate):
    out = tmp_path / "demo"
    assert cli.main(["demo", "--out", str(out), "--quiet"]) == 0
    d = validate(json.loads((out / "dossier.json").read_text(encoding="utf-8")))
    assert len(d["documents"]) >= 5
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script src=" not in html and "http://" not in html.split("</head>")[0]


def test_cli_every_command_and_option_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert f"counterpoint {name}" in doc, name
        for action in p._actions:
            for opt in action.option_strings:
                if opt not in ("-h", "--help"):
                    assert opt in doc, f"{name} {opt}"


def test_cli_every_reason_code_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in REASONS:
        assert re.search(rf"`{re.escape(code)}`", doc), code


def test_cli_write_atomic_gives_new_files_the_usual_mode_and_keeps_an_old_ones(tmp_path):
    import os
    import stat

    from counterpoint.cli import current_umask, write_atomic

    new = tmp_path / "new.json"
    write_atomic(new, "{}")
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~current_umask()
    old = tmp_path / "old.json"
    old.write_text("x")
    os.chmod(old, 0o640)
    write_atomic(old, "y")
    assert old.read_text() == "y" and stat.S_IMODE(old.stat().st_mode) == 0o640
