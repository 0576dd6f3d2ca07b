"""Ingest: every input kind, every reason code, boilerplate rows that go and rows that stay.

All texts are written here by hand (an invented story), into tmp_path.
"""
from __future__ import annotations

import gzip
import io
import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpoint.errors import REASONS, InputError
from counterpoint.model import Article, Skipped, Story
from counterpoint.stages import ingest
from counterpoint.stages.ingest import (
    clean_boilerplate, decode_bytes, find_published, normalize_text, parse_byline, read_input,
    read_source,
)

BODY = (
    "The city council voted on Tuesday to keep the riverside park open, after a debate that ran "
    "late into the night and drew more than two hundred residents to the hall.\n\n"
    "“We listened to every one of them,” said the mayor, Ada Brennan, who had argued for the "
    "sale in the spring. Her opponents were not convinced that she had changed her mind.\n\n"
    "The vote was five to two. The park will stay open until at least the end of the year, "
    "when the budget for the next term is set."
)

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council Keeps Riverside Park Open</title>
<meta property="og:title" content="Council Keeps Riverside Park Open">
<meta property="og:site_name" content="The Valley Ledger">
<meta property="og:url" content="https://ledger.example/park-vote">
<meta name="author" content="Dana Whitfield">
<meta property="article:published_time" content="2026-03-14T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council Keeps Riverside Park Open</h1>
{paras}
</article>
<footer><p>Contact us</p></footer>
</body></html>"""


def html_page(body: str = BODY) -> str:
    return HTML.replace("{paras}", "\n".join(f"<p>{p}</p>" for p in body.split("\n\n")))


def write(tmp_path, name: str, data: bytes | str):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(p)


def only(items):
    assert len(items) == 1, items
    return items[0]


# --- text and Markdown ---------------------------------------------------------

def test_ingest_text_headline_byline_body(tmp_path):
    path = write(tmp_path, "a.txt", "Council Keeps Park Open\nBy Dana Whitfield | Published: 2026-03-14\n\n" + BODY)
    art = only(read_source(path))
    assert isinstance(art, Article)
    assert art.title == "Council Keeps Park Open"
    assert art.author == "Dana Whitfield"
    assert art.published == "2026-03-14"
    assert art.text == BODY
    assert art.title_in_text is False
    assert art.source == path


def test_ingest_markdown_heading_is_title(tmp_path):
    path = write(tmp_path, "a.md", "# Council Keeps Park Open\n\nMay 14, 2019\n\n" + BODY)
    art = only(read_source(path))
    assert art.title == "Council Keeps Park Open"
    assert art.published == "2019-05-14"
    assert art.text == BODY


def test_ingest_text_without_headline_keeps_first_paragraph(tmp_path):
    art = only(read_source(write(tmp_path, "a.txt", BODY)))
    assert art.title is None
    assert art.text == BODY


@pytest.mark.parametrize("line, expected", [
    ("By Dana Whitfield | Published: 2026-03-14", ("Dana Whitfield", "2026-03-14", None)),
    ("By Dana Whitfield", ("Dana Whitfield", None, None)),
    ("By Dana Whitfield and Sam Okafor", ("Dana Whitfield and Sam Okafor", None, None)),
    ("By Dana Whitfield, Staff Writer", ("Dana Whitfield", None, None)),
    ("By Dana Whitfield, arts editor of the Weekly Lantern | Published: 2026-03-14",
     ("Dana Whitfield", "2026-03-14", None)),
    ("By Tomas Reyes, Harbourside Residents Forum newsletter | Posted: 4 March 2026",
     ("Tomas Reyes", "2026-03-04", None)),   # a title-case outlet name ending in a lower-case word
    ("By The Harbour Gazette editorial board | Published: 2 May 2026",
     ("The Harbour Gazette editorial board", "2026-05-02", None)),   # an organisation signs an editorial
    ("Published: 2024-03-14", (None, "2024-03-14", None)),
    ("May 14, 2019", (None, "2019-05-14", None)),
    ("14 May 2019", (None, "2019-05-14", None)),
    ("Tuesday, March 3, 2021", (None, "2021-03-03", None)),
    ("Updated March 3, 2021 10:04 AM", (None, None, "2021-03-03")),
    ("Posted on 3/14/2024 at 9:00 am EST", (None, "2024-03-14", None)),
    ("Posted by Ann Lowry | 11 October 2025 | The Sunday Pantry: a home cook's notebook",
     ("Ann Lowry", "2025-10-11", None)),   # a blog's byline: "Posted by", the date, the blog's name
    ("Posted by Ann Lowry", ("Ann Lowry", None, None)),
    # not bylines
    ("By Tuesday, the couple had split.", None),
    ("By the time they married, the press had lost interest.", None),
    ("By the time they married | the press had gone", None),
    ("By Dana Whitfield, arts editor of the Weekly Lantern", None),   # a lower-case role needs a date after it
    ("By Tomas Reyes, Harbourside Residents Forum newsletter", None),
    ("May 14, 2019 was the day everything changed for the couple.", None),
    ("Published in 2019, the memoir sold well.", None),
    ("Posted by the time the vote was counted, the result was clear.", None),
    ("February 30, 2019", None),
])
def test_ingest_byline_table(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize("head, expected", [
    ("Headline Here\nBy Dana Whitfield\nPublished: 2026-03-14", "2026-03-14"),
    ("Updated March 3, 2021 10:04 AM\nPublished: 2021-03-01", "2021-03-01"),
    ("Updated March 3, 2021 10:04 AM", "2021-03-03"),
    ("The council met on May 14, 2019 to vote.", None),
    ("", None),
])
def test_ingest_find_published(head, expected):
    assert find_published(head) == expected


def test_ingest_line_endings_and_blank_lines(tmp_path):
    raw = "Park Vote\r\n\r\nFirst paragraph of the story is here.   \r\n\r\n\r\n\r\nSecond paragraph.\r\n"
    art = only(read_source(write(tmp_path, "a.txt", raw)))
    assert art.text == "First paragraph of the story is here.\n\nSecond paragraph."


def test_ingest_nbsp_and_curly_quotes_survive_byte_exact(tmp_path):
    body = "“It’s done,” she said.\u00a0The vote — five to two — stood.\u2009Fans cheered ‘loudly’."
    art = only(read_source(write(tmp_path, "a.txt", "Park Vote\n\n" + body)))
    assert art.text == body
    art = only(read_source(write(tmp_path, "a.jsonl", json.dumps({"text": body}, ensure_ascii=False))))
    assert art.text == body


@pytest.mark.parametrize("data", [
    "Park Vote\n\n" .encode("utf-8") + "The café reopened “today”.".encode("utf-8"),
    b"\xef\xbb\xbf" + "Park Vote\n\nThe café reopened “today”.".encode("utf-8"),
    "Park Vote\n\nThe café reopened “today”.".encode("utf-16"),
])
def test_ingest_decodes_utf8_bom_and_utf16(tmp_path, data):
    art = only(read_source(write(tmp_path, "a.txt", data)))
    assert art.text == "The café reopened “today”."


# --- HTML ----------------------------------------------------------------------

def test_ingest_html_text_and_metadata(tmp_path):
    art = only(read_source(write(tmp_path, "a.html", html_page())))
    assert isinstance(art, Article), art
    assert art.title == "Council Keeps Riverside Park Open"
    assert art.author == "Dana Whitfield"
    assert art.published == "2026-03-14"
    assert art.site == "The Valley Ledger"
    assert art.url == "https://ledger.example/park-vote"
    assert "Home" not in art.text
    assert "five to two" in art.text
    assert "\n\n" in art.text  # paragraphs stay apart


def test_ingest_html_date_from_byline_when_no_metadata(tmp_path):
    page = (
        "<html><head><title>Council Keeps Riverside Park Open</title></head><body><article>"
        "<h1>Council Keeps Riverside Park Open</h1><p>By Dana Whitfield | Published: 2026-03-14</p>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n")) + "</article></body></html>"
    )
    art = only(read_source(write(tmp_path, "a.htm", page)))
    assert art.published == "2026-03-14"
    assert "Published:" not in art.text


def test_ingest_html_declared_charset(tmp_path):
    page = html_page().replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                               'content="text/html; charset=iso-8859-1">')
    page = page.replace("riverside park", "café park").replace("“", '"').replace("”", '"')
    art = only(read_source(write(tmp_path, "a.html", page.encode("latin-1"))))
    assert isinstance(art, Article), art
    assert "café park" in art.text


def test_ingest_html_boilerplate_after_extraction(tmp_path):
    body = BODY + "\n\nAdvertisement\n\nSign up for our newsletter to get the latest from the Ledger."
    art = only(read_source(write(tmp_path, "a.html", html_page(body))))
    assert "Advertisement" in art.removed
    assert "newsletter" not in art.text


# --- JSONL ---------------------------------------------------------------------

def test_ingest_jsonl_lines(tmp_path):
    lines = [
        json.dumps({"id": "ledger-1", "text": BODY, "title": "Park Vote", "author": "Dana Whitfield",
                    "published": "March 14, 2026", "url": "https://ledger.example/1"}),
        "",
        json.dumps({"html": html_page()}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no body"}),
        json.dumps({"text": BODY}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    items = read_source(path)
    kinds = [(type(i).__name__, i.source, getattr(i, "code", None)) for i in items]
    assert kinds == [
        ("Article", f"{path}:ledger-1", None),
        ("Article", f"{path}:3", None),
        ("Skipped", f"{path}:4", "malformed-jsonl"),
        ("Skipped", f"{path}:5", "malformed-jsonl"),
        ("Skipped", f"{path}:6", "malformed-jsonl"),
        ("Article", f"{path}:7", None),
    ]
    first = items[0]
    assert (first.title, first.author, first.published) == ("Park Vote", "Dana Whitfield", "2026-03-14")
    assert items[1].title == "Council Keeps Riverside Park Open"
    assert "line 4" in items[2].detail


# --- reason codes ----------------------------------------------------------------

SPANISH = (
    "El consejo de la ciudad votó el martes para mantener abierto el parque junto al río, después de "
    "un debate que se prolongó hasta la noche y que atrajo a más de doscientos vecinos. La alcaldesa "
    "dijo que había escuchado a todos, pero sus opositores no estaban convencidos de que hubiera "
    "cambiado de opinión."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, den Park am Fluss offen zu halten. Die Debatte dauerte "
    "bis spät in die Nacht, und mehr als zweihundert Anwohner kamen in den Saal. Die Bürgermeisterin "
    "sagte, sie habe allen zugehört, aber ihre Gegner waren nicht überzeugt, dass sie ihre Meinung "
    "geändert hatte."
)


@pytest.mark.parametrize("name, data, code", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n\t \r\n", "empty"),
    ("furniture.txt", b"Park Vote\n\nAdvertisement\n\nShare this article\n", "empty"),
    ("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    ("pic.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("a.txt.gz", gzip.compress(b"Park Vote\n\nSome text."), "binary"),
    ("nul.txt", b"Park Vote\x00\x00\x00 text", "binary"),
    ("ctrl.txt", bytes(range(1, 9)) * 40, "binary"),
    ("latin1.txt", "Park Vote\n\nThe café reopened on Tuesday.".encode("latin-1"), "bad-encoding"),
    ("latin1.html", html_page().replace('<meta charset="utf-8">', "").replace("riverside", "café")
     .encode("utf-8").replace("é".encode("utf-8"), b"\xe9"), "bad-encoding"),
    ("es.txt", ("Parque\n\n" + SPANISH).encode("utf-8"), "not-english"),
    ("de.md", ("# Park\n\n" + GERMAN).encode("utf-8"), "not-english"),
    ("ru.txt", ("Парк\n\n" + "Городской совет проголосовал за то, чтобы парк остался открытым. " * 3)
     .encode("utf-8"), "not-english"),
    ("scripts.html", b"<html><head><script>var a = 1;</script></head><body><nav><a href='/'>Home</a>"
     b"</nav><div></div></body></html>", "malformed-html"),
    ("bad.jsonl", b"{oops\n", "malformed-jsonl"),
])
def test_ingest_reason_codes(tmp_path, name, data, code):
    item = only(read_source(write(tmp_path, name, data)))
    assert isinstance(item, Skipped), item
    assert item.code == code, item
    assert item.code in REASONS
    assert ";" in item.detail  # the fact, then the fix


def test_ingest_missing(tmp_path):
    item = only(read_input(str(tmp_path / "nope.txt")))
    assert (item.code, item.source) == ("missing", str(tmp_path / "nope.txt"))


def test_ingest_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 100)
    item = only(read_source(write(tmp_path, "big.txt", "Park Vote\n\n" + BODY)))
    assert item.code == "too-large"
    assert "limit" in item.detail


def test_ingest_unreadable(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "Park Vote\n\n" + BODY)

    def deny(*a, **k):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("builtins.open", deny)
    item = only(read_source(path))
    assert item.code == "unreadable"
    assert "Permission denied" in item.detail


def test_ingest_short_text_gets_benefit_of_the_doubt(tmp_path):
    art = only(read_source(write(tmp_path, "a.txt", "Parque\n\nEl consejo votó el martes.")))
    assert isinstance(art, Article)


def test_ingest_english_with_a_foreign_quote_stays(tmp_path):
    body = BODY + "\n\nA sign at the gate read “el parque es de todos”, which means the park belongs to all."
    assert isinstance(only(read_source(write(tmp_path, "a.txt", "Park Vote\n\n" + body))), Article)


@pytest.mark.parametrize("data, declared, code", [
    ("café".encode("latin-1"), None, "bad-encoding"),
    ("café".encode("latin-1"), "no-such-charset", "bad-encoding"),
    ("café".encode("latin-1"), "utf-8", "bad-encoding"),
])
def test_ingest_decode_bytes_errors(data, declared, code):
    with pytest.raises(InputError) as e:
        decode_bytes(data, "x.html", declared)
    assert e.value.code == code
    assert "re-save as UTF-8" in e.value.detail


def test_ingest_decode_bytes_declared():
    assert decode_bytes("café".encode("latin-1"), "x.html", "iso-8859-1") == "café"
    assert decode_bytes("“café”".encode("cp1252"), "x.html", "windows-1252") == "“café”"


# --- boilerplate -----------------------------------------------------------------

GOES = [
    "Photo: Kevin Mazur/Getty Images",
    "(Photo by Kevin Mazur/Getty Images)",
    "Ada Brennan at the council meeting on Tuesday. (Photo by Sam Okafor/Valley Ledger)",
    "Image credit: Sam Okafor",
    "Getty Images",
    "Sam Okafor/Getty Images for The Valley Ledger",
    "Related Read: Mayor Defends Park Sale Plan",
    "Related: Mayor Defends Park Sale Plan",
    "Read more: Mayor defends park sale plan",
    "READ MORE",
    "Let me know in the comments what you think!",
    "Let us know in the comments below.",
    "Sign up for our newsletter to get the latest from the Ledger.",
    "Follow us on Twitter and Facebook",
    "Share this article",
    "Click here to read the full ruling.",
    "Advertisement",
    "ADVERTISEMENT",
    "We use cookies to improve your experience. By continuing you accept them.",
    "All rights reserved.",
    "© 2024 The Valley Ledger. All rights reserved.",
    "Copyright 2024 The Valley Ledger",
]

STAYS = [
    "Fans let her know in the comments that they were not convinced, and the thread grew to 3,000 posts.",
    "In the comments under the post, residents argued about parking for two days.",
    "A photo of the vote, taken by a resident, spread quickly on social media.",
    "Getty Images declined to comment on the photograph.",
    "She said she would follow us on the issue until the budget was set.",
    "Share prices of the developer fell after the vote.",
    "The advertisement ran in three local papers before the meeting.",
    "Related questions about the budget will be settled in May.",
    "Readers who click here and there on the city website will find the minutes.",
    "The council said all rights to the land remain with the city.",
]


@pytest.mark.parametrize("line", GOES)
def test_ingest_boilerplate_line_goes(line):
    text = BODY + "\n\n" + line + "\n\nThe meeting closed at midnight, the clerk said."
    clean, removed = clean_boilerplate(text)
    assert line not in clean
    assert removed == (line,)
    assert clean == BODY + "\n\nThe meeting closed at midnight, the clerk said."


@pytest.mark.parametrize("line", STAYS)
def test_ingest_boilerplate_sentence_stays(line):
    text = BODY + "\n\n" + line + "\n\nThe meeting closed at midnight, the clerk said."
    clean, removed = clean_boilerplate(text)
    assert removed == ()
    assert clean == text


@pytest.mark.parametrize("tail", [
    "More from The Valley Ledger\nMayor Defends Park Sale Plan\nRiver Cleanup Starts Monday\nSchool Board Race Heats Up",
    "You might also like:\n\nMayor defends park sale plan\n\nRiver cleanup starts Monday",
    "Mayor Defends Park Sale Plan\nRiver Cleanup Starts Monday\nSchool Board Race Heats Up",
    "About the Author\nDana Whitfield covers city hall for the Ledger. She lives in Valley Springs.",
    "About Author: Dana Whitfield covers city hall.",
    "Dana Whitfield is a freelance writer and mother of two based in Valley Springs.",
    "Dana Whitfield is a contributor to The Valley Ledger.",
])
def test_ingest_boilerplate_tail_goes(tail):
    clean, removed = clean_boilerplate(BODY + "\n\n" + tail)
    assert clean == BODY
    assert removed


@pytest.mark.parametrize("tail", [
    # a factual list at the end is content
    "Tour dates:\n- June 9 -- Riverside Hall, Valley Springs\n- June 10 -- Civic Arena, Northfield\n"
    "- June 14 -- Lakeside Pavilion, Easton",
    "Ada Brennan is a former teacher who has served two terms on the council.",
    "Her sister is a writer who lives in Northfield and did not attend.",
    "The vote, in short:\nFive in favour\nTwo against",
])
def test_ingest_boilerplate_tail_stays(tail):
    text = BODY + "\n\n" + tail
    clean, removed = clean_boilerplate(text)
    assert removed == ()
    assert clean == normalize_text(text)


def test_ingest_removed_lines_recorded_on_article(tmp_path):
    text = "Park Vote\n\n" + BODY + "\n\nAdvertisement\n\nShare this article"
    art = only(read_source(write(tmp_path, "a.txt", text)))
    assert art.removed == ("Advertisement", "Share this article")
    assert art.text == BODY


# --- stdin, folders, run ---------------------------------------------------------

class FakeStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_ingest_stdin_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(("Park Vote\n\n" + BODY).encode("utf-8")))
    art = only(read_input("-"))
    assert (art.source, art.title, art.text) == ("-", "Park Vote", BODY)


def test_ingest_stdin_html_and_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(html_page().encode("utf-8")))
    assert only(read_input("-")).title == "Council Keeps Riverside Park Open"
    data = (json.dumps({"text": BODY}) + "\n" + json.dumps({"text": BODY, "id": "x"})).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", FakeStdin(data))
    assert [a.source for a in read_input("-")] == ["-:1", "-:x"]


def test_ingest_folder_recursive_sorted(tmp_path):
    root = tmp_path / "pile"
    write(root, "b.txt", "Second Story\n\n" + BODY)
    write(root, "a/z.md", "# First Story\n\n" + BODY)
    write(root, "c.html", html_page())
    write(root, "notes.docx", b"PK\x03\x04junk")          # unknown extension: ignored
    write(root, ".hidden/x.txt", "Hidden\n\n" + BODY)      # hidden folder: ignored
    write(root, "d.txt", b"")                               # known extension, bad: reported
    story = ingest.run(Story(inputs=(str(root), write(tmp_path, "extra.log", "Log Story\n\n" + BODY))), None)
    assert [a.id for a in story.articles] == ["d1", "d2", "d3", "d4"]
    assert [a.title for a in story.articles] == [
        "First Story", "Second Story", "Council Keeps Riverside Park Open", "Log Story"]
    assert [(s.source, s.code) for s in story.skipped] == [(str(root / "d.txt"), "empty")]


def test_ingest_run_mixes_articles_and_skipped(tmp_path):
    good = write(tmp_path, "good.txt", "Park Vote\n\n" + BODY)
    story = ingest.run(Story(inputs=(str(tmp_path / "missing.txt"), good)), None)
    assert [a.id for a in story.articles] == ["d1"]
    assert [s.code for s in story.skipped] == ["missing"]
    assert story.skipped[0].message.startswith(str(tmp_path / "missing.txt") + ": ")


def test_ingest_empty_folder(tmp_path):
    (tmp_path / "nothing").mkdir()
    assert only(read_input(str(tmp_path / "nothing"))).code == "empty"


# --- never raises ----------------------------------------------------------------

@pytest.mark.parametrize("ext", [".txt", ".md", ".html", ".jsonl", ".dat"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda s: s.encode("utf-8")),
    st.sampled_from([b"<html><body><p>", b"{\"text\": 1}\n[", b"\xff\xfe\x00", b"<?xml encoding='x'?>",
                     b"{\"html\": \"<p>hi</p>\"}", b"[[[[[[[[" * 200]),
))
def test_ingest_read_source_never_raises(tmp_path, ext, data):
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(data)
    items = read_source(str(path))
    assert items
    assert all(isinstance(i, (Article, Skipped)) for i in items)
    for i in items:
        if isinstance(i, Article):
            assert i.text.strip()


def test_ingest_text_over_the_character_limit_is_too_large(tmp_path, monkeypatch):
    from counterpoint.stages import ingest

    monkeypatch.setattr(ingest, "MAX_CHARS", 200)
    p = tmp_path / "long.txt"
    p.write_text("A long headline\n\n" + "The council met again today to argue about the library. " * 10, encoding="utf-8")
    (item,) = ingest.read_source(str(p))
    assert item.code == "too-large" and "split it" in item.detail


@pytest.mark.parametrize("text,title,author,published,starts", [
    # a headline of two sentences, then the byline
    ("The library belongs to us too. Keep the name off the door.\nBy Ann Lee | September 25, 2025\n\n"
     "The council should vote no. It has had the name since 1898.",
     "The library belongs to us too. Keep the name off the door.", "Ann Lee", "2025-09-25", "The council should"),
    # a blog's masthead and tagline above the headline and its dateline
    ("LANE SEVEN\nNotes on sprinting and club athletics, by Nell Ark\n\nThe rule that forgot what it was for\n"
     "Posted 24 June 2025\n\nI have coached sprinters for eleven years. Here is what I think.",
     "The rule that forgot what it was for", None, "2025-06-24", "I have coached"),
    # a standfirst between headline and byline stays in the text
    ("Council cuts ferry\nThe council says the cut will save two million a year.\nBy Ann Lee | 3 May 2025\n\n"
     "The ferry will stop in June. Riders are angry.",
     "Council cuts ferry", "Ann Lee", "2025-05-03", "The council says the cut"),
])
def test_ingest_a_byline_a_few_lines_down(text, title, author, published, starts):
    from counterpoint.stages.ingest import parse_text
    a = parse_text(text, "t.txt")
    assert (a.title, a.author, a.published) == (title, author, published)
    assert a.text.startswith(starts)
