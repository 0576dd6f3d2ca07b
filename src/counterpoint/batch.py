"""The batch: read a heap of articles, sort them into stories, write one dossier per story.

    run_batch(inputs, out, engine="local" | "ray", jobs=N, address=None)

The work is the pipeline's own split:

1. **read** (driver): ``ingest.read_input`` for every input; bad inputs become
   ``Skipped`` with their reason code.
2. **map** (engine): ``pipeline.prepare_articles`` per chunk of articles — the
   spaCy parse and the sentence vectors, a pure function of each text. From it
   the driver keeps the grouping ``Signals`` (cached under ``OUT/.batch/``, so a
   re-run does not parse again just to group) and the ``Prepared`` results for
   the reduce.
3. **group** (driver): ``grouping.find_copies`` and ``grouping.group_articles``
   — pure, on the whole heap, so the stories do not depend on the engine or
   the worker count.
4. **reduce** (engine): ``pipeline.analyze(articles=..., prepared=...)`` per
   story, rendered to dossier JSON and HTML in the worker; the driver writes
   the files. The reduce runs on the same workers as the map: it needs the same
   models (the embedder and the stance model), it is most of the work per
   article, and the stories are independent, so running them in the driver
   would leave the workers idle and make the driver the bottleneck.
5. **index** (driver): ``index.json`` and ``index.html``, written last.

Resuming: a story's id is a hash of its documents' texts in order; its files
are written atomically and a ``.done`` marker after them, so a killed batch
re-run with the same ``--out`` skips every story whose marker is there and
never leaves a half-written file.
"""
from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .grouping import DEFAULT_PARAMS, GroupingParams, Signals, article_signals, find_copies, group_articles
from .model import Article, Skipped, short_hash
from .pipeline import Prepared, text_key

WORK_DIR = ".batch"          # under --out: signal cache and done markers
CHUNK = 8                    # articles per map task: enough to amortise a task, small enough to balance
MARKER_VERSION = 1


# --- plain helpers ------------------------------------------------------------

def read_inputs(inputs: Iterable[str]) -> tuple[list[Article], list[Skipped]]:
    """Every input read by ingest; articles keep their source, ids are given per story later."""
    from .stages.ingest import read_input

    arts: list[Article] = []
    skipped: list[Skipped] = []
    for path in inputs:
        for item in read_input(path):
            (arts if isinstance(item, Article) else skipped).append(item)
    return arts, skipped


def story_id(articles: Sequence[Article]) -> str:
    """The id ``pipeline.finish`` gives the same story: a hash of its texts in order."""
    return "s" + short_hash(*(a.text for a in articles))


def number(articles: Sequence[Article]) -> list[Article]:
    """Ids "d1", "d2", ... within one story, as ingest gives them."""
    return [a.model_copy(update={"id": f"d{i + 1}"}) for i, a in enumerate(articles)]


def chunks(items: Sequence, size: int) -> list[list]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def signals_of(articles: Sequence[Article], prepared: dict[str, Prepared]) -> dict[str, Signals]:
    return {a.id: article_signals(a, prepared[a.id].annotation, prepared[a.id].vectors) for a in articles}


# --- the work each worker does ------------------------------------------------

class Worker:
    """What runs on a worker: models load once, when the first task arrives, and stay."""

    def __init__(self, threads: int | None = 1) -> None:
        if threads:
            import torch

            torch.set_num_threads(threads)
        from .resources import Resources

        self.res = Resources()

    def peak_mb(self) -> float:
        """This worker's peak resident memory (max RSS), in MiB."""
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def prepare(self, articles: list[Article]) -> tuple[dict[str, Prepared], dict[str, Signals]]:
        from .pipeline import prepare_articles

        prepared = prepare_articles(articles, self.res)
        return prepared, signals_of(articles, prepared)

    def reduce(self, articles: list[Article], prepared: dict[str, Prepared]) -> tuple[str, str, str]:
        """One story: (story id, dossier JSON text, HTML report)."""
        from .pipeline import analyze
        from .render import render_html
        from .render.dossier_json import dumps, to_dossier

        story = analyze(articles=articles, prepared=prepared, res=self.res)
        dossier = to_dossier(story, self.res.model_versions())
        return story.id, dumps(dossier), render_html(dossier)


_WORKER: Worker | None = None


def _pool_init(threads: int) -> None:
    global _WORKER
    _WORKER = Worker(threads)


def _pool_prepare(articles):
    return _WORKER.prepare(articles)


def _pool_reduce(articles, prepared):
    return _WORKER.reduce(articles, prepared)


# --- engines ------------------------------------------------------------------

class LocalEngine:
    """In this process (jobs=1) or a process pool of ``jobs`` workers."""

    def __init__(self, jobs: int = 1, res=None) -> None:
        self.jobs = max(1, jobs)
        self._pool = None
        self._worker = None
        self._res = res

    def __enter__(self):
        if self.jobs > 1:
            import multiprocessing

            # spawn: a forked copy of a process that already holds torch threads can hang
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_pool_init, initargs=(1,))
        else:
            self._worker = Worker.__new__(Worker)
            from .resources import shared

            if self._res is None:
                # one worker, one thread, like a pool process or a Ray actor: on a busy machine
                # torch's default of a thread per core spends its time waiting for cores
                import torch

                torch.set_num_threads(1)
            self._worker.res = self._res or shared()
        return self

    def __exit__(self, *exc):
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def peaks(self) -> list[float]:
        """Peak memory per worker in MiB (a pool's workers are measured by the caller, after it ends)."""
        return [self._worker.peak_mb()] if self._worker else []

    def map(self, fn: str, calls: list[tuple]):
        """Yield (call index, result) as the calls finish."""
        if self._pool is None:
            for i, args in enumerate(calls):
                yield i, getattr(self._worker, fn)(*args)
            return
        from concurrent.futures import as_completed

        target = _pool_prepare if fn == "prepare" else _pool_reduce
        futures = {self._pool.submit(target, *args): i for i, args in enumerate(calls)}
        for f in as_completed(futures):
            yield futures[f], f.result()


class RayEngine:
    """Ray actors, one per CPU: models load once per actor; map and reduce tasks are spread over them."""

    def __init__(self, jobs: int = 1, address: str | None = None) -> None:
        self.jobs = max(1, jobs)
        self.address = address
        self._started = False

    def __enter__(self):
        try:
            import ray
        except ImportError:
            from .errors import ConfigError

            raise ConfigError("--engine ray needs Ray: pip install 'counterpoint[ray]'") from None
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no network use
        if not ray.is_initialized():
            if self.address:
                ray.init(address=self.address, logging_level="ERROR", log_to_driver=False)
            else:
                ray.init(num_cpus=self.jobs, include_dashboard=False, logging_level="ERROR",
                         log_to_driver=False, configure_logging=True)
            self._started = True
        # one actor per --jobs, on a cluster too: each holds its own models, loaded once
        remote = ray.remote(num_cpus=1)(Worker)
        self.actors = [remote.remote(1) for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc):
        import ray

        for a in getattr(self, "actors", []):
            ray.kill(a)
        if self._started:
            ray.shutdown()

    def peaks(self) -> list[float]:
        import ray

        return ray.get([a.peak_mb.remote() for a in self.actors])

    def map(self, fn: str, calls: list[tuple]):
        import ray

        pending: dict = {}
        free = list(self.actors)
        todo = list(enumerate(calls))
        todo.reverse()
        busy: dict = {}
        while todo or pending:
            while free and todo:
                i, args = todo.pop()
                actor = free.pop()
                ref = getattr(actor, fn).remote(*args)
                pending[ref] = i
                busy[ref] = actor
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                i = pending.pop(ref)
                free.append(busy.pop(ref))
                yield i, ray.get(ref)


def make_engine(engine: str, jobs: int, address: str | None = None, res=None):
    if engine == "ray":
        return RayEngine(jobs, address)
    return LocalEngine(jobs, res)


# --- the run ------------------------------------------------------------------

@dataclass
class BatchResult:
    stories: list[dict] = field(default_factory=list)     # the index entries
    skipped: list[Skipped] = field(default_factory=list)
    done_before: int = 0                                   # stories found finished by an earlier run
    written: int = 0
    worker_peak_mb: list[float] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each phase


def _load_signals(path: Path) -> Signals | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            return Signals(z["lead"], z["body"], frozenset(meta["names"]), meta.get("published"))
    except (OSError, ValueError, KeyError):
        return None


def _save_signals(path: Path, s: Signals) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        np.savez(f, lead=s.lead, body=s.body,
                 meta=json.dumps({"names": sorted(s.names), "published": s.published}))
    os.replace(tmp, path)


def is_done(out: Path, sid: str, keys: Sequence[str]) -> bool:
    """A story is finished when its marker is there, names the same texts, and its files exist."""
    marker = out / WORK_DIR / "done" / f"{sid}.json"
    try:
        m = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (m.get("keys") == list(keys) and (out / m.get("dossier", "")).is_file()
            and (out / m.get("report", "")).is_file())


def run_batch(
    inputs: Sequence[str],
    out: str | Path,
    *,
    engine: str = "local",
    jobs: int = 1,
    address: str | None = None,
    params: GroupingParams = DEFAULT_PARAMS,
    res=None,
    on_articles: Callable[[int, int], None] | None = None,
    on_stories: Callable[[int, int], None] | None = None,
    stop_after: int | None = None,
    chunk: int = CHUNK,
) -> BatchResult:
    """Read, group and analyse ``inputs``; write ``out/<story>.json|.html`` and ``out/index.json|.html``.

    ``stop_after`` stops (as a kill would) after that many stories were written
    in this run, before the index: what the resume test simulates.
    """
    from .cli import write_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    work = out / WORK_DIR
    clock = [time.perf_counter()]
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - clock[0]
        clock[0] = now

    articles, skipped = read_inputs(inputs)
    keys = [text_key(a.text) for a in articles]
    # within the batch an article is known by its position: "a<n>"
    articles = [a.model_copy(update={"id": f"a{i}"}) for i, a in enumerate(articles)]
    result = BatchResult(skipped=list(skipped), seconds=seconds)

    signals: dict[str, Signals] = {}
    for a, k in zip(articles, keys):
        s = _load_signals(work / "signals" / f"{k}.npz")
        if s is not None:
            signals[a.id] = Signals(s.lead, s.body, s.names, a.published)
    prepared: dict[str, Prepared] = {}

    lap("read")
    with make_engine(engine, jobs, address, res) as eng:
        lap("start")
        def run_map(todo: list[Article], done_before: int = 0) -> None:
            calls = [(c,) for c in chunks(todo, chunk)]
            done = done_before
            for i, (prep, sig) in eng.map("prepare", calls):
                for a in calls[i][0]:
                    prepared[a.id] = prep[a.id]
                    if a.id not in signals:
                        signals[a.id] = sig[a.id]
                        _save_signals(work / "signals" / f"{keys[int(a.id[1:])]}.npz", sig[a.id])
                done += len(calls[i][0])
                if on_articles:
                    on_articles(done, len(articles))

        todo = [a for a in articles if a.id not in signals]
        if on_articles:
            on_articles(len(articles) - len(todo), len(articles))
        run_map(todo, len(articles) - len(todo))
        lap("map")

        copies = find_copies([a.text for a in articles], dates=[a.published for a in articles])
        groups = group_articles([signals[a.id] for a in articles], copies, params)
        plan = []
        for g in groups:
            members = [articles[i] for i in g]
            sid = story_id(members)
            plan.append((sid, members, [keys[i] for i in g]))
        unfinished = [(sid, m, k) for sid, m, k in plan if not is_done(out, sid, k)]
        lap("group")
        result.done_before = len(plan) - len(unfinished)

        # the map again only for articles of unfinished stories whose parse came from an earlier run
        need = [a for _, m, _ in unfinished for a in m if a.id not in prepared]
        if need:
            run_map(need, len(articles) - len(need))
            lap("map")
        if on_stories:
            on_stories(result.done_before, len(plan))
        calls = []
        for sid, members, _ in unfinished:
            arts = number(members)
            calls.append((arts, {b.id: prepared[a.id].for_doc(b.id) for a, b in zip(members, arts)}))
        done = result.done_before
        for i, (got_id, dossier_text, html) in eng.map("reduce", calls):
            sid, members, k = unfinished[i]
            assert got_id == sid, (got_id, sid)
            write_atomic(out / f"{sid}.json", dossier_text)
            write_atomic(out / f"{sid}.html", html)
            write_atomic(work / "done" / f"{sid}.json",
                         json.dumps({"version": MARKER_VERSION, "keys": list(k),
                                     "dossier": f"{sid}.json", "report": f"{sid}.html"}) + "\n")
            result.written += 1
            done += 1
            if on_stories:
                on_stories(done, len(plan))
            if stop_after is not None and result.written >= stop_after:
                raise BatchInterrupted(result)
        lap("reduce")
        result.worker_peak_mb = eng.peaks()

    for sid, members, _ in plan:
        d = json.loads((out / f"{sid}.json").read_text(encoding="utf-8"))
        result.stories.append({
            "id": sid, "title": d["story"]["title"],
            "documents": [a.source for a in members],
            "copies": sum(1 for x in d["documents"] if x.get("copy_of")),
            "claim": d["story"]["claim"]["text"],
            "dossier": f"{sid}.json", "report": f"{sid}.html",
        })
    write_index(out, result)
    lap("index")
    return result


class BatchInterrupted(Exception):
    """Raised by ``stop_after``: the batch stopped as if killed, before writing its index."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__(f"stopped after {result.written} stories")
        self.result = result


def index_dict(result: BatchResult) -> dict:
    return {
        "stories": result.stories,
        "skipped": [{"source": s.source, "reason": s.code, "detail": s.detail} for s in result.skipped],
    }


def render_index(index: dict) -> str:
    """The browsable index: Jinja2 with autoescape, no external request."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("counterpoint", "render/templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    return env.get_template("batch_index.html.j2").render(index=index)


def write_index(out: Path, result: BatchResult) -> None:
    from .cli import write_atomic
    from .render.dossier_json import dumps

    index = index_dict(result)
    write_atomic(out / "index.html", render_index(index))
    write_atomic(out / "index.json", dumps(index))  # last: its presence means the batch finished
