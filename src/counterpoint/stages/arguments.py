"""Arguments stage (placeholder until implemented)."""
from __future__ import annotations

from ..model import Story

REQUIRES = ('articles', 'annotations', 'sentence_stances', 'stances', 'claim')
PROVIDES = ('arguments',)


def run(story: Story, res) -> Story:
    return story
