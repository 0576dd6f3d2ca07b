"""The pipeline: a short checked loop over the stages.

Each stage module declares ``REQUIRES`` and ``PROVIDES`` (fields of ``Story``)
and one adapter ``run(story, res) -> Story``. The chain is checked once, before
any work is done.

The work splits in two, as a batch engine runs it:

* the **map**, ``prepare_articles``: per article and independent of the claim
  and of the other articles — the spaCy parse and the sentence vectors. Its
  result (``Prepared``) is a pure function of the article's text, so a store
  can cache it by text hash and a worker can compute it anywhere;
* the **reduce**, ``analyze(articles=..., prepared=...)``: everything that looks
  across articles (cast merge, quotes against the merged cast, timeline merge,
  claim, stance, key points, checks).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from .errors import ConfigError
from .grouping import mark_copies
from .model import Annotation, Article, Story, short_hash
from .resources import Resources
from .stages import arguments, cast, checks, ingest, language, quotes, stance, timeline

STAGES = (ingest, language, cast, quotes, timeline, stance, arguments, checks)
GIVEN = frozenset({"inputs", "claim_text", "title_hint"})


def check_chain(stages: Sequence = STAGES) -> None:
    have = set(GIVEN)
    for st in stages:
        missing = set(st.REQUIRES) - have
        if missing:
            raise ConfigError(f"stage {st.__name__} needs {sorted(missing)} which no earlier stage provides")
        unknown = set(st.PROVIDES) - set(Story.model_fields)
        if unknown:
            raise ConfigError(f"stage {st.__name__} provides unknown fields {sorted(unknown)}")
        have |= set(st.PROVIDES)


@dataclass(frozen=True)
class Prepared:
    """The map's result for one article: its parse and its sentence vectors."""
    annotation: Annotation
    vectors: dict[str, np.ndarray]

    def for_doc(self, doc_id: str) -> "Prepared":
        """The same result filed under another document id (ids are positions in a story)."""
        if self.annotation.doc == doc_id:
            return self
        return Prepared(self.annotation.model_copy(update={"doc": doc_id}), self.vectors)


def text_key(text: str) -> str:
    """The identity of an article's extracted text: what caches and de-duplication key on."""
    return short_hash(text, n=16)


def prepare_articles(articles: Sequence[Article], res: Resources) -> dict[str, Prepared]:
    """The map: parse and encode each article, keyed by article id."""
    res = res.session()
    story = language.run(Story(articles=tuple(articles)), res)
    return {a.id: Prepared(story.annotations[a.id], res.article_vectors[a.id]) for a in articles}


def analyze(
    inputs: Iterable[str] = (),
    *,
    articles: Sequence[Article] | None = None,
    prepared: Mapping[str, Prepared] | None = None,
    claim: str | None = None,
    title: str | None = None,
    res: Resources | None = None,
    stages: Sequence = STAGES,
    on_stage=None,
) -> Story:
    """Run every stage and return the finished story.

    ``inputs`` are paths (files, folders, ``-`` for stdin) read by the ingest
    stage; ``articles`` skips reading and analyses ready-made articles;
    ``prepared`` (by article id) skips the map for the articles it covers.
    """
    check_chain(stages)
    res = (res or Resources()).session()
    story = Story(inputs=tuple(inputs), claim_text=claim, title_hint=title)
    if articles is not None:
        story = story.model_copy(update={"articles": mark_copies(articles)})
        stages = [s for s in stages if s is not ingest]
    if prepared:
        have = {a.id: prepared[a.id].for_doc(a.id) for a in story.articles if a.id in prepared}
        story = story.model_copy(update={"annotations": {k: p.annotation for k, p in have.items()}})
        res.article_vectors.update({k: p.vectors for k, p in have.items()})
    for st in stages:
        if on_stage:
            on_stage(st.__name__.rsplit(".", 1)[-1])
        story = st.run(story, res)
        if st is ingest:  # syndicated and trimmed copies are kept, and counted once by later stages
            story = story.model_copy(update={"articles": mark_copies(story.articles)})
    return finish(story)


def finish(story: Story) -> Story:
    """Give the story its deterministic id and a title."""
    sid = short_hash(*(a.text for a in story.articles)) if story.articles else short_hash("empty")
    title = story.title_hint or (story.claim.text if story.claim else "") or next(
        (a.title for a in story.articles if a.title), "Untitled story"
    )
    return story.model_copy(update={"id": f"s{sid}", "title": title})
