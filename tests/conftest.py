"""Shared fixtures: the contract validator, fake and real resources, the demo story run once."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
# The suite pins full precision, so its judgements (tests/golden/demo.json) are the same on every CPU:
# where the CPU multiplies bfloat16 natively the models would otherwise run under bfloat16 autocast,
# which moves a clustering distance or a probability in its last digits. The bfloat16 path has tests
# of its own that ask for it explicitly (test_pipeline.py, test_stance.py).
os.environ["COUNTERPOINT_PRECISION"] = "fp32"
SHARED = Path(os.environ.get("COUNTERPOINT_SHARED", ROOT.parent / "shared"))
SCHEMA_PATH = SHARED / "contract" / "dossier.schema.json"


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def validate(schema):
    """validate(dossier) raises if the dossier breaks the contract."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)

    def check(dossier: dict) -> dict:
        errors = sorted(validator.iter_errors(dossier), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
        for doc in dossier["documents"]:  # offsets must point at the text they cite
            for ev in doc["stance"]["evidence"]:
                assert doc["text"][ev["start"]:ev["end"]] == ev["text"]
        texts = {d["id"]: d["text"] for d in dossier["documents"]}
        for q in dossier["quotes"]:
            assert texts[q["doc"]][q["start"]:q["end"]] == q["text"]
        for a in dossier["arguments"]:
            for s in a["support"]:
                assert texts[s["doc"]][s["start"]:s["end"]] == s["text"]
        for e in dossier["timeline"]:
            for s in e["sources"]:
                assert 0 <= s["start"] < s["end"] <= len(texts[s["doc"]])
        return dossier

    return check


@pytest.fixture(autouse=True)
def _every_dossier_is_validated(monkeypatch, validate):
    """Every dossier a test produces through to_dossier is checked against the contract."""
    from counterpoint.render import dossier_json

    real = dossier_json.to_dossier

    def checked(*args, **kwargs):
        return validate(real(*args, **kwargs))

    monkeypatch.setattr(dossier_json, "to_dossier", checked)


class FakeEmbed:
    """Deterministic bag-of-words vectors: enough for tests of pure logic."""

    def __call__(self, texts):
        out = np.zeros((len(texts), 1024), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                w = w.strip(".,;:!?\"'“”’")
                if len(w) < 3 or w in {"and", "the", "not", "for"}:
                    continue
                h = int(hashlib.md5(w.encode()).hexdigest(), 16)
                out[i, h % 1024] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out


class FakeResources:
    def __init__(self, arg_prob: float = 0.9):
        self.embed = FakeEmbed()
        self.kp_embed = self.embed
        self.progress = None
        self._arg_prob = arg_prob

        class _Arg:
            version = "fake"

            def probs(_, sentences):
                return np.full(len(sentences), arg_prob, dtype=np.float32)

        self.argument_model = _Arg()


@pytest.fixture
def fake_res():
    return FakeResources()


@pytest.fixture(scope="session")
def res():
    """The real models, loaded once for the whole test session."""
    from counterpoint.resources import shared

    return shared()  # the CLI, run in-process by the tests, uses the same instance


@pytest.fixture(scope="session")
def demo_story(res):
    """The bundled example story through the whole pipeline, once."""
    from counterpoint.examples import story_files
    from counterpoint.pipeline import analyze

    return analyze([str(p) for p in story_files()], res=res)


@pytest.fixture(scope="session")
def demo_dossier(demo_story, res, validate):
    from counterpoint.render.dossier_json import to_dossier

    return validate(to_dossier(demo_story, res.model_versions()))


def kill_at_hang_point(proc, marker, timeout: float = 600) -> None:
    """Wait until ``proc`` announces (by creating ``marker``, see store.hang_for_tests) that it sits at the
    point under test, then SIGKILL it. The timeout is a bound, not a guess: the process signals when it is there."""
    import signal
    import time

    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the process never reached the hang point"
        time.sleep(0.1)
    assert marker.read_text() == str(proc.pid)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL


def assert_killed_story_intact(db: str, old: dict):
    """After a kill: the database is sound, the story has its five articles and still the last complete dossier."""
    import sqlite3

    from counterpoint.store import Store

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(db) as s:
        info = s.story("castillo")
        assert info.articles == 5 and info.stale
        assert s.dossier(info.id) == old
        assert [a.id for a in s.articles(info.id)] == ["d1", "d2", "d3", "d4", "d5"]
        return info
