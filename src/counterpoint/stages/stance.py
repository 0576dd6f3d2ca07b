"""Stance stage (placeholder until implemented)."""
from __future__ import annotations

from ..model import Story

REQUIRES = ('articles', 'annotations', 'claim_text', 'title_hint', 'quotes')
PROVIDES = ('claim', 'sentence_stances', 'stances')


def run(story: Story, res) -> Story:
    return story
