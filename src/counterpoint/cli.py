"""The command line: parse, call the library, turn errors into one line and an exit code.

    counterpoint analyze INPUT... [--claim TEXT] [--title TEXT] [-o DOSSIER.json]
                                  [--html REPORT.html] [--md REPORT.md] [--quiet] [--debug]
    counterpoint demo [--out DIR] [--quiet]

and, registered from their own modules: ``add``, ``analyze --story``, ``export``,
``stories`` (cli_store: the story library), ``serve`` (cli_web: the local web app),
``batch`` (cli_batch: group a heap of articles into stories). docs/cli.md has them all.

Exit codes: 0 every input analysed; 1 some inputs skipped (the dossier is still
written); 2 usage error; 3 nothing could be analysed.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from . import __version__
from .errors import ConfigError, CounterpointError

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
PROGRESS_MIN_DOCS = 4


class UsageError(ConfigError):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 on its own; keep it one line
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="counterpoint", description="Read every side of a story: a dossier from a pile of articles.")
    p.add_argument("--version", action="version", version=f"counterpoint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    a = sub.add_parser("analyze", help="analyse articles about one story and write a dossier")
    a.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=".txt/.md (first line is the headline), .html/.htm, .jsonl (one article a line), a folder, or - for stdin")
    a.add_argument("--story", metavar="NAME",
                   help="analyse this story from the library instead of INPUT paths, and store its dossier there")
    a.add_argument("--db", metavar="PATH", help="the story library for --story (default: ./counterpoint.db)")
    a.add_argument("--claim", help="the contested claim, as a declarative sentence (default: proposed from the articles)")
    a.add_argument("--title", help="a title for the story (default: the claim)")
    a.add_argument("-o", "--output", metavar="DOSSIER.json", help="write the dossier JSON here; - for standard output")
    a.add_argument("--html", metavar="REPORT.html", help="write a self-contained HTML report here")
    a.add_argument("--md", metavar="REPORT.md", help="write a Markdown report here")
    a.add_argument("--quiet", action="store_true", help="print nothing but errors")
    a.add_argument("--debug", action="store_true", help="show tracebacks")

    d = sub.add_parser("demo", help="analyse the bundled example story; write report.html and dossier.json")
    d.add_argument("--out", default="counterpoint-demo", metavar="DIR", help="folder for the outputs (default: ./counterpoint-demo)")
    d.add_argument("--quiet", action="store_true", help="print nothing but errors")
    d.add_argument("--debug", action="store_true", help="show tracebacks")

    # the store, web-app and batch commands live beside the library code they drive
    from . import cli_batch, cli_store, cli_web

    for module in (cli_store, cli_web, cli_batch):
        HANDLERS.update(module.register(sub))
    return p


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows (os.umask sets it for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would,
        # or keep the mode of the file it replaces
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~current_umask()
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def check_outputs(inputs: list[str], outputs: list[str | None]) -> None:
    """Refuse to write an output over one of the inputs."""
    ins = {Path(i).resolve() for i in inputs if i != "-" and Path(i).exists()}
    seen = set()
    for out in outputs:
        if not out or out == "-":
            continue
        rp = Path(out).resolve()
        if rp in ins:
            raise UsageError(f"{out}: is one of the inputs; choose another output path")
        inside = [i for i in ins if i.is_dir() and rp.is_relative_to(i)]
        if inside:  # it would be read as an article next time, or clobber one now
            raise UsageError(f"{out}: is inside the input folder {inside[0]}; write outputs elsewhere")
        if rp in seen:
            raise UsageError(f"{out}: given for two outputs; choose different paths")
        if rp.is_dir():
            raise UsageError(f"{out}: is a folder; give a file path")
        seen.add(rp)


def run_analysis(inputs, *, claim=None, title=None, quiet=False):
    from .pipeline import analyze
    from .resources import shared

    progress_ctx = None
    res = shared()
    res.progress = None
    if not quiet:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress_ctx = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), transient=True, console=stderr_console())
        task = progress_ctx.add_task("reading", total=None, visible=False)

        def on_progress(done, total):
            if total >= PROGRESS_MIN_DOCS:
                progress_ctx.update(task, completed=done, total=total, visible=True)

        def on_stage(name):
            progress_ctx.update(task, description=name)

        res.progress = on_progress
        with progress_ctx:
            story = analyze(inputs, claim=claim, title=title, res=res, on_stage=on_stage)
    else:
        story = analyze(inputs, claim=claim, title=title, res=res)
    return story, res


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def report_skipped(story) -> None:
    for s in story.skipped:
        print(f"counterpoint: {s.source}: {s.detail} [{s.code}]", file=sys.stderr)


def write_outputs(dossier: dict, output=None, html=None, md=None) -> list[str]:
    from .render import render_html, render_markdown
    from .render.dossier_json import dumps

    written = []
    if output == "-":
        sys.stdout.write(dumps(dossier))
        sys.stdout.flush()
    elif output:
        write_atomic(output, dumps(dossier))
        written.append(output)
    if html:
        write_atomic(html, render_html(dossier))
        written.append(html)
    if md:
        write_atomic(md, render_markdown(dossier))
        written.append(md)
    return written


def print_summary(dossier: dict, console=None) -> None:
    from .render.terminal import print_dossier

    print_dossier(dossier, console)


def cmd_analyze(args) -> int:
    if args.story is not None or args.db is not None:
        if args.inputs:
            raise UsageError("give INPUT paths or --story NAME, not both")
        if args.story is None:
            raise UsageError("--db goes with --story NAME")
        from .cli_store import cmd_analyze_story

        return cmd_analyze_story(args)
    if not args.inputs:
        raise UsageError("give INPUT paths to analyse, or --story NAME for a story in the library")
    check_outputs(args.inputs, [args.output, args.html, args.md])
    story, res = run_analysis(args.inputs, claim=args.claim, title=args.title, quiet=args.quiet)
    report_skipped(story)
    if not story.articles:
        print("counterpoint: nothing could be analysed; no dossier written", file=sys.stderr)
        return EXIT_NOTHING
    from .render.dossier_json import to_dossier

    dossier = to_dossier(story, res.model_versions())
    written = write_outputs(dossier, args.output, args.html, args.md)
    if not args.quiet:
        if not (args.output or args.html or args.md):
            print_summary(dossier)
        elif written:
            stderr_console().print("wrote " + ", ".join(written))
    return EXIT_SKIPPED if story.skipped else EXIT_OK


def cmd_demo(args) -> int:
    from .examples import story_files

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder; choose another --out")
    story, res = run_analysis([str(p) for p in story_files()], quiet=args.quiet)
    report_skipped(story)
    if not story.articles:
        return EXIT_NOTHING
    from .render.dossier_json import to_dossier

    dossier = to_dossier(story, res.model_versions())
    written = write_outputs(dossier, out / "dossier.json", out / "report.html", out / "report.md")
    if not args.quiet:
        print_summary(dossier)
        stderr_console().print("wrote " + ", ".join(str(w) for w in written))
    return EXIT_SKIPPED if story.skipped else EXIT_OK


HANDLERS = {"analyze": cmd_analyze, "demo": cmd_demo}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return HANDLERS[args.command](args)
    except ConfigError as exc:
        print(f"counterpoint: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CounterpointError as exc:
        if debug:
            raise
        print(f"counterpoint: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    except KeyboardInterrupt:
        print("counterpoint: interrupted; no output written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
