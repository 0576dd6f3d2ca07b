"""The one typed model that flows through the pipeline.

Every annotation is a character offset into ``Article.text`` (Python str
indices, end exclusive). Nothing here holds a spaCy object: the language stage
turns its parse into the plain ``Annotation`` below, and later stages read that.

Models are frozen; a stage returns ``story.model_copy(update={...})``.
"""
from __future__ import annotations

import hashlib
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

Label = Literal["for", "against", "neutral"]
Side = Literal["for", "against"]
Precision = Literal["year", "month", "day", "unknown"]
Kind = Literal["person", "organization", "place", "work", "other"]
CheckKind = Literal["date_conflict", "name_variant", "fact_conflict", "other"]
ReasonCode = Literal[
    "missing", "empty", "binary", "too-large", "bad-encoding", "not-english",
    "malformed-html", "malformed-jsonl", "unreadable",
]


def short_hash(*parts: str, n: int = 10) -> str:
    """Deterministic short id: the same input always gives the same dossier."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:n]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Frozen):
    """The one way to point at text: ``article.text[start:end]``."""
    doc: str
    start: int
    end: int


# --- ingest -----------------------------------------------------------------

class Article(Frozen):
    id: str                     # "d1", "d2", ... in input order
    source: str                 # path, URL, "path:line" for JSONL, "-" for stdin
    text: str                   # extracted main text; all offsets refer to it
    title: str | None = None
    url: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date
    title_in_text: bool = False   # the headline is also the first line of text
    removed: tuple[str, ...] = () # boilerplate lines ingest dropped, for the curious
    copy_of: str | None = None    # id of the article this one is a copy of (syndicated, trimmed)


class Skipped(Frozen):
    """An input that could not be analysed, and why (a stable reason code)."""
    source: str
    code: ReasonCode
    detail: str

    @property
    def message(self) -> str:
        return f"{self.source}: {self.detail}"


# --- language ---------------------------------------------------------------

class Token(NamedTuple):
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int      # index of the head token within the article
    sent: int      # index of the sentence within the article
    ent_iob: str   # "B", "I", "O"
    ent_type: str


class Entity(NamedTuple):
    start: int
    end: int
    label: str     # spaCy label: PERSON, ORG, GPE, WORK_OF_ART, ...
    text: str


class Annotation(Frozen):
    doc: str
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]
    entities: tuple[Entity, ...]

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence that contains ``offset`` (or the last before it)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid][0] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


# --- cast -------------------------------------------------------------------

class Mention(Frozen):
    doc: str
    start: int
    end: int
    text: str
    member: str    # cast id


class DocCount(Frozen):
    doc: str
    count: int


class CastMember(Frozen):
    id: str
    name: str
    kind: Kind
    aliases: tuple[str, ...]
    mentions: tuple[DocCount, ...]
    variants: tuple[tuple[str, str], ...] = ()  # (misspelling, doc) merged into this member


# --- quotes -----------------------------------------------------------------

class Quote(Frozen):
    id: str
    doc: str
    start: int     # the quoted words, without the marks
    end: int
    text: str
    speaker: str | None          # cast id, or None when nobody can be named
    speaker_name: str | None = None
    kind: Literal["direct", "indirect"] = "direct"
    cue: str | None = None       # the reporting verb or phrase


# --- timeline ---------------------------------------------------------------

class DateValue(Frozen):
    value: str | None            # "2009", "2019-05", "2019-05-14" or None
    precision: Precision
    end: str | None = None       # end of a span
    text: str | None = None      # the words the date was read from


class EventSource(Frozen):
    doc: str
    start: int                   # the sentence that asserts the event
    end: int
    text: str
    date_value: str | None = None
    date_text: str | None = None
    trigger_start: int | None = None   # the words that name the event ("divorce was finalized")
    trigger_end: int | None = None


class Event(Frozen):
    id: str
    type: str
    summary: str
    participants: tuple[str, ...]
    date: DateValue
    sources: tuple[EventSource, ...]
    scheduled: bool = False      # every source tells it as still to come ("the board will vote on May 3")


# --- stance -----------------------------------------------------------------

class Claim(Frozen):
    text: str
    origin: Literal["user", "auto"]
    alternatives: tuple[str, ...] = ()


class SentenceStance(Frozen):
    doc: str
    start: int
    end: int
    text: str
    label: Label
    score: float                 # probability of the label
    p_for: float
    p_against: float
    relevance: float             # similarity to the claim, 0..1
    voice: Literal["author", "reported"] = "author"


class DocStance(Frozen):
    doc: str
    label: Label
    confidence: float
    evidence: tuple[SentenceStance, ...]


# --- arguments --------------------------------------------------------------

class Support(Frozen):
    doc: str
    start: int
    end: int
    text: str


class KeyPoint(Frozen):
    id: str
    side: Side
    key_point: str
    documents: tuple[str, ...]
    prevalence: float
    support: tuple[Support, ...]


# --- checks -----------------------------------------------------------------

class Check(Frozen):
    kind: CheckKind
    message: str
    docs: tuple[str, ...]
    refs: tuple[str, ...] = ()


# --- the story --------------------------------------------------------------

class Story(Frozen):
    """Everything known about one story; each stage fills some fields."""
    id: str = ""
    title: str = ""
    claim_text: str | None = None          # --claim as given by the user
    title_hint: str | None = None          # --title as given by the user
    inputs: tuple[str, ...] = ()           # what the user asked us to read
    articles: tuple[Article, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    annotations: dict[str, Annotation] = {}
    cast: tuple[CastMember, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    # cast id -> "f" / "m": what the quote stage read in the articles (titles, given names, nouns beside
    # a name, repeated pronouns; never words in quotes); a person read both ways is absent
    genders: dict[str, str] = {}
    events: tuple[Event, ...] = ()
    claim: Claim | None = None
    sentence_stances: tuple[SentenceStance, ...] = ()
    stances: dict[str, DocStance] = {}
    off_topic: tuple[str, ...] = ()        # ids of articles about something else (stance.off_topic)
    arguments: tuple[KeyPoint, ...] = ()
    checks: tuple[Check, ...] = ()

    def article(self, doc_id: str) -> Article:
        for a in self.articles:
            if a.id == doc_id:
                return a
        raise KeyError(doc_id)
