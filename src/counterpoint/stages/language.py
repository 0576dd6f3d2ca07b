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


def children(tokens) -> list[list[int]]:
    """For each token, the indices of the tokens whose head it is (the parse read downwards)."""
    kids: list[list[int]] = [[] for _ in tokens]
    for i, t in enumerate(tokens):
        if t.head != i and 0 <= t.head < len(tokens):
            kids[t.head].append(i)
    return kids


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


def sentence_spans(art: Article, ann: Annotation | None) -> list[tuple[int, int]]:
    """The sentences later stages read: those with at least one letter or digit."""
    if ann is None:
        return []
    return [(a, b) for a, b in ann.sentences if any(ch.isalnum() for ch in art.text[a:b])]


def sentence_texts(art: Article, ann: Annotation | None) -> list[str]:
    return [art.text[a:b] for a, b in sentence_spans(art, ann)]


def run(story: Story, res) -> Story:
    """Parse the articles that have no annotation yet, then give every article its sentence vectors.

    Annotations and vectors already on hand (from a store or a batch worker) are
    used as they are; both are pure functions of an article's text, so the
    result is the same as computing them here.
    """
    progress = getattr(res, "progress", None)
    anns = dict(story.annotations)
    todo = [a for a in story.articles if a.id not in anns]
    anns.update(annotate(todo, res.nlp, progress) if todo else {})
    for art in story.articles:
        vecs = res.article_vectors.get(art.id)
        if vecs is None:
            vecs = res.encode_exact(sentence_texts(art, anns[art.id]))
        else:
            res.remember(vecs)
        res.article_vectors[art.id] = vecs
    return story.model_copy(update={"annotations": {a.id: anns[a.id] for a in story.articles}})
