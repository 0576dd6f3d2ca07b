"""Incremental update of a stored story vs a full re-analysis (FNC-1 train bodies).

    .venv/bin/python bench/incremental.py [--n 50] [--repeat 3] [--data ../shared/data] [--no-cli]

A story of N articles (the first N non-empty FNC-1 bodies, one JSONL file each, written to a temporary folder:
nothing is copied into the repository) is added to a store and analysed; then one more article arrives. Timed:

* in one process with the models loaded first (median of --repeat runs):
  - the full re-analysis from scratch of the N+1 articles (``pipeline.analyze`` on the paths, ingest included);
  - the update: ``Store.add_articles`` of the new one + ``Store.analyze`` (the N in the cache);
* as whole CLI processes (model loading included, one run each): ``counterpoint analyze`` of the N+1 files vs
  ``counterpoint add NEW --story`` + ``counterpoint analyze --story``.

It checks the stored dossier equals the one from scratch, and prints the core count.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)


def load_bodies(data: Path, n: int) -> list[str]:
    out, seen = [], set()
    with open(data / "fnc1" / "train_bodies.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            body = row["articleBody"].strip()
            if len(body.split()) >= 20 and body not in seen:
                seen.add(body)
                out.append(body)
            if len(out) == n:
                break
    return out


def write_articles(folder: Path, bodies: list[str]) -> list[str]:
    paths = []
    for i, body in enumerate(bodies):
        p = folder / f"a{i:03d}.jsonl"
        p.write_text(json.dumps({"id": f"fnc-{i}", "text": body}) + "\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def run_cli(*argv: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "counterpoint", *argv], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="incremental story update vs full re-analysis")
    ap.add_argument("--n", type=int, default=50, help="articles already in the story (default 50)")
    ap.add_argument("--repeat", type=int, default=3, help="in-process runs to take the median of (default 3)")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--no-cli", action="store_true", help="skip the whole-process timings")
    args = ap.parse_args(argv)

    from counterpoint import pipeline
    from counterpoint.render.dossier_json import to_dossier
    from counterpoint.resources import Resources
    from counterpoint.store import Store, read_items

    bodies = load_bodies(args.data, args.n + 1)
    words = sum(len(b.split()) for b in bodies)
    t = time.perf_counter()
    res = Resources().load_all()
    load_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        paths = write_articles(tmp / "in", bodies)
        old, new = paths[:-1], paths[-1]

        # the store as it stands before the new article: N articles added and analysed
        base = tmp / "base.db"
        with Store(base) as s:
            sid = s.ensure_story("fnc").id
            build_add_s, _ = timed(lambda: s.add_articles(sid, read_items(old)))
            build_an_s, _ = timed(lambda: s.analyze(sid, res))

        full, upd_add, upd_an, upd = [], [], [], []
        scratch = stored = None
        for i in range(args.repeat):
            secs, story = timed(lambda: pipeline.analyze(paths, res=res))
            full.append(secs)
            scratch = to_dossier(story, res.model_versions())
            db = tmp / f"run{i}.db"
            shutil.copyfile(base, db)
            with Store(db) as s:
                a_s, _ = timed(lambda: s.add_articles(sid, read_items([new])))
                b_s, stored = timed(lambda: s.analyze(sid, res))
            upd_add.append(a_s)
            upd_an.append(b_s)
            upd.append(a_s + b_s)
        same = stored == scratch

        cli = None
        if not args.no_cli:
            db = tmp / "cli.db"
            shutil.copyfile(base, db)
            full_cli = run_cli("analyze", *paths, "--quiet", "-o", str(tmp / "scratch.json"))
            add_cli = run_cli("add", new, "--story", "fnc", "--db", str(db), "--quiet")
            an_cli = run_cli("analyze", "--story", "fnc", "--db", str(db), "--quiet", "-o", str(tmp / "stored.json"))
            same_cli = (tmp / "scratch.json").read_bytes() == (tmp / "stored.json").read_bytes()
            cli = (full_cli, add_cli, an_cli, same_cli)
        db_kb = base.stat().st_size / 1024

    med = statistics.median
    print(f"machine: {os.cpu_count()} cores; story: {args.n} FNC-1 train bodies + 1 new ({words} words in all)")
    print(f"model load: {load_s:.1f} s")
    print(f"first build of the store: add {args.n} {build_add_s:.2f} s + analyze {build_an_s:.1f} s "
          f"(database {db_kb:.0f} KiB)")
    print(f"in-process, models loaded, median of {args.repeat}:")
    print(f"  full re-analysis from scratch, {args.n + 1} articles: {med(full):.2f} s "
          f"(runs: {', '.join(f'{x:.2f}' for x in full)})")
    print(f"  update: add 1 {med(upd_add):.3f} s + analyze --story {med(upd_an):.2f} s = {med(upd):.2f} s "
          f"(runs: {', '.join(f'{x:.2f}' for x in upd)})")
    print(f"  ratio update / full: {med(upd) / med(full):.2f}; same dossier: {'yes' if same else 'NO'}")
    if cli:
        full_cli, add_cli, an_cli, same_cli = cli
        print("whole CLI processes (model load included), one run each:")
        print(f"  counterpoint analyze {args.n + 1} files: {full_cli:.1f} s")
        print(f"  counterpoint add 1 {add_cli:.1f} s + counterpoint analyze --story {an_cli:.1f} s = "
              f"{add_cli + an_cli:.1f} s")
        print(f"  ratio update / full: {(add_cli + an_cli) / full_cli:.2f}; same dossier: {'yes' if same_cli else 'NO'}")
    return 0 if same and (cli is None or cli[3]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
