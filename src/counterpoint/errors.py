"""Every error Counterpoint raises, in one tree::

    CounterpointError
    ├── InputError(source, code, detail)   one input cannot be analysed
    ├── ConfigError                        bad options or arguments
    ├── ModelMissingError                  a model package or artifact is not installed
    └── StoreError                         the story database cannot be used
        ├── NoDatabase                     no story database at that path
        ├── StoryNotFound(name)            no story by that name or id
        ├── EmptyStory                     the story has no articles to analyse
        └── NoDossier(name)                the story has never been analysed

Messages say the fact, then the fix. Only the CLI catches and prints them.
``InputError`` carries a stable reason code (tests assert codes, not wording):
"""
from __future__ import annotations

REASONS: dict[str, str] = {
    "missing": "the path does not exist",
    "empty": "no text to analyse",
    "binary": "looks like a binary file, not text",
    "too-large": "bigger than the size limit",
    "bad-encoding": "not valid UTF-8 and no usable charset declared",
    "not-english": "the text does not look like English",
    "malformed-html": "HTML with no extractable article text",
    "malformed-jsonl": "a JSONL line that is not a JSON object with text or html",
    "unreadable": "the file cannot be read",
}


class CounterpointError(Exception):
    """Base of every error Counterpoint raises on purpose."""


class InputError(CounterpointError):
    def __init__(self, source: str, code: str, detail: str):
        if code not in REASONS:
            raise ValueError(f"unknown reason code {code!r}")
        self.source, self.code, self.detail = source, code, detail
        super().__init__(f"{source}: {detail}")


class ConfigError(CounterpointError):
    """Bad options or arguments; the CLI exits with 2."""


class ModelMissingError(CounterpointError):
    """A model is not installed; the message names the package to install."""


class StoreError(CounterpointError):
    """The story database cannot be used: not a Counterpoint database, made by a newer version, locked."""


class NoDatabase(StoreError):
    """No story database at the path given (commands that only read do not make one)."""


class EmptyStory(StoreError):
    """The story has no articles to analyse."""


class StoryNotFound(StoreError):
    """No story by that name or id; the message names it."""

    def __init__(self, story: int | str, where: str = ""):
        self.story = story
        what = f"no story with id {story}" if isinstance(story, int) else f"no story named {story!r}"
        super().__init__(f"{what}{' in ' + where if where else ''}; `counterpoint stories` lists them")


class NoDossier(StoreError):
    """The story exists but has no stored dossier yet."""

    def __init__(self, story: str):
        import shlex

        self.story = story
        super().__init__(f"story {story!r} has not been analysed yet; run: counterpoint analyze --story {shlex.quote(story)}")
