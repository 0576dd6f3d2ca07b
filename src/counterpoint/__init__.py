"""Counterpoint reads every side of a story."""
__version__ = "0.1.0"
