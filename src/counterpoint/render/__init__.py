"""Renderers: the dossier (a plain dict, the JSON contract) as HTML or Markdown.

Renderers read only the contract, never the internal model, so a dossier
saved as JSON yesterday renders the same today.
"""
from .html import render_html
from .markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
