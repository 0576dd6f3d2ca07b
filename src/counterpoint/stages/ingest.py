"""Ingest: read every input and turn it into clean article text, or a reason.

Inputs are paths as the user gave them: files, folders (read recursively, in
sorted path order, known extensions only) and ``-`` for standard input.

- ``.txt`` / ``.md``: the first non-empty line is the headline, a byline right
  after it gives author and date; the rest is the text.
- ``.html`` / ``.htm``: trafilatura extracts text and metadata.
- ``.jsonl``: one article a line, ``{"text": ...}`` or ``{"html": ...}``.
- anything else given explicitly is read as text (or HTML / JSONL when it
  plainly is one).

Every text then loses the web boilerplate no HTML extractor sees
(``clean_boilerplate``; cues in ``lexicon/boilerplate.txt``). Line endings
become ``\\n`` and runs of blank lines one blank line; nothing else in the
text is touched (curly quotes, non-breaking spaces stay), because every later
offset indexes into ``Article.text`` exactly as stored here.

A bad input becomes a ``Skipped`` with a stable reason code, never ``None``
and never an exception out of ``run``.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as _resources
from pathlib import Path

from ..errors import InputError
from ..lexicon import parse_sections
from ..model import Article, Skipped, Story

REQUIRES = ('inputs',)
PROVIDES = ('articles', 'skipped')

MAX_BYTES = 5_000_000           # one file (or one JSONL line); bigger is `too-large`
MAX_JSONL_BYTES = 200_000_000   # a JSONL file holds many articles: each line gets MAX_BYTES
MAX_CHARS = 1_000_000           # extracted text of one article: spaCy's own limit, and far beyond any article
MIN_WORDS_FOR_LANGUAGE = 20     # shorter texts get the benefit of the doubt
MIN_HTML_FALLBACK_WORDS = 20    # trafilatura's recall pass must find at least this much
TEXT_EXTS = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_EXTS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTS = frozenset({".jsonl", ".ndjson"})
KNOWN_EXTS = TEXT_EXTS | HTML_EXTS | JSONL_EXTS

# Known binary formats by their first bytes: (magic, name, fix).
MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF file", "save the article as text or HTML"),
    (b"\x89PNG", "a PNG image", "pass the article text, not a picture of it"),
    (b"\xff\xd8\xff", "a JPEG image", "pass the article text, not a picture of it"),
    (b"GIF8", "a GIF image", "pass the article text, not a picture of it"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.epub)", "unpack it or save the article as text"),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first (gunzip)"),
    (b"BZh", "bzip2-compressed", "decompress it first (bunzip2)"),
    (b"\xfd7zXZ\x00", "xz-compressed", "decompress it first (unxz)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
    (b"Rar!", "a RAR archive", "unpack it first"),
    (b"\xd0\xcf\x11\xe0", "an old Office document", "save the article as text"),
    (b"\x7fELF", "a program (ELF)", "pass an article instead"),
    (b"SQLite format 3", "an SQLite database", "export the articles as JSONL"),
    (b"OggS", "an audio file", "pass a transcript as text"),
    (b"ID3", "an MP3 file", "pass a transcript as text"),
    (b"RIFF", "a RIFF media file", "pass the article text instead"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: browsers read these labels as windows-1252; so do we.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}
_CONTROL = frozenset(range(0, 32)) - {9, 10, 11, 12, 13, 27}


# --- lexicons ----------------------------------------------------------------

@lru_cache(maxsize=None)
def load_wordlist(name: str) -> frozenset[str]:
    return frozenset(_read_lexicon(name))


@lru_cache(maxsize=None)
def _read_lexicon(name: str) -> tuple[str, ...]:
    text = (_resources.files("counterpoint") / "lexicon" / name).read_text(encoding="utf-8")
    return tuple(s.strip().lower() for s in text.splitlines() if s.strip() and not s.lstrip().startswith("#"))


@dataclass(frozen=True)
class BoilerplateCues:
    line: frozenset[str] = frozenset()
    start: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    pattern: tuple[re.Pattern, ...] = ()
    list_heading: tuple[str, ...] = ()
    bio_heading: frozenset[str] = frozenset()
    bio_role: re.Pattern | None = None


@lru_cache(maxsize=None)
def load_boilerplate() -> BoilerplateCues:
    """Parse ``lexicon/boilerplate.txt`` (sections in square brackets)."""
    text = (_resources.files("counterpoint") / "lexicon" / "boilerplate.txt").read_text(encoding="utf-8")
    # patterns keep their case; plain cue words are compared in lower case
    sections = {name: [s if s.startswith("^") or "\\" in s else s.lower() for s in lines]
                for name, lines in parse_sections(text).items()}
    roles = sections.get("bio-role", [])
    bio_role = None
    if roles:
        alts = "|".join(re.escape(r) for r in sorted(roles, key=len, reverse=True))
        # the name is case-sensitive (capitalised words), the role phrase is not
        bio_role = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,4}(?i:" + alts + r")(?![\w'’])")
    return BoilerplateCues(
        line=frozenset(sections.get("line", [])),
        start=tuple(sections.get("start", [])),
        contains=tuple(sections.get("contains", [])),
        pattern=tuple(re.compile(p, re.I) for p in sections.get("pattern", [])),
        list_heading=tuple(sections.get("list-heading", [])),
        bio_heading=frozenset(sections.get("bio-heading", [])),
        bio_role=bio_role,
    )


# --- bytes to str ------------------------------------------------------------

def detect_binary(data: bytes) -> str | None:
    """Why ``data`` is not text (a detail for ``binary``), or None when it may be."""
    for magic, what, fix in MAGIC:
        if data.startswith(magic):
            return f"looks like {what}, not text; {fix}"
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text has NUL bytes by design
    head = data[:65536]
    if b"\x00" in head:
        return "contains NUL bytes, so it is not a text file; pass the article as text, HTML or JSONL"
    if head:
        ctrl = sum(1 for b in head if b in _CONTROL)
        if ctrl / len(head) > 0.05:
            return (f"{ctrl / len(head):.0%} of its first bytes are control characters, so it is not text; "
                    "pass the article as text, HTML or JSONL")
    return None


_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", re.I)


def find_charset(data: bytes) -> str | None:
    """The charset an HTML page declares (``<meta charset>``, http-equiv, XML prolog)."""
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Bytes to str: a BOM, else UTF-8, else the declared charset; or ``bad-encoding``."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(source, "bad-encoding",
                                 f"starts with a {enc.upper()} byte-order mark but is not valid {enc.upper()} "
                                 f"(byte {e.start}); re-save as UTF-8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = data[e.start:e.start + 1].hex().upper()
        where = f"byte 0x{bad} at offset {e.start}"
    if not declared:
        raise InputError(source, "bad-encoding",
                         f"not UTF-8 ({where}) and no charset declared; re-save as UTF-8")
    label = declared.strip().lower()
    enc = _CHARSET_ALIASES.get(label, label)
    try:
        codecs.lookup(enc)
    except LookupError:
        raise InputError(source, "bad-encoding",
                         f"not UTF-8 ({where}) and declares an unknown charset {declared!r}; "
                         "re-save as UTF-8") from None
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        if enc == "cp1252":  # five bytes cp1252 leaves undefined; latin-1 maps every byte
            return data.decode("latin-1")
        raise InputError(source, "bad-encoding",
                         f"not UTF-8 ({where}) and not valid {declared} as declared; re-save as UTF-8") from None


# --- text shape --------------------------------------------------------------

def normalize_text(text: str) -> str:
    """Line endings to ``\\n``, trailing spaces off, runs of blank lines to one.

    Nothing inside a line changes: curly quotes and non-breaking spaces stay.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip(" \t\f\v")
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def check_english(text: str, source: str) -> None:
    """Raise ``not-english`` when the text plainly is in another language.

    Cheap and deterministic: a text is not English when most of its letters are
    not Latin script, or when common function words of other languages
    outnumber common English ones. Short texts pass.
    """
    letters = [c for c in text[:20000] if c.isalpha()]
    if len(letters) >= 50:
        latin = sum(1 for c in letters if c < "\u0250")
        if latin / len(letters) < 0.5:
            raise InputError(source, "not-english",
                             f"mostly non-Latin script ({1 - latin / len(letters):.0%} of letters); "
                             "Counterpoint reads English only: pass an English version")
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return
    en = sum(1 for w in words if w in load_wordlist("english_function_words.txt")) / len(words)
    fo = sum(1 for w in words if w in load_wordlist("foreign_function_words.txt")) / len(words)
    if fo > en:
        raise InputError(source, "not-english",
                         f"does not look like English ({en:.0%} common English words, {fo:.0%} common words "
                         "of other languages); Counterpoint reads English only: pass an English version")


# --- boilerplate -------------------------------------------------------------

_TRIM = " \t\u00a0*_-–—•·|>:.!?\"'“”‘’()[]"
_SMALL_WORDS = frozenset("a an and as at but by for from in of on or the to vs via with is are".split())
_END_PUNCT = re.compile(r"[.!?:;,…][\"'”’)\]]*$")


_SENTENCE_END = re.compile(r"[.!?][\"'”’]*$")


def _starts(low: str, cue: str) -> bool:
    """``low`` starts with ``cue`` as whole words ("share on" is not "share one")."""
    if not low.startswith(cue):
        return False
    return len(low) == len(cue) or not cue[-1].isalnum() or not low[len(cue)].isalnum()


def _words(line: str) -> list[str]:
    return line.split()


def is_boilerplate_line(line: str, cues: BoilerplateCues | None = None) -> bool:
    """One line that is page furniture by itself (credit, share, advert, cookie...)."""
    cues = cues or load_boilerplate()
    s = line.strip()
    if not s:
        return False
    low = s.lower()
    n = len(_words(s))
    if low.strip(_TRIM) in cues.line:
        return True
    if n <= 40 and any(_starts(low, c) for c in cues.start):
        return True
    # "Getty Images declined to comment." is a sentence; "Kevin Mazur/Getty Images" a credit
    if n <= 14 and not _SENTENCE_END.search(s) and any(c in low for c in cues.contains):
        return True
    if n <= 60 and any(p.search(s) for p in cues.pattern):
        return True
    return False


def looks_like_headline(line: str, any_case: bool = False) -> bool:
    """A short line without final punctuation; in Title Case unless ``any_case``."""
    s = line.strip().lstrip("-*•·>").strip()
    words = _words(s)
    if not 2 <= len(words) <= 16 or len(s) > 150:
        return False
    if _END_PUNCT.search(s) and not s.endswith("?"):
        return False
    if any_case:
        return True
    content = [w for w in words if w.lower().strip(_TRIM) not in _SMALL_WORDS and any(c.isalpha() for c in w)]
    if len(content) < 2:
        return False
    caps = sum(1 for w in content if w.lstrip(_TRIM)[:1].isupper() or w.lstrip(_TRIM)[:1].isdigit())
    return caps / len(content) >= 0.8


def _starts_with_cue(low: str, cues: tuple[str, ...]) -> bool:
    return any(_starts(low, c) for c in cues)


_LIST_ITEM = re.compile(r"^(?:[-*•·>]|\d+[.)]?\s)")


def find_trailing_list(lines: list[str], cues: BoilerplateCues) -> int:
    """Index where a trailing list of other articles' headlines starts, else len(lines)."""
    idx = [i for i, l in enumerate(lines) if l.strip()]
    if not idx:
        return len(lines)
    # walk back over headline-shaped lines at the end
    k = len(idx)
    while k > 0 and looks_like_headline(lines[idx[k - 1]], any_case=True):
        k -= 1
    run = idx[k:]
    # a heading such as "More from ..." just before the run or inside it
    for j in range(max(k - 1, 1), len(idx) - 1):
        head = lines[idx[j]].strip().strip(_TRIM).lower()
        if len(_words(head)) <= 8 and _starts_with_cue(head, cues.list_heading):
            return idx[j]
    # no heading: only several plain Title Case lines at the very end count; a
    # bulleted, numbered or comma-laden list (tour dates, results) is content
    titled = 0
    for i in reversed(run):
        s = lines[i].strip()
        if not looks_like_headline(s) or _LIST_ITEM.match(s) or any(c in s for c in ",()|") or " -- " in s:
            break
        titled += 1
    if titled >= 3 and titled < len(idx):
        return idx[len(idx) - titled]
    return len(lines)


def find_bio(lines: list[str], cues: BoilerplateCues) -> int:
    """Index where an author bio at the end of the text starts, else len(lines)."""
    idx = [i for i, l in enumerate(lines) if l.strip()]
    for pos in range(max(0, len(idx) - 4), len(idx)):
        i = idx[pos]
        low = lines[i].strip().lower()
        head = low.strip(_TRIM)
        inline = any(low.startswith(c) and low[len(c):].lstrip().startswith(":") for c in cues.bio_heading)
        if (head in cues.bio_heading or inline) and pos > 0:
            rest = [lines[j] for j in idx[pos + 1:]]
            if len(rest) <= 3 and sum(len(_words(r)) for r in rest) <= 150:
                return i
    if cues.bio_role is not None:
        for pos in range(max(1, len(idx) - 2), len(idx)):
            i = idx[pos]
            if len(_words(lines[i])) <= 80 and cues.bio_role.search(lines[i].strip()):
                return i
    return len(lines)


def clean_boilerplate(text: str) -> tuple[str, tuple[str, ...]]:
    """Drop plain-text page furniture; return the clean text and the dropped lines.

    Conservative by design: only whole lines of a boilerplate shape go
    (see ``lexicon/boilerplate.txt``), so article sentences that mention a
    photo or the comments stay.
    """
    cues = load_boilerplate()
    lines = text.split("\n")
    removed: list[str] = []
    kept: list[str] = []
    for line in lines:
        if is_boilerplate_line(line, cues):
            removed.append(line.strip())
        else:
            kept.append(line)
    # tail furniture, outermost first: a bio can follow a list and vice versa
    for _ in range(3):
        cut = min(find_trailing_list(kept, cues), find_bio(kept, cues))
        if cut >= len(kept):
            break
        removed.extend(l.strip() for l in kept[cut:] if l.strip())
        kept = kept[:cut]
    return normalize_text("\n".join(kept)), tuple(removed)


# --- bylines and dates -------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAYNAME = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DATE_RES = (
    ("ymd", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("ymd", re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")),
    ("mdy", re.compile(_DAYNAME + r"\b(" + _MON + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)),
    ("dmy", re.compile(_DAYNAME + r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MON + r"),?\s+(\d{4})\b", re.I)),
    ("num", re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")),
)
_TIME = re.compile(r"\s*(?:,\s*|at\s+)?(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
                   r"(?:\s*\(?[A-Za-z]{2,4}\)?)?)?\s*\.?", re.I)
_LABELED = re.compile(r"^(published|posted|updated|last updated|first published|originally published|date)"
                      r"(?:\s+on)?\s*[:\-–—]?\s*", re.I)
_BY = re.compile(r"^(?:(?:written|posted)\s+)?by[:\s]\s*(.+)$", re.I)   # "Posted by" heads a blog post
_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|la|van|von|der|da|di|le|and|&|bin|al)){0,6}$")
# "," separates unless a date goes on ("May 14, 2019", "Tuesday, May 14")
_SEP = re.compile(r"\s*(?:\||•|·|\s[-–—]\s|;\s|(?<!day),\s(?!\d))\s*")
_NOT_NAMES = frozenset("a an this that these those monday tuesday wednesday thursday friday saturday "
                       "sunday january february march april may june july august september october november "
                       "december now then".split())


def _iso(kind: str, a: str, b: str, c: str) -> str | None:
    def month(name: str) -> int:
        name = name.lower().rstrip(".")
        return _MONTHS[name[:4] if name.startswith("sept") else name[:3]]
    try:
        if kind == "ymd":
            y, mo, d = int(a), int(b), int(c)
        elif kind == "mdy":
            y, mo, d = int(c), month(a), int(b)
        elif kind == "dmy":
            y, mo, d = int(c), month(b), int(a)
        else:  # 3/14/2024 is American; 14/3/2024 can only be day first
            x, z, y = int(a), int(b), int(c)
            mo, d = (x, z) if x <= 12 else (z, x)
        return _dt.date(y, mo, d).isoformat()
    except (KeyError, ValueError):
        return None


def parse_date(s: str) -> str | None:
    """The first calendar date in ``s`` as ISO ``YYYY-MM-DD``, or None."""
    for kind, rx in _DATE_RES:
        for m in rx.finditer(s):
            iso = _iso(kind, *m.groups())
            if iso:
                return iso
    return None


def parse_date_piece(piece: str) -> tuple[str, bool] | None:
    """``(iso, is_update)`` when ``piece`` is a date and nothing else.

    "May 14, 2019", "Published: 2024-03-14", "Updated March 3, 2021 10:04 AM".
    """
    lab = _LABELED.match(piece)
    rest = piece[lab.end():] if lab else piece
    for kind, rx in _DATE_RES:
        m = rx.match(rest)
        if m and _TIME.fullmatch(rest[m.end():]):
            iso = _iso(kind, *m.groups())
            if iso:
                return iso, bool(lab and "updated" in lab.group(1).lower())
    return None


def parse_byline(line: str) -> tuple[str | None, str | None, str | None] | None:
    """``(author, published, updated)`` when ``line`` is a byline or dateline, else None.

    Handles "By Dana Whitfield | Published: 2026-03-14", "By X", "Published:
    2024-03-14", "May 14, 2019", "Updated March 3, 2021 10:04 AM", "By X, sports
    editor of the Herald | Published: 2024-03-14" (a role in lower case only with a date). A sentence
    that merely starts with "By" is not a byline.
    """
    s = line.strip().strip("*_").strip()
    if not s or len(_words(s)) > 20:
        return None
    author = published = updated = None
    described = False
    whole = parse_date_piece(s)
    if whole:
        return (None, None, whole[0]) if whole[1] else (None, whole[0], None)
    pieces = [p for p in _SEP.split(s) if p and p.strip()]
    m = _BY.match(pieces[0]) if pieces else None
    if m:
        name = m.group(1).strip()
        # "By Dana Whitfield and Sam Lee Published: ..." without a separator
        lab = re.search(r"\s(?:published|posted|updated|last updated)\b.*$", name, re.I)
        if lab:
            pieces.insert(1, lab.group(0).strip())
            name = name[:lab.start()].strip()
        if not _NAME.match(name) or name.split()[0].lower() in _NOT_NAMES:
            # "By The Estuary Times editorial board | Published: 24 September 2025": an organisation signs it;
            # a byline only when a date stands in its own piece after it
            rest = [parse_date_piece(p.strip()) for p in pieces[1:]]
            if not (re.match(r"^(?:the\s+)?[A-Z][\w’'&.-]*(?:\s+[\w’'&.-]+){0,7}$", name) and rest and any(rest)
                    and len(pieces) == 2):
                return None
        author = name
        pieces = pieces[1:]
    elif not pieces:
        return None
    for p in pieces:
        p = p.strip()
        got = parse_date_piece(p)
        if got:
            if got[1]:
                updated = updated or got[0]
            else:
                published = published or got[0]
        elif author is not None and len(_words(p)) <= 4 and all(w[:1].isupper() or not w[:1].isalpha()
                                                                  for w in _words(p)):
            continue  # "Staff Writer", "Associated Press"
        elif author is not None and len(_words(p)) <= 8 and not re.search(r"[.!?\d]", p):
            # "editor of The Bridge End fanzine", "Brannock Keth Community Association blog": kept only when a
            # date follows
            described = True
        else:
            return None
    if author is None and published is None and updated is None:
        return None
    if described and published is None and updated is None:
        return None
    return author, published, updated


def find_published(text_head: str) -> str | None:
    """A publication date from the byline lines at the head of a text, or None."""
    updated = None
    for line in [l for l in text_head.split("\n") if l.strip()][:6]:
        got = parse_byline(line)
        if got:
            if got[1]:
                return got[1]
            updated = updated or got[2]
    return updated


def split_bylines(lines: list[str]) -> tuple[int, str | None, str | None]:
    """How many byline lines open ``lines`` (blank lines between count), author, date."""
    author = published = updated = None
    taken = 0
    n_found = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        got = parse_byline(line)
        if not got or n_found >= 3:
            break
        n_found += 1
        taken = i + 1
        author = author or got[0]
        published = published or got[1]
        updated = updated or got[2]
    return taken, author, published or updated


# --- per format --------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def split_headline(text: str) -> tuple[str | None, str]:
    """``(title, rest)``: the first non-empty line when it looks like a headline."""
    lines = text.split("\n")
    i = next((k for k, l in enumerate(lines) if l.strip()), None)
    if i is None:
        return None, text
    first = lines[i].strip()
    rest_lines = lines[i + 1:]
    if parse_byline(first):  # "By Dana Whitfield" opens the text: there is no headline
        return None, text
    m = _MD_HEADING.match(first)
    if m:
        title = m.group(1).strip()
    else:
        title = first.strip("*_ ").strip()
        nxt = next((k for k, l in enumerate(rest_lines) if l.strip()), None)
        if nxt == 0 and _SETEXT.match(rest_lines[0]):  # a setext underline, in .md or .txt
            rest_lines = rest_lines[1:]
        elif not _is_headline_shape(title):
            return None, text
    if not "\n".join(rest_lines).strip():
        return None, text  # one paragraph only: it is the text, not a headline
    return (title or None), "\n".join(rest_lines)


def _is_headline_shape(line: str) -> bool:
    n = len(_words(line))
    if n == 0 or n > 25 or len(line) > 250:
        return False
    if re.search(r"[.;,][\"'”’)]*$", line) and n > 8:
        return False
    if re.search(r"[!?][\"'”’)]*$", line) and n > 15:
        return False
    return True


def parse_text(text: str, source: str) -> Article:
    """A plain-text or Markdown article: headline, byline, body."""
    text = normalize_text(text)
    if not text.strip():
        raise InputError(source, "empty", "nothing but whitespace; pass a file with the article text")
    title, rest = split_headline(text)
    lines = rest.split("\n")
    taken, author, published = split_bylines(lines)
    if not taken:
        # a byline a few lines down names the line above it the headline, whatever its shape ("The library belongs
        # to Eastbank too. Keep the Teague name off the door." / "By Warren Tibbets | September 25, 2025"); what
        # stands above that headline is the site's masthead ("LANE SEVEN" / "Notes on sprinting, by ...")
        found = _byline_below(text)
        if found is not None:
            head, between, after = found
            lines = after.split("\n")
            taken, author, published = split_bylines(lines)
            if title is not None and head.rstrip().endswith((".", "!", "?")):
                # "Headline" / "A standfirst that says more." / "By ...": the headline stays, the standfirst is text
                body = "\n".join(between + [head, ""] + lines[taken:])
                return finish_article(source, body, title=title, author=author, published=published)
            title = head
    body = "\n".join(lines[taken:])
    return finish_article(source, body, title=title, author=author, published=published)


def _byline_below(text: str, within: int = 5) -> tuple[str, list[str], str] | None:
    """``(the line above the byline, the non-empty lines between the first line and that one, text from the byline
    on)`` when one of the first ``within`` non-empty lines after the first is a byline with a date and the line
    above it is one line of at most 25 words."""
    lines = text.split("\n")
    filled = [k for k, line in enumerate(lines) if line.strip()][:within + 1]
    for n, k in enumerate(filled[1:], 1):
        got = parse_byline(lines[k].strip())
        if got and got[1]:
            head = lines[filled[n - 1]].strip()
            if len(head.split()) > 25 or parse_byline(head):
                return None
            between = [lines[j].strip() for j in filled[1:n - 1]]
            return head, between, "\n".join(lines[k:])
    return None


def finish_article(source: str, text: str, **meta) -> Article:
    """Clean, check and build the article (id filled in later by ``run``)."""
    clean, removed = clean_boilerplate(normalize_text(text))
    if not clean.strip():
        why = "only boilerplate (credits, share and subscribe lines)" if removed else "no article text"
        raise InputError(source, "empty", f"{why} after extraction; pass the article text itself")
    if len(clean) > MAX_CHARS:
        raise InputError(source, "too-large",
                         f"{len(clean):,} characters of text, over the {MAX_CHARS:,} limit for one article; "
                         "split it into its articles")
    check_english(clean, source)
    meta = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in meta.items()}
    return Article(id="", source=source, text=clean, removed=removed, **meta)


def parse_html(html: str, source: str) -> Article:
    """An HTML page through trafilatura: main text and metadata."""
    import trafilatura  # heavy import, only when there is HTML to read

    # trafilatura logs its misses as warnings; we report them as Skipped instead,
    # so keep them off stderr unless the application configured logging itself
    log = logging.getLogger("trafilatura")
    if not log.handlers:
        log.addHandler(logging.NullHandler())

    if not html.strip():
        raise InputError(source, "empty", "nothing but whitespace; pass a saved article page")
    doc = None
    for precise in (True, False):  # precision first; recall when that finds nothing
        try:
            doc = trafilatura.bare_extraction(
                html, with_metadata=True, favor_precision=precise, include_comments=False,
                include_tables=True, include_images=False, include_links=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        except Exception as e:  # lxml/trafilatura raise many kinds on broken markup
            doc = None
            err = f"{type(e).__name__}"
        else:
            err = None
        text = (doc.text or "") if doc is not None else ""
        # the recall pass also picks up menus ("Home"); trust it only with some prose
        if text.strip() and (precise or count_words(text) >= MIN_HTML_FALLBACK_WORDS):
            break
        doc = None
    if doc is None:
        how = f" (the parser failed: {err})" if err else ""
        raise InputError(source, "malformed-html",
                         f"no article text found in the HTML{how}; save the article page itself, "
                         "or pass its text as .txt")
    # one paragraph a line in trafilatura's text; we keep paragraphs apart with a blank line
    paras = [p.strip() for p in doc.text.split("\n") if p.strip()]
    title = (doc.title or "").strip() or None
    title_in_text = bool(title and paras and paras[0] == title)
    head = paras[1:] if title_in_text else paras
    taken, author, published = split_bylines(head)
    if taken:
        del paras[int(title_in_text):int(title_in_text) + taken]
    date = doc.date if doc.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date) else None
    art = finish_article(
        source, "\n\n".join(paras), title=title, url=doc.url, site=doc.sitename,
        author=doc.author or author, published=date or published,
    )
    return art.model_copy(update={"title_in_text": title_in_text and art.text.startswith(title)})


def parse_jsonl(text: str, source: str) -> list[Article | Skipped]:
    """One article per line; a bad line is skipped with its line number."""
    out: list[Article | Skipped] = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            if len(line.encode("utf-8")) > MAX_BYTES:
                raise InputError(where, "too-large",
                                 f"line {n} is over the {MAX_BYTES / 1e6:g} MB limit for one article; "
                                 "split or shorten it")
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(where, "malformed-jsonl",
                                 f"line {n} is not valid JSON ({e.msg} at column {e.colno}); "
                                 "write one JSON object per line") from None
            except (ValueError, RecursionError) as e:  # too deep, or an integer too long
                raise InputError(where, "malformed-jsonl",
                                 f"line {n} cannot be parsed as JSON ({type(e).__name__}); "
                                 "write one JSON object per line") from None
            if not isinstance(obj, dict):
                raise InputError(where, "malformed-jsonl",
                                 f"line {n} is a JSON {type(obj).__name__}, not an object; "
                                 'write {"text": ...} or {"html": ...} per line')
            uid = obj.get("id")
            if isinstance(uid, (str, int)) and not isinstance(uid, bool) and str(uid).strip():
                where = f"{source}:{str(uid).strip()}"
            body, html = obj.get("text"), obj.get("html")
            if not isinstance(body, str) and not isinstance(html, str):
                raise InputError(where, "malformed-jsonl",
                                 f'line {n} has no "text" or "html" string; add one of them')
            meta = {}
            for key in ("title", "url", "author", "site"):
                v = obj.get(key)
                if v is not None and not isinstance(v, str):
                    raise InputError(where, "malformed-jsonl",
                                     f'line {n}: "{key}" must be a string, not {type(v).__name__}')
                meta[key] = v
            pub = obj.get("published")
            pub = parse_date(pub) if isinstance(pub, str) else None
            if isinstance(body, str) and body.strip():
                art = finish_article(where, body, published=pub, **meta)
            elif isinstance(html, str) and html.strip():
                art = parse_html(html, where)
                upd = {k: v for k, v in meta.items() if v}
                if pub:
                    upd["published"] = pub
                art = art.model_copy(update=upd)
            else:
                raise InputError(where, "empty", f"line {n} has an empty text; fill it in or drop the line")
            out.append(art)
        except InputError as e:
            out.append(Skipped(source=e.source, code=e.code, detail=e.detail))
    if not out:
        out.append(Skipped(source=source, code="empty", detail="no JSON lines; write one article per line"))
    return out


# --- reading -----------------------------------------------------------------

def sniff_kind(text: str, ext: str) -> str:
    """Which reader: "text", "html" or "jsonl". The extension decides; content decides for others."""
    if ext in HTML_EXTS:
        return "html"
    if ext in JSONL_EXTS:
        return "jsonl"
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    if ext not in TEXT_EXTS and head.startswith(("<!doctype html", "<html", "<?xml")):
        return "html"
    if ext not in TEXT_EXTS and head.startswith("{"):
        first = text.strip().split("\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except (ValueError, RecursionError):
            pass
    return "text"


def parse_bytes(data: bytes, source: str, ext: str) -> list[Article | Skipped]:
    """Everything after reading: size, binary, decoding, format, checks."""
    try:
        if len(data) > MAX_JSONL_BYTES:
            raise_too_large(source, len(data), MAX_JSONL_BYTES)
        if not data.strip():
            raise InputError(source, "empty", "the file is empty; pass a file with the article text")
        why = detect_binary(data)
        if why:
            raise InputError(source, "binary", why)
        declared = find_charset(data) if ext in HTML_EXTS or ext not in KNOWN_EXTS else None
        text = decode_bytes(data, source, declared)
        kind = sniff_kind(text, ext)
        if kind != "jsonl" and len(data) > MAX_BYTES:
            raise_too_large(source, len(data), MAX_BYTES)
        if kind == "jsonl":
            return parse_jsonl(text, source)
        if kind == "html":
            return [parse_html(text.lstrip("\ufeff"), source)]
        return [parse_text(text.lstrip("\ufeff"), source)]
    except InputError as e:
        return [Skipped(source=e.source, code=e.code, detail=e.detail)]


def raise_too_large(source: str, size: int, limit: int) -> None:
    raise InputError(source, "too-large",
                     f"is {size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit; "
                     "pass the article text alone, or split the file")


def read_source(path: str) -> list[Article | Skipped]:
    """Read one file (or ``-``, standard input) into articles; ids come later."""
    if path == "-":
        try:
            data = sys.stdin.buffer.read(MAX_JSONL_BYTES + 1)
        except (OSError, ValueError, AttributeError) as e:
            return [Skipped(source="-", code="unreadable",
                            detail=f"standard input cannot be read ({e}); pipe the article in or pass a path")]
        return parse_bytes(data, "-", "")
    p = Path(path)
    ext = p.suffix.lower()
    try:
        if not p.exists():
            return [Skipped(source=path, code="missing", detail="no such file or folder; check the path")]
        size = p.stat().st_size
        limit = MAX_JSONL_BYTES if ext in JSONL_EXTS else MAX_BYTES
        if size > limit:  # refuse before reading a huge file into memory
            raise_too_large(path, size, limit)
        with open(p, "rb") as f:
            data = f.read(limit + 1)
    except InputError as e:
        return [Skipped(source=e.source, code=e.code, detail=e.detail)]
    except OSError as e:
        reason = e.strerror or type(e).__name__
        return [Skipped(source=path, code="unreadable",
                        detail=f"cannot be read ({reason}); check that it is a readable file")]
    return parse_bytes(data, path, ext)


def list_folder(folder: str) -> list[str]:
    """Files with a known extension under ``folder``, recursively, in sorted path order.

    Hidden files and folders (a leading dot) are left out.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in KNOWN_EXTS:
                continue
            full = os.path.join(root, name)
            found.append((Path(os.path.relpath(full, folder)).parts, full))
    return [full for _, full in sorted(found)]


def read_input(path: str) -> list[Article | Skipped]:
    """One input as the user gave it: a file, a folder or ``-``."""
    if path != "-" and os.path.isdir(path):
        try:
            files = list_folder(path)
        except OSError as e:
            return [Skipped(source=path, code="unreadable",
                            detail=f"folder cannot be listed ({e.strerror}); check its permissions")]
        if not files:
            return [Skipped(source=path, code="empty",
                            detail="folder holds no .txt, .md, .html or .jsonl files; check the path")]
        return [item for f in files for item in read_source(f)]
    return read_source(path)


def number_articles(items: list[Article | Skipped]) -> tuple[tuple[Article, ...], tuple[Skipped, ...]]:
    """Give articles their ids "d1", "d2", ... in input order; keep the skipped apart."""
    arts: list[Article] = []
    skipped: list[Skipped] = []
    for it in items:
        if isinstance(it, Article):
            arts.append(it.model_copy(update={"id": f"d{len(arts) + 1}"}))
        else:
            skipped.append(it)
    return tuple(arts), tuple(skipped)


def run(story: Story, res) -> Story:
    items = [item for path in story.inputs for item in read_input(path)]
    arts, skipped = number_articles(items)
    return story.model_copy(update={"articles": arts, "skipped": skipped})
