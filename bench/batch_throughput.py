"""Batch throughput: articles/s of `counterpoint batch` on FNC-1 bodies, local and Ray, 1 and 2 workers.

    .venv/bin/python bench/batch_throughput.py [--n 1000] [--configs local:1,local:2,ray:1,ray:2]

The first N FNC-1 train bodies are written to a temporary JSONL file (nothing
is copied into the repository) and each configuration runs the whole batch
(read, map, group, reduce, write) in a fresh process into a fresh folder, so
no model or memo is shared between configurations. Printed per configuration:
wall time, articles/s end to end, the time of each phase, stories made, and the
peak memory (max RSS) of each worker — the driver itself for local:1, the
largest pool process for local:N, each actor for Ray. Scaling efficiency is
(articles/s with 2 workers) / (2 x articles/s with 1).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)


def one(config: str, jsonl: str, out: str) -> dict:
    """Run one configuration in this process; return its figures."""
    from counterpoint.batch import run_batch

    engine, jobs = config.split(":")
    t = time.perf_counter()
    r = run_batch([jsonl], out, engine=engine, jobs=int(jobs))
    wall = time.perf_counter() - t
    n = sum(len(s["documents"]) for s in r.stories)
    peaks = list(r.worker_peak_mb)
    if engine == "local" and int(jobs) > 1:  # the pool's processes have ended: the largest of them
        peaks = [resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]
    if engine == "local" and int(jobs) == 1:
        peaks = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
    return {"config": config, "articles": n, "stories": len(r.stories), "wall_s": wall,
            "articles_per_s": n / wall, "phases": r.seconds, "worker_peak_mb": peaks}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="batch throughput, local vs Ray")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--configs", default="local:1,local:2,ray:1,ray:2")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--one", help=argparse.SUPPRESS)      # internal: run one configuration
    ap.add_argument("--jsonl", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.jsonl, args.out)))
        return 0

    with open(args.data / "fnc1" / "train_bodies.csv", encoding="utf-8") as f:
        bodies = [(r["Body ID"], r["articleBody"]) for r in csv.DictReader(f)][: args.n]
    print(f"{len(bodies)} FNC-1 train bodies, {sum(len(b.split()) for _, b in bodies):,} words; "
          f"cores: {os.cpu_count()}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "bodies.jsonl"
        with open(jsonl, "w", encoding="utf-8") as f:
            for bid, b in bodies:
                f.write(json.dumps({"id": bid, "text": b}) + "\n")
        for config in args.configs.split(","):
            out = Path(tmp) / config.replace(":", "-")
            proc = subprocess.run([sys.executable, __file__, "--one", config, "--jsonl", str(jsonl), "--out", str(out)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{config}: failed\n{proc.stderr[-2000:]}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(r)
            phases = ", ".join(f"{k} {v:.1f}" for k, v in r["phases"].items())
            print(f"{config:>8}: {r['wall_s']:7.1f} s  {r['articles_per_s']:6.2f} articles/s  "
                  f"{r['stories']} stories  peak MiB per worker {[round(p) for p in r['worker_peak_mb']]}  "
                  f"[{phases}]", flush=True)
    by = {r["config"]: r["articles_per_s"] for r in results}
    for engine in ("local", "ray"):
        if f"{engine}:1" in by and f"{engine}:2" in by:
            print(f"scaling efficiency {engine} 2 vs 1: {by[f'{engine}:2'] / (2 * by[f'{engine}:1']):.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
