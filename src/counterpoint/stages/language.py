"""Language: sentences, tokens, entities and dependencies from spaCy.

The spaCy model is loaded once per process (through ``res``) and articles go
through ``nlp.pipe``. The parse is turned into a plain ``Annotation`` of
character offsets, so no spaCy object leaves this module.
"""
from __future__ import annotations

import re

from ..model import Annotation, Article, Entity, Story, Token

REQUIRES = ("articles",)
PROVIDES = ("annotations",)

# spaCy's small model treats a blank line as ordinary whitespace; paragraphs
# never share a sentence, so we split there as well.
_PARA = re.compile(r"\n\s*\n")


def to_annotation(doc_id: str, doc) -> Annotation:
    """Turn a spaCy Doc into plain data with offsets into the same text."""
    text = doc.text
    sents: list[tuple[int, int]] = []
    for s in doc.sents:
        start, end = s.start_char, s.end_char
        # split at paragraph breaks inside a sentence
        pos = start
        for m in _PARA.finditer(text, start, end):
            if m.start() > pos:
                sents.append((pos, m.start()))
            pos = m.end()
        if end > pos:
            sents.append((pos, end))
    sents = [trim_span(text, a, b) for a, b in sents]
    sents = [(a, b) for a, b in sents if b > a]
    starts = [a for a, _ in sents]
    tokens = []
    si = 0
    for t in doc:
        while si + 1 < len(starts) and starts[si + 1] <= t.idx:
            si += 1
        tokens.append(Token(
            t.idx, t.idx + len(t.text), t.text, t.lemma_, t.pos_, t.tag_, t.dep_,
            t.head.i, si, t.ent_iob_ or "O", t.ent_type_,
        ))
    ents = tuple(Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents)
    return Annotation(doc=doc_id, sentences=tuple(sents), tokens=tuple(tokens), entities=ents)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def annotate(articles: list[Article], nlp, progress=None) -> dict[str, Annotation]:
    out: dict[str, Annotation] = {}
    for i, (art, doc) in enumerate(zip(articles, nlp.pipe((a.text for a in articles), batch_size=16))):
        out[art.id] = to_annotation(art.id, doc)
        if progress:
            progress(i + 1, len(articles))
    return out


def run(story: Story, res) -> Story:
    progress = getattr(res, "progress", None)
    return story.model_copy(update={"annotations": annotate(list(story.articles), res.nlp, progress)})
