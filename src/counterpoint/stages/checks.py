"""Checks: cross-source findings a careful editor would want to see.

- ``date_conflict``: sources that date the same event differently.
- ``fact_conflict``: dates that put a later event before an earlier one
  (a divorce dated before the wedding); only from dates, conservatively.
- ``name_variant``: a spelling the cast stage merged as a likely misspelling.
- ``other``: an article about something else (the second item of a roundup), which takes no side.

Every message names the documents by title (or site, or source) and gives ids
in ``docs``; ``refs`` holds the event or cast ids concerned.
"""
from __future__ import annotations

import re
from typing import Sequence

from ..lexicon import load_map
from ..model import Article, CastMember, Check, Event, Story
from .timeline import dates_conflict, format_date

REQUIRES = ('articles', 'cast', 'events', 'off_topic')
PROVIDES = ('checks',)


def doc_label(article: Article | None, doc_id: str) -> str:
    """'Ring Side' (d1): how a message names a document."""
    if article is None:
        return doc_id
    name = article.title or article.site or article.source or doc_id
    return f"'{name}' ({doc_id})"


def event_label(event: Event) -> str:
    """The summary without its trailing date: 'Marcus Delaney and Renée Castillo married'."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", event.summary) or event.type


def _doc_order(articles: Sequence[Article]) -> dict[str, int]:
    return {a.id: n for n, a in enumerate(articles)}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def find_date_conflicts(events: Sequence[Event], articles: Sequence[Article]) -> list[Check]:
    """One check per event whose sources give dates that cannot both be right."""
    by_id = {a.id: a for a in articles}
    order = _doc_order(articles)
    originals = {a.id: a.copy_of for a in articles if a.copy_of}
    out = []
    for ev in events:
        dated = [s for s in ev.sources if s.date_value]
        # a copy giving its original's date is not a second source (one giving another date is a conflict)
        told = {(s.doc, s.date_value) for s in dated}
        dated = [s for s in dated if s.doc not in originals or (originals[s.doc], s.date_value) not in told]
        values = list(dict.fromkeys(s.date_value for s in dated))
        if not any(dates_conflict(a, b) for i, a in enumerate(values) for b in values[i + 1:]):
            continue
        parts = []
        for v in values:
            docs = sorted({s.doc for s in dated if s.date_value == v}, key=lambda d: (order.get(d, 1 << 30), d))
            who = _join([doc_label(by_id.get(d), d) for d in docs])
            parts.append(f"{who} {'dates' if len(docs) == 1 else 'date'} it {format_date(v)}")
        docs = sorted({s.doc for s in dated}, key=lambda d: (order.get(d, 1 << 30), d))
        out.append(Check(kind="date_conflict", message=f"{event_label(ev)}: {'; '.join(parts)}.",
                         docs=tuple(docs), refs=(ev.id,)))
    return out


def _order_rules() -> dict[str, frozenset[str]]:
    """{later type: types that must come before it} from lexicon/event_rules.txt."""
    rules = load_map("event_rules")
    return {k[len("order_"):]: frozenset(v) for k, v in rules.items() if k.startswith("order_")}


def _kind(ev: Event) -> str:
    # Event.type is the base type; a sub-type ("filed for divorce") shows only in
    # the summary, through its phrase in lexicon/event_phrases.txt
    kinds = load_map("events")
    for key, (phrase, *_) in load_map("event_phrases").items():
        if key in kinds and key.startswith(ev.type + "/") and phrase.lstrip("~") in ev.summary.lower():
            return key
    return ev.type


def _before(a: str, b: str) -> bool:
    """a is strictly earlier than b at the precision both give."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def _agreeing(ev: Event) -> list:
    return [s for s in ev.sources if s.date_value and not dates_conflict(s.date_value, ev.date.value)]


def find_fact_conflicts(events: Sequence[Event], articles: Sequence[Article]) -> list[Check]:
    """A later event (divorce) dated before the earlier one (marriage) of the same people."""
    by_id = {a.id: a for a in articles}
    order = _doc_order(articles)
    rules = _order_rules()
    out = []
    for late in events:
        needs = rules.get(_kind(late))
        if not needs or late.scheduled:
            continue
        for early in events:
            if early.id == late.id or _kind(early) not in needs or early.scheduled:
                continue   # what is still to come can be moved; only what happened can contradict
            if not (set(early.participants) & set(late.participants)):
                continue
            # only dates that agree with their own event's date: a source already
            # reported as a date conflict should not raise a second alarm
            pairs = [(se, sl) for sl in _agreeing(late) for se in _agreeing(early)
                     if _before(sl.date_value, se.date_value)]
            if not pairs:
                continue
            pairs.sort(key=lambda p: (order.get(p[1].doc, 1 << 30), p[1].start, order.get(p[0].doc, 1 << 30), p[0].start))
            se, sl = pairs[0]
            msg = (f"{event_label(late)} is dated {format_date(sl.date_value)} by {doc_label(by_id.get(sl.doc), sl.doc)}, "
                   f"before {event_label(early)} ({format_date(se.date_value)} per "
                   f"{doc_label(by_id.get(se.doc), se.doc)}).")
            docs = sorted({se.doc, sl.doc}, key=lambda d: (order.get(d, 1 << 30), d))
            out.append(Check(kind="fact_conflict", message=msg, docs=tuple(docs), refs=(late.id, early.id)))
    return out


def find_name_variants(cast: Sequence[CastMember], articles: Sequence[Article] = ()) -> list[Check]:
    """One check per cast member and document where the cast stage merged likely misspellings."""
    order = _doc_order(articles)
    by_id = {a.id: a for a in articles}
    out = []
    for member in cast:
        by_doc: dict[str, list[str]] = {}
        for variant, doc in sorted(set(member.variants), key=lambda v: (-len(v[0]), v[0])):
            if variant != member.name:
                by_doc.setdefault(doc, []).append(variant)
        for doc in sorted(by_doc, key=lambda d: (order.get(d, 1 << 30), d)):
            spellings = by_doc[doc]
            shown = " and ".join(f"'{v}'" for v in spellings)
            verb = "looks like a misspelling" if len(spellings) == 1 else "look like misspellings"
            out.append(Check(kind="name_variant",
                             message=f"{shown} in {doc_label(by_id.get(doc), doc)} {verb} of '{member.name}'.",
                             docs=(doc,), refs=(member.id,)))
    return out


def find_off_topic(off_topic: Sequence[str], articles: Sequence[Article]) -> list[Check]:
    """An article about something else (``stance.off_topic``: none of its sentences comes close to the claim, nor
    its words to the other articles'), so the reader knows why it takes no side and is in no key point."""
    by_id = {a.id: a for a in articles}
    return [Check(kind="other", docs=(d,), message=f"{doc_label(by_id.get(d), d)} seems to be about something else: "
                                                    "none of its sentences comes close to the claim or to the other "
                                                    "articles.")
            for d in off_topic]


def run(story: Story, res) -> Story:
    articles = list(story.articles)
    checks = (find_date_conflicts(story.events, articles)
              + find_fact_conflicts(story.events, articles)
              + find_name_variants(story.cast, articles)
              + find_off_topic(story.off_topic, articles))
    return story.model_copy(update={"checks": tuple(checks)})
