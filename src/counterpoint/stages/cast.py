"""Cast stage (placeholder until implemented)."""
from __future__ import annotations

from ..model import Story

REQUIRES = ('articles', 'annotations')
PROVIDES = ('cast', 'mentions')


def run(story: Story, res) -> Story:
    return story
