"""The local web app: the story library in a browser (``counterpoint serve``).

``create_app(store)`` builds the FastAPI application; ``app.py`` holds it all.
"""
from .app import create_app

__all__ = ["create_app"]
