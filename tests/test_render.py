"""Renderers: the HTML and Markdown reports built from a hand-made dossier dict."""
from __future__ import annotations

import copy
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpoint.render.html import highlight, layout_timeline, render_html
from counterpoint.render.markdown import render_markdown

TEXT_1 = (
    "The Harbour Road ferry will stop running in May, the council said. "
    '"We cannot keep a boat for forty riders a day," said Mayor Ilse Varga. '
    "The service began in 1998 and was cut to weekends in March 2021."
)
TEXT_2 = (
    "Closing the ferry is a mistake. Islanders who cannot drive depend on it. "
    "“It is our only bus,” Tom Reyes told me."
)


def span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def make_dossier() -> dict:
    s1, e1 = span(TEXT_1, "We cannot keep a boat for forty riders a day,")
    ev1 = span(TEXT_1, '"We cannot keep a boat for forty riders a day," said Mayor Ilse Varga.')
    t1 = span(TEXT_1, "The service began in 1998 and was cut to weekends in March 2021.")
    a2 = span(TEXT_2, "Closing the ferry is a mistake.")
    b2 = span(TEXT_2, "Islanders who cannot drive depend on it.")
    q2 = span(TEXT_2, "It is our only bus,")
    return {
        "schema_version": "1",
        "generator": {"name": "counterpoint", "version": "0.0-test"},
        "story": {"id": "s1", "title": "The Harbour Road ferry",
                  "claim": {"text": "The Harbour Road ferry should keep running.", "origin": "auto",
                            "alternatives": ["The council should close the ferry."]}},
        "documents": [
            {"id": "d1", "title": "Council to end ferry", "source": "a/news.txt", "site": "Bay Herald",
             "author": "Ana Pike", "published": "2024-02-01", "text": TEXT_1, "word_count": 40,
             "stance": {"label": "neutral", "confidence": 0.7, "evidence": [
                 {"text": TEXT_1[ev1[0]:ev1[1]], "start": ev1[0], "end": ev1[1], "label": "against", "score": 0.6}]}},
            {"id": "d2", "title": "Keep the ferry", "source": "a/oped.txt", "site": None, "author": None,
             "published": None, "text": TEXT_2,
             "stance": {"label": "for", "confidence": 0.9, "evidence": [
                 {"text": TEXT_2[a2[0]:a2[1]], "start": a2[0], "end": a2[1], "label": "for", "score": 0.8},
                 {"text": TEXT_2[b2[0]:b2[1]], "start": b2[0], "end": b2[1], "label": "for"}]}},
        ],
        "cast": [
            {"id": "p1", "name": "Ilse Varga", "kind": "person", "aliases": ["Ilse Varga", "Varga"],
             "mentions": [{"doc": "d1", "count": 1}]},
            {"id": "p2", "name": "Tom Reyes", "kind": "person", "aliases": ["Tom Reyes"],
             "mentions": [{"doc": "d2", "count": 1}]},
        ],
        "quotes": [
            {"id": "q1", "doc": "d1", "text": TEXT_1[s1:e1], "start": s1, "end": e1, "speaker": "p1",
             "speaker_name": "Ilse Varga", "kind": "direct", "cue": "said"},
            {"id": "q2", "doc": "d2", "text": TEXT_2[q2[0]:q2[1]], "start": q2[0], "end": q2[1], "speaker": None},
        ],
        "timeline": [
            {"id": "e1", "type": "launch", "summary": "The ferry service began", "participants": [],
             "date": {"value": "1998", "precision": "year", "text": "in 1998"},
             "sources": [{"doc": "d1", "start": t1[0], "end": t1[1], "text": TEXT_1[t1[0]:t1[1]], "date_value": "1998"}]},
            {"id": "e2", "type": "cut", "summary": "Service cut to weekends", "participants": [],
             "date": {"value": "2021-03", "precision": "month", "end": "2024-05"},
             "sources": [{"doc": "d1", "start": t1[0], "end": t1[1]}]},
            {"id": "e3", "type": "statement", "summary": "Council announces closure", "participants": ["p1"],
             "date": {"value": "2024-02-01", "precision": "day"}, "sources": []},
            {"id": "e4", "type": "protest", "summary": "Islanders protest", "participants": [],
             "date": {"value": None, "precision": "unknown"}, "sources": []},
        ],
        "arguments": [
            {"id": "k1", "side": "for", "key_point": "People without cars rely on the ferry.",
             "documents": ["d2"], "prevalence": 1.0,
             "support": [{"doc": "d2", "start": b2[0], "end": b2[1], "text": TEXT_2[b2[0]:b2[1]]}]},
        ],
        "checks": [
            {"kind": "date_conflict", "message": "Sources disagree on when the service began.",
             "docs": ["d1", "d2"], "refs": ["e1"]},
            {"kind": "name_variant", "message": "'Vargas' is probably Ilse Varga.", "docs": ["d1"], "refs": ["p1"]},
        ],
        "skipped": [{"source": "a/broken.html", "code": "malformed-html", "detail": "no body found"}],
    }


SECTION_IDS = ["claim", "stance", "arguments", "timeline", "cast", "quotes", "checks", "documents", "skipped"]


def test_render_html_sections_in_order():
    html = render_html(make_dossier())
    positions = [html.index(f'id="{s}"') for s in SECTION_IDS]
    assert positions == sorted(positions)
    assert "The Harbour Road ferry should keep running." in html
    assert "proposed automatically" in html
    assert "The council should close the ferry." in html
    assert "<svg" in html and 'href="#ev-e1"' in html and 'id="ev-e1"' in html
    assert "1 of 1 article" in html
    assert "unattributed" in html
    assert "malformed-html" in html


def test_render_html_marks_date_conflict_event():
    html = render_html(make_dossier())
    assert re.search(r'<li id="ev-e1" class="conflict"', html)
    assert not re.search(r'<li id="ev-e3" class="conflict"', html)
    # the undated event is listed apart, not drawn
    undated = html.index("Undated events")
    assert html.index('id="ev-e4"') > undated


def test_render_html_marks_a_scheduled_event():
    d = make_dossier()
    d["timeline"][2]["scheduled"] = True
    html = render_html(d)
    item = html[html.index('<li id="ev-e3"'):]
    item = item[:item.index("</li>")]
    assert "scheduled" in item
    assert re.search(r'<g class="ev[^"]* scheduled"', html)
    assert "scheduled" not in html[html.index('<li id="ev-e1"'):][:300]


def test_dossier_json_carries_scheduled():
    from counterpoint.model import Article, DateValue, Event, EventSource, Story
    from counterpoint.render.dossier_json import to_dossier
    text = "The board will vote on May 3."
    ev = Event(id="e1", type="vote", summary="Vote (scheduled: May 3, 2026)", participants=(),
               date=DateValue(value="2026-05-03", precision="day"),
               sources=(EventSource(doc="d1", start=0, end=len(text), text=text),), scheduled=True)
    story = Story(articles=(Article(id="d1", source="d1.txt", text=text),), events=(ev,))
    assert to_dossier(story)["timeline"][0]["scheduled"] is True


def test_render_html_user_claim_origin():
    d = make_dossier()
    d["story"]["claim"]["origin"] = "user"
    assert "given by user" in render_html(d)


def test_render_html_no_external_references():
    html = render_html(make_dossier())
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html


@pytest.mark.parametrize("drop", ["documents", "timeline", "all"])
def test_render_empty_dossier(drop):
    d = make_dossier()
    keys = ["documents", "cast", "quotes", "timeline", "arguments", "checks"] if drop == "all" else [drop]
    for k in keys:
        d[k] = []
    d.pop("skipped")
    html = render_html(d)
    assert "</html>" in html
    md = render_markdown(d)
    assert "The Harbour Road ferry should keep running." in md


def test_render_minimal_contract_only_dossier():
    """No extras at all: every optional field missing."""
    d = {"schema_version": "1", "generator": {"name": "counterpoint", "version": "1"},
         "story": {"id": "x", "title": "T", "claim": {"text": "C.", "origin": "auto"}},
         "documents": [{"id": "d1", "title": None, "source": "s", "text": "Hello.",
                        "stance": {"label": "neutral", "confidence": 0.5, "evidence": []}}],
         "cast": [], "quotes": [], "timeline": [], "arguments": [], "checks": []}
    assert "Hello." in render_html(d)
    assert "| d1 |" in render_markdown(d)


def test_highlight_overlapping_spans():
    text = "abcdefghij"
    out = str(highlight(text, [(2, 6, "ev ev-for", "a1"), (4, 8, "q", "a2")]))
    plain = re.sub(r"<[^>]+>", "", out)
    assert plain == text
    # each piece is one flat mark with every class that covers it
    assert '<mark class="ev ev-for">cd</mark>' in out
    assert '<mark class="ev ev-for q">ef</mark>' in out
    assert '<mark class="q">gh</mark>' in out
    assert out.count("<mark") == out.count("</mark>") == 3
    assert 'id="a1"' in out and 'id="a2"' in out


def test_highlight_offsets_in_document():
    d = make_dossier()
    html = render_html(d)
    q = d["quotes"][0]
    # the quote's exact words sit inside a mark carrying both the quote and the evidence class
    assert f'<mark class="ev ev-against q">{q["text"]}</mark>' in html


@pytest.mark.parametrize("spans", [
    [(-5, 3, "q", "a")], [(8, 99, "q", "a")], [(5, 5, "q", "a")], [(6, 2, "q", "a")], [("x", None, "q", "a")],
])
def test_highlight_bad_offsets_are_clamped_or_dropped(spans):
    out = str(highlight("0123456789", spans))
    assert re.sub(r"<[^>]+>", "", out) == "0123456789"


def test_highlight_escapes_text_pieces():
    out = str(highlight("a<b>c&d", [(1, 4, "q", "x")]))
    assert "<b>" not in out
    assert "&lt;b&gt;" in out and "&amp;d" in out


def test_timeline_layout_places_by_date():
    events = make_dossier()["timeline"]
    tl = layout_timeline(events, {"e1"})
    rows = {r["id"]: r for r in tl["rows"]}
    assert set(rows) == {"e1", "e2", "e3"}
    assert rows["e1"]["cx"] < rows["e2"]["x1"] < rows["e3"]["cx"]
    assert rows["e1"]["kind"] == "year" and rows["e2"]["kind"] == "span" and rows["e3"]["kind"] == "point"
    assert rows["e1"]["conflict"] and not rows["e3"]["conflict"]
    assert [t["label"] for t in tl["ticks"]][0] == "1998"


def test_render_markdown_sections_and_rows():
    md = render_markdown(make_dossier())
    for heading in ["## Claim", "## Stances", "## Key points", "## Timeline", "## Cast", "## Quotes",
                    "## Checks", "## Skipped"]:
        assert heading in md
    assert "The Harbour Road ferry should keep running." in md
    assert re.search(r"^\| d1 \| Council to end ferry \|", md, re.M)
    assert re.search(r"^\| d2 \| Keep the ferry \|", md, re.M)
    assert "**Mar 2021 – May 2024**" in md
    assert "unattributed" in md
    assert "1 of 1 articles" in md


def test_render_markdown_neutralises_markup_in_tables():
    d = make_dossier()
    d["documents"][0]["title"] = "a | b <i>x</i>"
    md = render_markdown(d)
    row = next(line for line in md.splitlines() if line.startswith("| d1 |"))
    assert "<i>" not in md
    # columns still line up: 7 cells, escaped pipe not counted
    assert len(re.split(r"(?<!\\)\|", row)) == 9


# --- escaping, for any string in any text field ------------------------------

TEXT_FIELDS = [
    ("story", "title"), ("claim", "text"), ("claim", "alt"),
    ("doc", "title"), ("doc", "text"), ("doc", "source"), ("doc", "site"), ("doc", "author"),
    ("doc", "url"), ("doc", "published"), ("doc", "evidence"),
    ("quote", "text"), ("quote", "speaker_name"), ("quote", "cue"),
    ("cast", "name"), ("cast", "alias"), ("event", "summary"), ("event", "type"), ("event", "source_text"),
    ("event", "date_text"), ("kp", "key_point"), ("kp", "support"), ("check", "message"), ("check", "ref"),
    ("skipped", "source"), ("skipped", "detail"), ("id", "doc"), ("id", "event"),
]


def plant(d: dict, where: tuple[str, str], s: str) -> dict:
    d = copy.deepcopy(d)
    obj, field = where
    doc = d["documents"][0]
    if obj == "story":
        d["story"]["title"] = s
    elif obj == "claim":
        if field == "alt":
            d["story"]["claim"]["alternatives"] = [s]
        else:
            d["story"]["claim"]["text"] = s
    elif obj == "doc":
        if field == "evidence":
            doc["stance"]["evidence"][0]["text"] = s
        elif field == "text":
            doc["text"] = s + doc["text"] + s
        else:
            doc[field] = s
    elif obj == "quote":
        d["quotes"][0][field] = s
    elif obj == "cast":
        if field == "alias":
            d["cast"][0]["aliases"].append(s)
        else:
            d["cast"][0]["name"] = s
    elif obj == "event":
        e = d["timeline"][0]
        if field == "source_text":
            e["sources"][0]["text"] = s
        elif field == "date_text":
            e["date"]["text"] = s
            e["sources"][0]["date_text"] = s
        else:
            e[field] = s
    elif obj == "kp":
        if field == "support":
            d["arguments"][0]["support"][0]["text"] = s
        else:
            d["arguments"][0]["key_point"] = s
    elif obj == "check":
        if field == "ref":
            d["checks"][0]["refs"].append(s)
        else:
            d["checks"][0]["message"] = s
    elif obj == "skipped":
        d["skipped"][0][field] = s
    elif obj == "id":
        if field == "doc":
            doc["id"] = s
            d["quotes"][0]["doc"] = s
        else:
            d["timeline"][0]["id"] = s
    return d


PAYLOAD = '<script>alert("x")</script>'


@pytest.mark.parametrize("where", TEXT_FIELDS, ids=lambda w: ".".join(w))
def test_render_escapes_script_in_every_field(where):
    d = plant(make_dossier(), where, PAYLOAD)
    html = render_html(d)
    # the report's own script is the only one
    assert html.lower().count("<script") == 1
    md = render_markdown(d)
    assert "<script" not in md.lower()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    where=st.sampled_from(TEXT_FIELDS),
    s=st.text(alphabet=st.sampled_from(list("<>&\"'/|`*_ \n scriptSCRIPT=")), max_size=30)
    .map(lambda t: t + "<script" + t),
)
def test_render_never_emits_unescaped_script(where, s):
    d = plant(make_dossier(), where, s)
    html = render_html(d)
    assert html.lower().count("<script") == 1
    assert "<script" not in render_markdown(d).lower()


def test_render_html_draws_disagreeing_source_dates():
    d = make_dossier()
    d["timeline"][0]["sources"].append(
        {"doc": "d2", "start": 0, "end": 5, "text": "Began in 1999.", "date_value": "1999"})
    html = render_html(d)
    assert 'class="alt"' in html
    assert "1999 in d2" in html


@settings(max_examples=80, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab<>&\"' \n\u00a0é")), max_size=40),
    raw=st.lists(st.tuples(st.integers(-5, 45), st.integers(-5, 45), st.sampled_from(["q", "ev ev-for", "ts", ""])),
                 max_size=6),
)
def test_highlight_keeps_text_exact_for_any_spans(text, raw):
    import html as html_lib
    spans = [(s, e, cls, f"a{i}") for i, (s, e, cls) in enumerate(raw)]
    out = str(highlight(text, spans))
    assert html_lib.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert out.count("<mark") == out.count("</mark>")
    assert "<mark" not in re.sub(r"<mark[^>]*>[^<]*</mark>", "", out)  # marks never nest


def test_render_html_counts_a_copy_once_per_side(demo_dossier):
    import copy

    from counterpoint.render import render_html

    d = copy.deepcopy(demo_dossier)
    extra = copy.deepcopy(next(doc for doc in d["documents"] if doc["stance"]["label"] == "for"))
    extra.update(id="d99", source="syndicated-copy.txt", copy_of=extra["id"])
    d["documents"].append(extra)
    html = render_html(d)
    assert "(+1 copy)" in html and 'a copy of <a href="#doc-' in html
