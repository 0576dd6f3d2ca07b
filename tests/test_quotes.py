"""Quotes: spans in quotation marks, their speakers, and the rows that must produce nothing."""
from __future__ import annotations

import pytest

from counterpoint.model import Article
from counterpoint.stages.cast import build_cast
from counterpoint.stages.language import annotate
from counterpoint.stages.quotes import QuoteSpan, find_quote_spans, find_quotes, is_real_quote


@pytest.mark.parametrize("text,inner", [
    ("He said “I will be back soon.” Then he left.", ["I will be back soon."]),
    ('"We won the game tonight," she said.', ["We won the game tonight"]),
    ("A 6'8\" forward who said \"nothing at all for now\" went home.", ["nothing at all for now"]),
    ("“Open quote with no end", []),
    ("“First part”\n\n“second paragraph”", ["First part", "second paragraph"]),
    ("‘We’re not done yet,’ she said.", ["We’re not done yet"]),                 # British single quotes
    ("Delaney’s agent didn’t call the players’ union back.", []),              # apostrophes only
    ("“He told me ‘never again’ last year,” she said.", ["He told me ‘never again’ last year"]),  # nested
])
def test_quotes_find_spans(text, inner):
    assert [text[q.start:q.end] for q in find_quote_spans(text)] == inner


@pytest.mark.parametrize("text,real", [
    ("She called it “a stunt” and moved on.", False),           # scare quotes
    ("His memoir “Second Wind Rising Again” is out.", False),   # a title
    ("He said “I love her and I always will.”", True),
    ("He called it “the best thing that ever happened to me.”", True),  # partial quote
    ("“Oh, Tommy!” she cried.", True),                               # an exclamation, not a title
])
def test_quotes_real_or_not(text, real):
    spans = find_quote_spans(text)
    assert len(spans) == 1
    assert is_real_quote(text, spans[0]) is real


CASES = [
    # (text, [(quote text, speaker name or None)])
    ("Marcus Delaney went on the radio. “I still love her,” Delaney told the host.",
     [("I still love her", "Marcus Delaney")]),
    ("“Renée deserves better than a radio stunt,” said her friend Tasha Monroe.",
     [("Renée deserves better than a radio stunt", "Tasha Monroe")]),
    ("Renée Castillo was asked about it. According to Castillo's representative, “She is focused on her music.”",
     [("She is focused on her music.", None)]),
    ("Marcus Delaney spoke. “I made mistakes,” he said. “But I am a different man now.”",
     [("I made mistakes", "Marcus Delaney"), ("But I am a different man now.", "Marcus Delaney")]),
    ("Asked whether he would try again, Marcus Delaney said: “Every single day, I would.”",
     [("Every single day, I would.", "Marcus Delaney")]),
    ("The crowd chanted for an hour. “This is the best night of our lives,” someone wrote on a sign.",
     [("This is the best night of our lives", None)]),
    ("Renée Castillo smiled. She said she was “very happy” with the album.", []),
    # a description the article bound to a name earlier
    ("The singer Renée Castillo spoke after Marcus Delaney left. “I have moved on with my life,” the singer said.",
     [("I have moved on with my life", "Renée Castillo")]),
    # a description bound to nobody stays unnamed
    ("Marcus Delaney left early. “It was a long night for all of us,” the doorman said.",
     [("It was a long night for all of us", None)]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", CASES)
def test_quotes_speakers(res, text, expected):
    a = Article(id="d1", source="t", text=text)
    anns = annotate([a], res.nlp)
    cast, mentions = build_cast([a], anns)
    quotes = find_quotes(a, anns["d1"], mentions, cast)
    names = {c.id: c.name for c in cast}
    got = [(q.text, names.get(q.speaker)) for q in quotes]
    assert got == expected
    for q in quotes:
        assert a.text[q.start:q.end] == q.text
        assert q.speaker is None or q.speaker in names


def test_quotes_unattributed_quote_keeps_speaker_null():
    text = "“Nobody saw this coming at all,” the statement read."
    spans = find_quote_spans(text)
    assert isinstance(spans[0], QuoteSpan)
    a = Article(id="d1", source="t", text=text)
    from counterpoint.model import Annotation

    ann = Annotation(doc="d1", sentences=((0, len(text)),), tokens=(), entities=())
    (q,) = find_quotes(a, ann, [], [])
    assert q.speaker is None and q.text == "Nobody saw this coming at all"
