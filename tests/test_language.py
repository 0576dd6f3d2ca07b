"""The language pass: sentences as later stages read them."""
from __future__ import annotations

import pytest

from counterpoint.model import Article
from counterpoint.stages.language import annotate


@pytest.fixture(scope="module")
def nlp():
    from counterpoint.resources import Resources
    return Resources().nlp


def sentences(nlp, text: str) -> list[str]:
    art = Article(id="d1", source="t", text=text)
    ann = annotate([art], nlp)["d1"]
    return [text[a:b] for a, b in ann.sentences]


@pytest.mark.parametrize("text,expected", [
    # the parser had cut inside a name, and before "and", with no stop between: one sentence each
    ("Curtis Vail, who founded the advocacy group Safe Streets Halbrook two years ago, called the intersection "
     "\"a coin flip with a delivery truck\" and pointed to the plan.",
     ["Curtis Vail, who founded the advocacy group Safe Streets Halbrook two years ago, called the intersection "
      "\"a coin flip with a delivery truck\" and pointed to the plan."]),
    ("I watched every series of \u201cDelahaye's Kitchen Table\u201d from 2016 until 2022 and I remember him at the "
     "end of the last one. He looked lost.",
     ["I watched every series of \u201cDelahaye's Kitchen Table\u201d from 2016 until 2022 and I remember him at "
      "the end of the last one.", "He looked lost."]),
    # a stop, a closing quote after one, or a blank line still ends a sentence
    ("The council voted on Tuesday. \u201cIt is over,\u201d she said. Nobody left.",
     ["The council voted on Tuesday.", "\u201cIt is over,\u201d she said.", "Nobody left."]),
    ("Council votes to close branch\n\nThe council voted on Tuesday to close it.",
     ["Council votes to close branch", "The council voted on Tuesday to close it."]),
    # hard-wrapped text is not cut at its line ends by this rule
    ("The council voted on Tuesday to close the\nbranch. Nobody left.",
     ["The council voted on Tuesday to close the\nbranch.", "Nobody left."]),
])
def test_language_sentences_end_at_a_stop_or_a_line_break(nlp, text, expected):
    assert sentences(nlp, text) == expected
