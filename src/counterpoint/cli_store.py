"""Commands for the story library: add, analyze --story, export, stories.

``register(sub)`` adds this module's subparsers to the CLI and returns
{command name: handler(args) -> exit code}.
"""
from __future__ import annotations


def register(sub) -> dict:
    return {}
