"""Commands for the story library: add, analyze --story, export, stories.

``register(sub)`` adds this module's subparsers to the CLI and returns
{command name: handler(args) -> exit code}. Each command is a thin layer over
``store.Store``; ``counterpoint analyze --story`` comes here through ``cli.cmd_analyze``.

Exit codes beyond ``analyze``'s: 3 when the story (or the database) does not exist,
has no articles, or has no dossier to export; 4 when the database cannot be used.
"""
from __future__ import annotations

import functools
import shlex
import sys

from .errors import EmptyStory, NoDatabase, NoDossier, StoreError, StoryNotFound

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_NOTHING, EXIT_STORE = 0, 1, 2, 3, 4
DEFAULT_DB = "counterpoint.db"


def add_db_option(p) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                   help=f"the story library, an SQLite file (default: ./{DEFAULT_DB})")


def add_common(p) -> None:
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--debug", action="store_true", help="show tracebacks")


def register(sub) -> dict:
    a = sub.add_parser("add", help="add articles to a story in the library (made if new)")
    a.add_argument("inputs", nargs="+", metavar="INPUT",
                   help=".txt/.md, .html/.htm, .jsonl, a folder, or - for stdin (as for analyze)")
    a.add_argument("--story", required=True, metavar="NAME", help="the story to add them to; made if new")
    add_db_option(a)
    add_common(a)

    e = sub.add_parser("export", help="write a story's last stored dossier (no analysis)")
    e.add_argument("--story", required=True, metavar="NAME", help="the story whose dossier to write")
    add_db_option(e)
    e.add_argument("-o", "--output", metavar="DOSSIER.json", help="write the dossier JSON here; - for standard output")
    e.add_argument("--html", metavar="REPORT.html", help="write a self-contained HTML report here")
    e.add_argument("--md", metavar="REPORT.md", help="write a Markdown report here")
    add_common(e)

    s = sub.add_parser("stories", help="list the stories in the library")
    add_db_option(s)
    s.add_argument("--debug", action="store_true", help="show tracebacks")
    return {"add": guarded(cmd_add), "export": guarded(cmd_export), "stories": guarded(cmd_stories)}


def guarded(handler):
    """Store errors as one line and an exit code: 3 nothing to work on, 4 the database cannot be used."""
    @functools.wraps(handler)
    def run(args) -> int:
        try:
            return handler(args)
        except (NoDatabase, StoryNotFound, EmptyStory, NoDossier) as exc:
            if getattr(args, "debug", False):
                raise
            print(f"counterpoint: {exc}", file=sys.stderr)
            return EXIT_NOTHING
        except StoreError as exc:
            if getattr(args, "debug", False):
                raise
            print(f"counterpoint: {exc}", file=sys.stderr)
            return EXIT_STORE
    return run


def open_store(path: str, *, create: bool):
    from .store import Store

    return Store(path, create=create)


def say(args, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr)


def cmd_add(args) -> int:
    from .model import Article
    from .store import read_items

    items = read_items(args.inputs)
    for it in items:
        if not isinstance(it, Article):
            print(f"counterpoint: {it.source}: {it.detail} [{it.code}]", file=sys.stderr)
    if not any(isinstance(it, Article) for it in items):
        print("counterpoint: nothing could be read; no articles added", file=sys.stderr)
        return EXIT_NOTHING
    store = open_store(args.db, create=True)
    try:
        info = store.ensure_story(args.story)
        result = store.add_articles(info.id, items)
        info = store.story(info.id)
    finally:
        store.close()
    for source, earlier in result.duplicates:
        say(args, f"counterpoint: {source}: same text as {earlier}, already in story {info.name!r}; not added again")
    n = len(result.added)
    msg = f"added {n} article{'s' if n != 1 else ''} to story {info.name!r} ({info.articles} in all)"
    if n and info.stale:
        msg += f"; update its dossier with: counterpoint analyze --story {shlex.quote(info.name)}"
        if args.db != DEFAULT_DB:
            msg += f" --db {shlex.quote(args.db)}"
    say(args, msg)
    return EXIT_SKIPPED if result.skipped else EXIT_OK


@guarded
def cmd_analyze_story(args) -> int:
    """``counterpoint analyze --story NAME``: analyse incrementally, store the dossier, then write outputs."""
    from .cli import check_outputs, stderr_console
    from .resources import shared

    check_outputs([args.db or DEFAULT_DB], [args.output, args.html, args.md])  # never write over the library
    store = open_store(args.db or DEFAULT_DB, create=False)
    try:
        info = store.story(args.story)
        res = shared()
        res.progress = None
        if args.quiet:
            dossier = store.analyze(info.id, res, claim=args.claim, title=args.title)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            from .cli import PROGRESS_MIN_DOCS

            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), transient=True, console=stderr_console()) as progress:
                task = progress.add_task("reading", total=None)

                def on_progress(done, total):
                    if total >= PROGRESS_MIN_DOCS:
                        progress.update(task, completed=done, total=total)

                res.progress = on_progress
                try:
                    dossier = store.analyze(info.id, res, claim=args.claim, title=args.title,
                                            on_stage=lambda name: progress.update(task, description=name))
                finally:
                    res.progress = None
    finally:
        store.close()
    return finish_outputs(args, dossier, f"stored the dossier of story {info.name!r} in {args.db or DEFAULT_DB}")


def finish_outputs(args, dossier: dict, note: str) -> int:
    from .cli import print_summary, write_outputs

    written = write_outputs(dossier, args.output, args.html, args.md)
    if not args.quiet:
        if not (args.output or args.html or args.md):
            print_summary(dossier)
        if args.output != "-":
            print(note + ("; wrote " + ", ".join(written) if written else ""), file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    from .cli import check_outputs

    check_outputs([args.db], [args.output, args.html, args.md])  # never write over the library
    store = open_store(args.db, create=False)
    try:
        info = store.story(args.story)
        dossier = store.dossier(info.id)
    finally:
        store.close()
    if dossier is None:
        raise NoDossier(info.name)
    note = f"story {info.name!r}: dossier of {info.analysed_at}"
    if info.stale:
        note += f" (articles were added since; counterpoint analyze --story {shlex.quote(info.name)} updates it)"
    return finish_outputs(args, dossier, note)


def cmd_stories(args) -> int:
    from pathlib import Path

    if not Path(args.db).exists():  # listing makes nothing
        print(f"counterpoint: no stories: there is no story database at {args.db}", file=sys.stderr)
        return EXIT_OK
    store = open_store(args.db, create=False)
    try:
        infos = store.stories()
    finally:
        store.close()
    if not infos:
        print(f"counterpoint: no stories in {args.db}", file=sys.stderr)
        return EXIT_OK
    rows = [("id", "story", "articles", "analysed", "dossier")]
    for s in infos:
        state = "not analysed" if s.analysed_at is None else ("stale" if s.stale else "up to date")
        rows.append((str(s.id), s.name, str(s.articles), s.analysed_at or "never", state))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        line = "  ".join(c.rjust(w) if i in (0, 2) else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
        print(line.rstrip())
    return EXIT_OK
