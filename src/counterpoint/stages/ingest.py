"""Ingest stage (placeholder until implemented)."""
from __future__ import annotations

from ..model import Story

REQUIRES = ('inputs',)
PROVIDES = ('articles', 'skipped')


def run(story: Story, res) -> Story:
    return story
