"""Commands for the batch: group a heap of articles into stories.

    counterpoint batch INPUT... --out DIR [--engine local|ray] [--address RAY_ADDRESS]
                                [--jobs N] [--quiet] [--debug]

``register(sub)`` adds this module's subparsers to the CLI and returns
{command name: handler(args) -> exit code}. The work is ``batch.run_batch``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def register(sub) -> dict:
    b = sub.add_parser("batch", help="sort a heap of articles into stories; write one dossier per story and an index")
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders or JSONL files (thousands of lines are fine), as for analyze")
    b.add_argument("--out", required=True, metavar="DIR",
                   help="folder for the dossiers, reports, index.json and index.html; re-run with the same folder to resume")
    b.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: this process or a process pool (default); ray: Ray actors")
    b.add_argument("--address", metavar="RAY_ADDRESS",
                   help="join this Ray cluster (with --engine ray); without it a local Ray is started")
    b.add_argument("--jobs", type=int, default=1, metavar="N", help="workers (processes or Ray actors); default 1")
    b.add_argument("--quiet", action="store_true", help="print nothing but errors")
    b.add_argument("--debug", action="store_true", help="show tracebacks")
    return {"batch": cmd_batch}


def cmd_batch(args) -> int:
    from .batch import run_batch
    from .cli import EXIT_NOTHING, EXIT_OK, EXIT_SKIPPED, UsageError, check_outputs, stderr_console

    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.address and args.engine != "ray":
        raise UsageError("--address needs --engine ray")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder; choose another --out")
    check_outputs(args.inputs, [str(out / "index.json")])
    if args.jobs > (os.cpu_count() or 1) and not args.address and not args.quiet:
        print(f"counterpoint: --jobs {args.jobs} is more than the {os.cpu_count()} cores here", file=sys.stderr)

    if args.quiet:
        result = run_batch(args.inputs, out, engine=args.engine, jobs=args.jobs, address=args.address)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = stderr_console()
        with Progress(TextColumn("[bold]{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), transient=True, console=console) as progress:
            arts = progress.add_task("articles", total=None)
            stories = progress.add_task("stories", total=None, visible=False)

            def on_articles(done, total):
                progress.update(arts, completed=done, total=total)

            def on_stories(done, total):
                progress.update(stories, completed=done, total=total, visible=True)

            result = run_batch(args.inputs, out, engine=args.engine, jobs=args.jobs, address=args.address,
                               on_articles=on_articles, on_stories=on_stories)
    for s in result.skipped:
        print(f"counterpoint: {s.source}: {s.detail} [{s.code}]", file=sys.stderr)
    if not args.quiet:
        docs = sum(len(s["documents"]) for s in result.stories)
        again = f", {result.done_before} finished by an earlier run" if result.done_before else ""
        stderr_console().print(f"{docs} articles in {len(result.stories)} stories ({result.written} written{again}); "
                               f"{len(result.skipped)} inputs skipped; open {out / 'index.html'}")
    if not result.stories:
        return EXIT_NOTHING
    return EXIT_SKIPPED if result.skipped else EXIT_OK
