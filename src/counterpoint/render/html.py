"""The dossier as one self-contained HTML file.

Reads the dossier dict (the JSON contract, version 1) and nothing else. Every
piece of article-derived text is escaped: by Jinja2's autoescape in the
template, and by ``markupsafe.escape`` around each slice where Python builds
markup itself (the highlighted document text). No external resource is ever
referenced: the CSS and the little JavaScript are inlined (the web app
extends the same templates and serves that script as a file instead).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"
SIDES = ("for", "neutral", "against")
_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def render_html(dossier: dict) -> str:
    """Render ``dossier`` to a complete HTML document (a str)."""
    env = make_environment()
    return env.get_template("report.html.j2").render(view=build_view(dossier))


@functools.lru_cache(maxsize=4)
def make_environment(*extra_dirs: str) -> Environment:
    """The report's Jinja2 environment; ``extra_dirs`` are searched first.

    The web app passes its own page templates here, so its pages extend
    ``base.html.j2`` and ``report.html.j2`` with the same filters and escaping.
    """
    env = Environment(
        loader=FileSystemLoader([*extra_dirs, str(TEMPLATES)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda x: f"{max(0.0, min(1.0, as_float(x))) * 100:.0f}"
    return env


# --- the view: everything the template shows, computed here -----------------

def build_view(d: dict) -> dict:
    story = d.get("story") or {}
    claim = story.get("claim") or {}
    docs = [doc for doc in (d.get("documents") or []) if isinstance(doc, dict)]
    doc_by_id = {str(doc.get("id")): doc for doc in docs}
    quotes = [q for q in (d.get("quotes") or []) if isinstance(q, dict)]
    events = [e for e in (d.get("timeline") or []) if isinstance(e, dict)]
    checks = [c for c in (d.get("checks") or []) if isinstance(c, dict)]
    cast = [c for c in (d.get("cast") or []) if isinstance(c, dict)]
    args = [a for a in (d.get("arguments") or []) if isinstance(a, dict)]

    conflict_ids = {str(r) for c in checks if c.get("kind") == "date_conflict" for r in (c.get("refs") or [])}
    cast_ids = {str(c.get("id")) for c in cast}
    event_ids = {str(e.get("id")) for e in events}

    return {
        "title": story.get("title") or "Untitled story",
        "story_id": story.get("id") or "",
        "generator": d.get("generator") or {},
        "claim": {
            "text": claim.get("text") or "",
            "origin": claim.get("origin") or "auto",
            "alternatives": [a for a in (claim.get("alternatives") or []) if a],
        },
        "docs": docs,
        "doc_title": {k: doc_label(v) for k, v in doc_by_id.items()},
        "columns": stance_columns(docs),
        "sides": key_point_sides(args, docs),
        "timeline": layout_timeline(events, conflict_ids),
        "undated": [e for e in events if parse_date((e.get("date") or {}).get("value")) is None],
        "conflicts": conflict_ids,
        "cast": cast,
        "cast_matrix": len(docs) <= 8,
        "quote_groups": group_quotes(quotes),
        "checks": checks,
        "cast_ids": cast_ids,
        "event_ids": event_ids,
        "texts": [highlighted_document(doc, quotes, events, args) for doc in docs],
        "skipped": [s for s in (d.get("skipped") or []) if isinstance(s, dict)],
        "counts": {
            "documents": len(docs), "cast": len(cast), "quotes": len(quotes),
            "events": len(events), "arguments": len(args), "checks": len(checks),
        },
    }


def doc_label(doc: dict) -> str:
    return doc.get("title") or doc.get("source") or str(doc.get("id"))


def as_float(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return 0.0


def as_int(x: Any) -> int | None:
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def stance_columns(docs: list[dict]) -> list[dict]:
    cols = {s: [] for s in SIDES}
    for doc in docs:
        label = (doc.get("stance") or {}).get("label")
        cols[label if label in cols else "neutral"].append(doc)
    # every article is listed; a copy is not counted as another source
    return [{"side": s, "docs": cols[s], "sources": sum(1 for d in cols[s] if not d.get("copy_of"))} for s in SIDES]


def key_point_sides(args: list[dict], docs: list[dict]) -> list[dict]:
    """Two facing columns; prevalence shown as 'n of m articles' on that side."""
    out = []
    for side in ("for", "against"):
        # a syndicated copy is not another article making the case
        m = sum(1 for doc in docs if (doc.get("stance") or {}).get("label") == side and not doc.get("copy_of"))
        points = []
        for a in args:
            if a.get("side") != side:
                continue
            n = len(a.get("documents") or [])
            share = a.get("prevalence")
            share = as_float(share) if share is not None else (n / m if m else 0.0)
            points.append({"arg": a, "n": n, "m": m, "share": share})
        points.sort(key=lambda p: (-p["share"], -p["n"]))
        out.append({"side": side, "points": points, "m": m})
    return out


def group_quotes(quotes: list[dict]) -> list[dict]:
    """Quotes grouped by speaker, named speakers first, 'unattributed' last."""
    groups: dict[str | None, dict] = {}
    for q in quotes:
        key = q.get("speaker")
        name = q.get("speaker_name") or (key if key else None)
        g = groups.setdefault(key, {"speaker": key, "name": name or "unattributed", "quotes": []})
        g["quotes"].append(q)
    return sorted(groups.values(), key=lambda g: (g["speaker"] is None, -len(g["quotes"]), str(g["name"])))


# --- the timeline drawing ----------------------------------------------------

def parse_date(value: Any) -> tuple[int, int | None, int | None] | None:
    if not isinstance(value, str):
        return None
    m = _DATE.match(value)
    if not m:
        return None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if mo is not None and not 1 <= mo <= 12:
        mo, day = None, None
    if day is not None and not 1 <= day <= 31:
        day = None
    return y, mo, day


def date_bounds(value: Any) -> tuple[float, float] | None:
    """(start, end) in fractional years covering the stated precision."""
    p = parse_date(value)
    if p is None:
        return None
    y, mo, day = p
    if mo is None:
        return float(y), float(y + 1)
    start = y + (mo - 1) / 12
    if day is None:
        return start, start + 1 / 12
    start += (day - 1) / 365.25
    return start, start + 1 / 365.25


def layout_timeline(events: list[dict], conflicts: set[str], width: int = 1000) -> dict:
    """Geometry for an SVG timeline: one row per dated event under a year scale."""
    rows = []
    for e in events:
        date = e.get("date") or {}
        b = date_bounds(date.get("value"))
        if b is None:
            continue
        end = date_bounds(date.get("end"))
        rows.append((e, date, b, end))
    if not rows:
        return {"rows": [], "ticks": [], "width": width, "height": 0}
    # The scale covers every drawn date, the disagreeing sources' dates included.
    bounds = [b for _, _, b, _ in rows] + [end for _, _, _, end in rows if end]
    bounds += [b for e, _, _, _ in rows if str(e.get("id")) in conflicts
               for b in (date_bounds(src.get("date_value")) for src in (e.get("sources") or [])
                         if isinstance(src, dict)) if b]
    lo = min(b[0] for b in bounds)
    hi = max(b[1] for b in bounds)
    y0, y1 = int(lo), int(hi) + (0 if hi == int(hi) else 1)
    y1 = max(y1, y0 + 1)
    left, right = 20, width - 20

    def x(t: float) -> float:
        return round(left + (t - y0) / (y1 - y0) * (right - left), 1)

    span = y1 - y0
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 10 ** 9) if span / s <= 20)
    ticks = [{"x": x(yr), "label": str(yr)} for yr in range(y0, y1 + 1) if (yr - y0) % step == 0]
    top, row_h = 44, 34
    out = []
    for i, (e, date, (s, t), end) in enumerate(rows):
        precision = date.get("precision") or "unknown"
        cy = top + i * row_h + row_h / 2
        if end:  # a span: a bar from the start to the end of the stated range
            kind, x1, x2 = "span", x(s), x(max(end[1], t))
        elif precision == "year" or (t - s) > 0.5:
            kind, x1, x2 = "year", x(s), x(t)  # a whole year: a faint band, a hollow dot
        else:
            kind, x1, x2 = "point", x(s), x(t)
        cx = round((x1 + x2) / 2, 1) if kind != "span" else x1
        # Labels go right of the mark, or left of it near the right edge; a long
        # span with no room either side carries its label just above the bar.
        conflict = str(e.get("id")) in conflicts
        alts = other_dates(e, date, x) if conflict else []
        reach = max([x2 if kind == "span" else cx] + [a["x2"] for a in alts])
        lx1 = min([x1] + [a["x1"] for a in alts])
        # about 7 px a character at the label's size: put it where it fits
        label_px = 7.0 * (len(format_date(date)) + 3 + len(str(e.get("summary") or "")) + (2 if conflict else 0))
        right_side = reach + 10 + label_px <= width - 4
        above = not right_side and lx1 - 10 - label_px < 0
        out.append({
            "event": e,
            "id": str(e.get("id")),
            "kind": kind,
            "x1": x1, "x2": max(x2, x1 + 2), "cx": cx, "cy": round(cy, 1),
            "label_x": round(reach + 10, 1) if right_side else round(lx1 + 4 if above else lx1 - 10, 1),
            "label_y": round(cy - 8 if above else cy + 4, 1),
            "anchor": "start" if right_side or above else "end",
            "conflict": conflict,
            "alts": alts,
            "date_label": format_date(date),
        })
    return {"rows": out, "ticks": ticks, "width": width, "height": top + len(out) * row_h + 12}


def other_dates(event: dict, date: dict, x) -> list[dict]:
    """Where the disagreeing sources put the event: drawn as ghosts beside it."""
    seen, out = {date.get("value")}, []
    for src in event.get("sources") or []:
        v = src.get("date_value") if isinstance(src, dict) else None
        b = date_bounds(v)
        if b is None or v in seen:
            continue
        seen.add(v)
        x1, x2 = x(b[0]), x(b[1])
        out.append({"x1": x1, "x2": max(x2, x1 + 2), "cx": round((x1 + x2) / 2, 1),
                    "label": format_date({"value": v}), "doc": src.get("doc")})
    return out


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(date: dict) -> str:
    def one(v: Any) -> str:
        p = parse_date(v)
        if p is None:
            return "undated"
        y, mo, day = p
        if mo is None:
            return str(y)
        if day is None:
            return f"{MONTHS[mo - 1]} {y}"
        return f"{day} {MONTHS[mo - 1]} {y}"

    text = one(date.get("value"))
    if date.get("end"):
        text += f" – {one(date.get('end'))}"
    return text


# --- the document text with highlights ---------------------------------------

def highlighted_document(doc: dict, quotes: Iterable[dict], events: Iterable[dict] = (),
                         args: Iterable[dict] = (), support_class: str = "") -> dict:
    """The document text as markup: evidence sentences and quotes highlighted.

    Timeline source sentences get a faint underline; key-point support
    sentences get only an anchor, so the report can link to them (the web
    app's article page passes ``support_class`` to highlight them too).

    Spans may overlap (a quote inside an evidence sentence). The text is cut
    at every span boundary and each piece becomes one flat ``<mark>`` whose
    classes name every span covering it, so the markup never nests wrongly.
    """
    doc_id = str(doc.get("id"))
    text = doc.get("text") or ""
    if not isinstance(text, str):
        text = str(text)
    spans: list[tuple[int, int, str, str]] = []  # start, end, css class, anchor id
    evidence = (doc.get("stance") or {}).get("evidence") or []
    for i, ev in enumerate(evidence):
        if isinstance(ev, dict):
            label = ev.get("label") if ev.get("label") in SIDES else "neutral"
            spans.append((ev.get("start"), ev.get("end"), f"ev ev-{label}", f"{doc_id}-ev{i}"))
    for q in quotes:
        if str(q.get("doc")) == doc_id:
            spans.append((q.get("start"), q.get("end"), "q", f"q-{q.get('id')}"))
    for e in events:
        for i, src in enumerate(e.get("sources") or []):
            if isinstance(src, dict) and str(src.get("doc")) == doc_id:
                spans.append((src.get("start"), src.get("end"), "ts", f"src-{e.get('id')}-{i}"))
    for a in args:
        for i, sup in enumerate(a.get("support") or []):
            if isinstance(sup, dict) and str(sup.get("doc")) == doc_id:
                spans.append((sup.get("start"), sup.get("end"), support_class, f"kp-{a.get('id')}-{i}"))
    return {"doc": doc, "id": doc_id, "html": highlight(text, spans)}


def highlight(text: str, spans: Iterable[tuple[Any, Any, str, str]]) -> Markup:
    n = len(text)
    clean: list[tuple[int, int, str, str]] = []
    for start, end, cls, anchor in spans:
        s, e = as_int(start), as_int(end)
        if s is None or e is None:
            continue
        s, e = max(0, min(n, s)), max(0, min(n, e))
        if s < e:
            clean.append((s, e, cls, anchor))
    cuts = sorted({0, n, *(s for s, _, _, _ in clean), *(e for _, e, _, _ in clean)})
    anchors: dict[int, list[str]] = {}
    for s, _, _, anchor in clean:
        anchors.setdefault(s, []).append(anchor)
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        for anchor in anchors.get(a, ()):
            parts.append(f'<span class="anchor" id="{escape(anchor)}"></span>')
        piece = escape(text[a:b])
        classes = []
        for s, e, cls, _ in clean:
            if s <= a and b <= e:
                classes.extend(c for c in cls.split() if c not in classes)
        if classes:
            parts.append(f'<mark class="{escape(" ".join(classes))}">{piece}</mark>')
        else:
            parts.append(str(piece))
    return Markup("".join(parts))
