"""Checks stage (placeholder until implemented)."""
from __future__ import annotations

from ..model import Story

REQUIRES = ('articles', 'cast', 'events')
PROVIDES = ('checks',)


def run(story: Story, res) -> Story:
    return story
