"""The readable terminal summary (rich) printed when no output file is asked for."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

COLOURS = {"for": "green", "against": "red", "neutral": "bright_black"}


def print_dossier(d: dict, console: Console | None = None) -> None:
    c = console or Console(highlight=False)
    claim = d["story"]["claim"]
    c.rule(f"[bold]{escape(d['story']['title'])}")
    origin = "given" if claim["origin"] == "user" else "proposed"
    c.print(f"[bold]Claim[/] ({origin}): {escape(claim['text'])}")
    for alt in claim.get("alternatives", [])[:3]:
        c.print(f"  [dim]or: {escape(alt)}[/]")

    t = Table(title="Where each article stands", show_lines=False, expand=True)
    t.add_column("doc", no_wrap=True)
    t.add_column("title", ratio=3)
    t.add_column("stance", no_wrap=True)
    t.add_column("conf.", justify="right", no_wrap=True)
    t.add_column("evidence", ratio=4)
    for doc in d["documents"]:
        st = doc["stance"]
        ev = st["evidence"][0]["text"] if st["evidence"] else ""
        if len(ev) > 140:
            ev = ev[:137] + "…"
        col = COLOURS[st["label"]]
        t.add_row(doc["id"], escape(doc.get("title") or doc["source"]), f"[{col}]{st['label']}[/]",
                  f"{st['confidence']:.2f}", escape(ev))
    c.print(t)

    for side in ("for", "against"):
        pts = [a for a in d["arguments"] if a["side"] == side]
        if pts:
            c.print(f"[bold {COLOURS[side]}]Key points {side}[/]")
            for a in pts[:6]:
                c.print(f"  • {escape(a['key_point'])} [dim]({len(a['documents'])} doc, {a.get('prevalence', 0):.0%})[/]")

    if d["timeline"]:
        c.print("[bold]Timeline[/]")
        for e in d["timeline"][:12]:
            when = e["date"]["value"] or "undated"
            if e["date"].get("end"):
                when += f"–{e['date']['end']}"
            docs = sorted({s["doc"] for s in e["sources"]})
            c.print(f"  {when:<12} {escape(e['summary'])} [dim]({', '.join(docs)})[/]")
    people = [p for p in d["cast"] if p["kind"] == "person"]
    if people:
        c.print("[bold]Cast[/]: " + ", ".join(escape(p["name"]) for p in people[:10]))
    c.print(f"[bold]Quotes[/]: {len(d['quotes'])} "
            f"({sum(1 for q in d['quotes'] if q['speaker'])} attributed)")
    if d["checks"]:
        c.print("[bold yellow]Checks[/]")
        for ch in d["checks"]:
            c.print(f"  [{ch['kind']}] {escape(ch['message'])}")
    if d.get("skipped"):
        c.print(f"[bold]Skipped[/]: {len(d['skipped'])} input(s)")
