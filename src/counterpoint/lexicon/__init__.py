"""Word lists kept as data. ``load_words('honorifics')`` reads ``honorifics.txt``.

Blank lines and lines starting with ``#`` are ignored; entries are lower-cased.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources


def read_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def parse_sections(text: str) -> dict[str, list[str]]:
    """``[section]``-headed lists: {section: [stripped lines]}; comments and blanks dropped."""
    out: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return out


@lru_cache(maxsize=None)
def load_words(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in read_lines(f"{name}.txt"))


@lru_cache(maxsize=None)
def load_map(name: str) -> dict[str, tuple[str, ...]]:
    """``key: a, b, c`` lines into {key: (a, b, c)}."""
    out: dict[str, tuple[str, ...]] = {}
    for ln in read_lines(f"{name}.txt"):
        key, _, rest = ln.partition(":")
        out[key.strip().lower()] = tuple(w.strip().lower() for w in rest.split(",") if w.strip())
    return out


def fold_word(word: str) -> str:
    """Lower case, accents dropped: "Khloé" -> "khloe"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def given_name_gender(word: str) -> str | None:
    """"f" or "m" for a given name that is almost always one gender in English text (Mary, John),
    else None (names used for both, surnames, words). Case and accents ignored."""
    w = fold_word(word)
    if w in load_words("given_names_female"):
        return "f"
    return "m" if w in load_words("given_names_male") else None


def title_gender(word: str | None) -> str | None:
    """"f" or "m" for a title or kin word written before a name that says which pronoun the person takes
    ("mrs", "uncle"; lexicon/gendered_titles.txt), else None. ``word`` as the caller normalised it (lower case,
    no dot); it is looked up as given."""
    titles = load_map("gendered_titles")
    return "f" if word in titles["female"] else "m" if word in titles["male"] else None
