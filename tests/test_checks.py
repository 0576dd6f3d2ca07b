"""Checks: date conflicts, fact conflicts (from dates alone) and name variants."""
from __future__ import annotations

import pytest

from counterpoint.model import (
    Article, CastMember, DateValue, DocCount, Event, EventSource, Story,
)
from counterpoint.stages import checks
from counterpoint.stages.checks import find_date_conflicts, find_fact_conflicts, find_name_variants
from counterpoint.stages.timeline import DateMention, EventMention, merge_events

ARTICLES = (
    Article(id="d1", source="ringside.html", title="Ring Side", text="x" * 200),
    Article(id="d2", source="fans.html", title="Fan blog", text="x" * 200),
    Article(id="d3", source="feed.jsonl:3", site="Gossip Daily", text="x" * 200),
)
NAMES = {"p1": "Marcus Delaney", "p2": "Renée Castillo"}


def em(doc, kind, participants, value, text=None, start=0):
    prec = {4: "year", 7: "month", 10: "day"}.get(len(value or ""), "unknown")
    d = DateMention(start, start + 4, text or value, value, prec) if value else None
    return EventMention(doc, kind, start, start + 40, "s", kind, tuple(participants), d)


def test_checks_planted_date_conflict_through_merge():
    events = merge_events([
        em("d1", "divorce", ["p1", "p2"], "2016-12", "December 2016"),
        em("d2", "divorce", ["p1", "p2"], "2017"),
        em("d3", "divorce", ["p2"], "2016"),
    ], NAMES)
    (check,) = find_date_conflicts(events, ARTICLES)
    assert check.kind == "date_conflict"
    assert check.docs == ("d1", "d2", "d3") and check.refs == (events[0].id,)
    assert check.message == (
        "Marcus Delaney and Renée Castillo divorced: 'Ring Side' (d1) dates it December 2016; "
        "'Fan blog' (d2) dates it 2017; 'Gossip Daily' (d3) dates it 2016."
    )


@pytest.mark.parametrize("values", [
    ["2016-12", "2016"],          # compatible: year vs month of the same year
    ["2016", "2016"],
    ["2016-12", None],            # an undated source disagrees with nothing
    ["2016-12"],
])
def test_checks_no_date_conflict(values):
    events = merge_events([em(f"d{i + 1}", "divorce", ["p1"], v) for i, v in enumerate(values)], NAMES)
    assert find_date_conflicts(events, ARTICLES) == []


@pytest.mark.parametrize("a,b", [("2016-11", "2016-12"), ("2015", "2016")])
def test_checks_date_conflict_rows(a, b):
    events = merge_events([em("d1", "marriage", ["p1"], a), em("d2", "marriage", ["p1"], b)], NAMES)
    assert [c.kind for c in find_date_conflicts(events, ARTICLES)] == ["date_conflict"]


def _pub(e, published):
    e.published = published
    return e


def test_checks_date_conflict_for_the_same_vote_told_a_week_apart():
    # a report naming the council dates the vote one day; a blog naming nobody dates it a week earlier
    names = dict(NAMES, p3="Elmford Town Council")
    events = merge_events([
        _pub(em("d1", "vote", ["p3"], "2023-05-09", "Tuesday"), "2023-05-10"),
        _pub(em("d2", "vote", [], "2023-05-02", "May 2"), "2023-05-15"),
    ], names)
    (check,) = find_date_conflicts(events, ARTICLES)
    assert check.docs == ("d1", "d2")
    assert check.message == ("Elmford Town Council voted: 'Ring Side' (d1) dates it May 9, 2023; "
                             "'Fan blog' (d2) dates it May 2, 2023.")


@pytest.mark.parametrize("second", [
    ("vote", [], "2023-09-12", "2023-09-13"),          # another vote, months later
    ("vote", ["p3"], "2024-05-07", "2024-05-08"),      # the next year's
    ("vote", ["p1"], "2023-05-03", "2023-05-15"),      # other people
    ("vote", ["p3"], "2023-05-16", "2023-05-17"),      # a week later, after the first report: the next vote
    ("hearing", [], "2023-05-02", "2023-05-15"),       # another type
])
def test_checks_no_date_conflict_between_different_events(second):
    kind, people, value, published = second
    events = merge_events([
        _pub(em("d1", "vote", ["p3"], "2023-05-09"), "2023-05-10"),
        _pub(em("d2", kind, people, value), published),
    ], NAMES)
    assert find_date_conflicts(events, ARTICLES) == []


def test_checks_name_variant():
    cast = [
        CastMember(id="p2", name="Renée Castillo", kind="person", aliases=("Castillo",),
                   mentions=(DocCount(doc="d1", count=3),), variants=(("Renee Castilo", "d3"), ("Renée Castilo", "d2"))),
        CastMember(id="p1", name="Marcus Delaney", kind="person", aliases=(), mentions=()),
    ]
    got = find_name_variants(cast, ARTICLES)
    assert [(c.kind, c.docs, c.refs) for c in got] == [
        ("name_variant", ("d2",), ("p2",)), ("name_variant", ("d3",), ("p2",)),
    ]
    assert got[1].message == "'Renee Castilo' in 'Gossip Daily' (d3) looks like a misspelling of 'Renée Castillo'."


def _event(eid, type_, participants, *dated, summary=None):
    sources = tuple(EventSource(doc=d, start=n * 10, end=n * 10 + 5, text="s", date_value=v)
                    for n, (d, v) in enumerate(dated))
    value = dated[0][1]
    return Event(id=eid, type=type_, summary=summary or f"{type_} ({value})", participants=participants,
                 date=DateValue(value=value, precision="year" if value and len(value) == 4 else "month"),
                 sources=sources)


@pytest.mark.parametrize("events,expected", [
    # a divorce dated before the wedding, by another source
    ([_event("e1", "marriage", ("p1", "p2"), ("d1", "2011-07")),
      _event("e2", "divorce", ("p1",), ("d2", "2010"))], [("e2", "e1", ("d1", "d2"))]),
    # by the same source
    ([_event("e1", "marriage", ("p1", "p2"), ("d1", "2011")),
      _event("e2", "divorce", ("p1", "p2"), ("d1", "2009-05"))], [("e2", "e1", ("d1",))]),
    # a source whose date disagrees with its own event (a date conflict already) is not used
    ([_event("e1", "marriage", ("p1", "p2"), ("d1", "2011"), ("d3", "2012")),
      _event("e2", "divorce", ("p1", "p2"), ("d2", "2016"), ("d3", "2011-06"))], []),
    # negative rows: in order; same year at different precision; other people; no rule for the pair
    ([_event("e1", "marriage", ("p1", "p2"), ("d1", "2011")),
      _event("e2", "divorce", ("p1", "p2"), ("d2", "2016"))], []),
    ([_event("e1", "marriage", ("p1", "p2"), ("d1", "2011-07")),
      _event("e2", "divorce", ("p1", "p2"), ("d2", "2011"))], []),
    ([_event("e1", "marriage", ("p1",), ("d1", "2011")),
      _event("e2", "divorce", ("p2",), ("d2", "2009"))], []),
    ([_event("e1", "trade", ("p1",), ("d1", "2011")),
      _event("e2", "arrest", ("p1",), ("d2", "2009"))], []),
])
def test_checks_fact_conflict(events, expected):
    got = find_fact_conflicts(events, ARTICLES)
    assert [(c.refs[0], c.refs[1], c.docs) for c in got] == expected
    assert all(c.kind == "fact_conflict" for c in got)


def test_checks_fact_conflict_message():
    events = merge_events([
        em("d1", "marriage", ["p1", "p2"], "2011-07", "July 2011"),
        em("d2", "divorce", ["p1", "p2"], "2010"),
    ], NAMES)
    (c,) = find_fact_conflicts(events, ARTICLES)
    assert c.message == ("Marcus Delaney and Renée Castillo divorced is dated 2010 by 'Fan blog' (d2), "
                         "before Marcus Delaney and Renée Castillo married (July 2011 per 'Ring Side' (d1)).")


def test_checks_run_is_deterministic_and_ordered():
    events = tuple(merge_events([
        em("d1", "marriage", ["p1", "p2"], "2011-07"),
        em("d2", "marriage", ["p1", "p2"], "2013"),
        em("d2", "divorce", ["p1", "p2"], "2010", start=50),
    ], NAMES))
    cast = (CastMember(id="p1", name="Marcus Delaney", kind="person", aliases=(), mentions=(),
                       variants=(("Marcus Delany", "d3"),)),)
    story = Story(articles=ARTICLES, cast=cast, events=events)
    one = checks.run(story, None).checks
    two = checks.run(story, None).checks
    assert one == two
    assert [c.kind for c in one] == ["date_conflict", "fact_conflict", "name_variant"]


def test_checks_empty_story():
    assert checks.run(Story(), None).checks == ()
