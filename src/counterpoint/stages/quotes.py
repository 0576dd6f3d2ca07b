"""Quotes stage (placeholder until implemented)."""
from __future__ import annotations

from ..model import Story

REQUIRES = ('articles', 'annotations', 'cast', 'mentions')
PROVIDES = ('quotes',)


def run(story: Story, res) -> Story:
    return story
