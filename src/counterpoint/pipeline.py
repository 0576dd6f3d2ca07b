"""The pipeline: a short checked loop over the stages.

Each stage module declares ``REQUIRES`` and ``PROVIDES`` (fields of ``Story``)
and one adapter ``run(story, res) -> Story``. The chain is checked once, before
any work is done.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from .errors import ConfigError
from .model import Article, Story, short_hash
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


def analyze(
    inputs: Iterable[str] = (),
    *,
    articles: Sequence[Article] | None = None,
    claim: str | None = None,
    title: str | None = None,
    res: Resources | None = None,
    stages: Sequence = STAGES,
    on_stage=None,
) -> Story:
    """Run every stage and return the finished story.

    ``inputs`` are paths (files, folders, ``-`` for stdin) read by the ingest
    stage; ``articles`` skips reading and analyses ready-made articles.
    """
    check_chain(stages)
    res = res or Resources()
    story = Story(inputs=tuple(inputs), claim_text=claim, title_hint=title)
    if articles is not None:
        story = story.model_copy(update={"articles": tuple(articles)})
        stages = [s for s in stages if s is not ingest]
    for st in stages:
        if on_stage:
            on_stage(st.__name__.rsplit(".", 1)[-1])
        story = st.run(story, res)
    return finish(story)


def finish(story: Story) -> Story:
    """Give the story its deterministic id and a title."""
    sid = short_hash(*(a.text for a in story.articles)) if story.articles else short_hash("empty")
    title = story.title_hint or (story.claim.text if story.claim else "") or next(
        (a.title for a in story.articles if a.title), "Untitled story"
    )
    return story.model_copy(update={"id": f"s{sid}", "title": title})
