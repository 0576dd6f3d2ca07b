"""Load on the web app: many readers of a dossier while one writer adds articles (a bounded test, not a unit test).

    .venv/bin/python bench/load_web.py [--clients 50] [--seconds 30] [--every 1.0] [--no-analyze]

Starts the real server (`counterpoint serve`, its own process) on a free loopback port over a temporary
database holding the bundled story, analysed once. Then for ``--seconds``: ``--clients`` concurrent readers
(asyncio + httpx, one keep-alive connection each) fetch the dossier in turns as JSON
(``/api/stories/1/dossier``) and as the HTML page (``/stories/1``), while one writer posts a new article every
``--every`` seconds (each a new text, so none is a duplicate), which queues a re-analysis in the background
unless ``--no-analyze``. Afterwards it waits for the last analysis and checks that every article the writer
was told was added is in the store, and in the final dossier.

Prints requests/s, p50/p99/max latency per kind, the count of 5xx responses and transport errors (goal 0),
the articles added / lost (goal 0 lost), and the core count.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def article(i: int) -> str:
    return (f"Ferry riders count day {i}\n"
            f"The Harbour Road ferry carried {120 + i} riders on day {i} of the trial, the operator said on Friday. "
            f"Campaigners said the figure for day {i} shows that the island still depends on the boat. "
            f"The council said it would publish the full count for the {i}th day next week, before the vote.\n")


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


async def run_load(base: str, clients: int, seconds: float, every: float, analyze: bool) -> dict:
    import httpx

    lat = {"json": [], "html": []}
    status_5xx = 0
    errors: list[str] = []
    added: list[str] = []
    writes, write_lat, write_fail = 0, [], []
    stop = time.monotonic() + seconds

    async def reader(n: int) -> None:
        nonlocal status_5xx
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            k = n
            while time.monotonic() < stop:
                kind = "json" if k % 2 == 0 else "html"
                k += 1
                t = time.perf_counter()
                try:
                    r = await c.get("/api/stories/1/dossier" if kind == "json" else "/stories/1")
                    await r.aread()
                except httpx.HTTPError as e:
                    errors.append(f"{kind}: {type(e).__name__}: {e}")
                    continue
                lat[kind].append(time.perf_counter() - t)
                if r.status_code >= 500:
                    status_5xx += 1

    async def writer() -> None:
        nonlocal writes, status_5xx
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            i = 0
            while time.monotonic() < stop:
                i += 1
                t = time.perf_counter()
                try:
                    r = await c.post("/api/stories/1/articles",
                                     data={"text": article(i), "analyze": "true" if analyze else "false"})
                except httpx.HTTPError as e:
                    errors.append(f"add: {type(e).__name__}: {e}")
                    continue
                write_lat.append(time.perf_counter() - t)
                writes += 1
                if r.status_code >= 500:
                    status_5xx += 1
                if r.status_code == 201:
                    added.extend(a["id"] for a in r.json()["added"])
                else:
                    write_fail.append(f"{r.status_code}: {r.text[:200]}")
                await asyncio.sleep(max(0.0, every - (time.perf_counter() - t)))

    t0 = time.perf_counter()
    await asyncio.gather(writer(), *(reader(n) for n in range(clients)))
    wall = time.perf_counter() - t0
    return {"lat": lat, "5xx": status_5xx, "errors": errors, "added": added, "writes": writes,
            "write_lat": write_lat, "write_fail": write_fail, "wall": wall}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="web app load: readers of a dossier and one writer")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--every", type=float, default=1.0, help="seconds between the writer's articles")
    ap.add_argument("--no-analyze", action="store_true", help="add articles without re-analysing")
    args = ap.parse_args(argv)

    import httpx

    from counterpoint.examples import story_files
    from counterpoint.resources import shared
    from counterpoint.store import Store, read_items

    tmp = Path(tempfile.mkdtemp(prefix="cp-load-"))
    db = tmp / "load.db"
    with Store(db) as store:
        info = store.ensure_story("harbour-ferry")
        store.add_articles(info.id, read_items([str(p) for p in story_files()]))
        t = time.perf_counter()
        store.analyze(info.id, shared())
        print(f"setup: the bundled story analysed in {time.perf_counter() - t:.1f} s (models included)")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "counterpoint", "serve", "--db", str(db), "--port", str(port)],
                              cwd=tmp, stdout=subprocess.DEVNULL, stderr=open(tmp / "server.log", "w"))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/stories", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print((tmp / "server.log").read_text(), file=sys.stderr)
                raise SystemExit("the server did not start")
            time.sleep(0.2)

        out = asyncio.run(run_load(base, args.clients, args.seconds, args.every, not args.no_analyze))

        # the last analysis, then nothing lost
        t = time.perf_counter()
        state = None
        while time.perf_counter() - t < 600:
            state = httpx.get(base + "/api/stories/1/status", timeout=10).json()
            if state["state"] not in ("queued", "running"):
                break
            time.sleep(0.5)
        settle = time.perf_counter() - t
        stored = {a["id"] for a in httpx.get(base + "/api/stories/1/articles", timeout=30).json()["articles"]}
        dossier = httpx.get(base + "/api/stories/1/dossier", timeout=30).json()
        in_dossier = {d["id"] for d in dossier["documents"]}
    finally:
        server.terminate()
        server.wait(timeout=30)
    server_errors = (tmp / "server.log").read_text().count("Traceback")

    lost_store = [a for a in out["added"] if a not in stored]
    lost_dossier = [a for a in out["added"] if a not in in_dossier] if not args.no_analyze else []
    n = sum(len(v) for v in out["lat"].values())
    print(f"cores (os.cpu_count()): {os.cpu_count()}")
    print(f"{args.clients} readers + 1 writer for {args.seconds:g} s on loopback "
          f"(server: `counterpoint serve`, its own process; re-analysis {'off' if args.no_analyze else 'on'})")
    print(f"reads: {n} in {out['wall']:.1f} s = {n / out['wall']:.1f} requests/s")
    for kind, xs in out["lat"].items():
        print(f"  {kind:4}: {len(xs)} requests, p50 {pct(xs, .5) * 1000:.0f} ms, p99 {pct(xs, .99) * 1000:.0f} ms, "
              f"max {max(xs, default=float('nan')) * 1000:.0f} ms")
    wl = out["write_lat"]
    print(f"writes: {out['writes']} posts, {len(out['added'])} articles added, p50 {pct(wl, .5) * 1000:.0f} ms, "
          f"max {max(wl, default=float('nan')) * 1000:.0f} ms; refused: {len(out['write_fail'])}")
    print(f"5xx responses: {out['5xx']}; transport errors: {len(out['errors'])}; server tracebacks: {server_errors}")
    for e in (out["errors"] + out["write_fail"])[:5]:
        print("  " + e)
    print(f"after the run: last analysis {state['state'] if state else '?'} {settle:.1f} s later; "
          f"articles lost from the store: {len(lost_store)}; missing from the final dossier: {len(lost_dossier)} "
          f"(store {len(stored)} articles, dossier {len(in_dossier)} documents)")
    ok = out["5xx"] == 0 and not out["errors"] and not lost_store and not lost_dossier
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
