"""Timeline: date resolution (pure), event detection (real spaCy parse), cross-source merge."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from counterpoint.model import Article, CastMember, DateValue, DocCount, Mention, Story
from counterpoint.stages import timeline
from counterpoint.stages.timeline import (
    DateMention, EventMention, dates_conflict, find_dates, find_events, format_date, merge_events,
    parse_anchor, resolve_date,
)

ANCHOR = date(2020, 3, 11)  # a Wednesday

NAMES = {"p1": "Marcus Delaney", "p2": "Renée Castillo", "p3": "Boston Celtics"}
ALIASES = {"p1": ["Marcus Delaney", "Delaney"], "p2": ["Renée Castillo", "Castillo"],
           "p3": ["Boston Celtics", "Celtics"]}
KINDS = {"p1": "person", "p2": "person", "p3": "organization"}


# --- dates, pure --------------------------------------------------------------

@pytest.mark.parametrize("expr,value,precision,end", [
    ("in 2009", "2009", "year", None),
    ("March 2019", "2019-03", "month", None),
    ("March of 2019", "2019-03", "month", None),
    ("May 14, 2019", "2019-05-14", "day", None),
    ("14 May 2019", "2019-05-14", "day", None),
    ("Sept. 5, 2018", "2018-09-05", "day", None),
    ("2019-05-14", "2019-05-14", "day", None),
    # numbers with slashes: day first when the first is over 12, month first unless the article spells the British way
    ("7/8/07", "2007-07-08", "day", None),
    ("14/05/2019", "2019-05-14", "day", None),
    ("05/14/2019", "2019-05-14", "day", None),
    ("the summer of 2015", "2015", "year", None),
    ("in early 2019", "2019", "year", None),
    ("mid-2016", "2016", "year", None),
    ("from 2004 until 2011", "2004", "year", "2011"),
    ("between 2014 and 2017", "2014", "year", "2017"),
    ("from March 2004 to June 2011", "2004-03", "month", "2011-06"),
    ("2004–2011", "2004", "year", "2011"),
    # relative to a publication date of Wednesday 2020-03-11
    ("yesterday", "2020-03-10", "day", None),
    ("last December", "2019-12", "month", None),
    ("met in June 2011 and were married by July", "2011-06", "month", None),
    ("earlier this year", "2020", "year", None),
    ("last year", "2019", "year", None),
    ("last month", "2020-02", "month", None),
    ("two years ago", "2018", "year", None),
    ("three months ago", "2019-12", "month", None),
    ("a decade ago", "2010", "year", None),
    ("on Monday", "2020-03-09", "day", None),
    ("on Wednesday", "2020-03-11", "day", None),
    ("last Wednesday", "2020-03-04", "day", None),
    ("June 5", "2020-06-05", "day", None),   # the nearest June 5, no tense to say otherwise
    ("March 2", "2020-03-02", "day", None),
])
def test_timeline_resolve_date(expr, value, precision, end):
    got = resolve_date(expr, ANCHOR)
    assert got is not None
    assert (got.value, got.precision, got.end) == (value, precision, end)


@pytest.mark.parametrize("expr", [
    "yesterday", "last December", "earlier this year", "two years ago", "on Monday", "June 5",
])
def test_timeline_relative_without_anchor_keeps_words(expr):
    got = resolve_date(expr, None)
    assert got == DateValue(value=None, precision="unknown", text=got.text)
    assert got.text and got.text.lower() in expr.lower()


@pytest.mark.parametrize("expr,anchor", [("in December", None), ("by July", None)])
def test_timeline_bare_month_without_a_year_stays_open(expr, anchor):
    got = resolve_date(expr, anchor)
    assert got == DateValue(value=None, precision="unknown", text=got.text)
    assert got.text and got.text.lower() in expr.lower()


@pytest.mark.parametrize("expr", [
    "after a month of dating", "30 days", "for three years", "a few weeks", "the 1990s",
    "every year", "$2,019", "the 3 of them", "Friday Night Lights", "they may know",
    "the Black Monday crash", "Super Tuesday results", "24/7", "3/4 of them",
    "her winter coat", "the spring water", "their summer house", "Good Friday", "Monday Night Football", "Cyber Monday sales",
])
def test_timeline_not_a_date(expr):
    assert resolve_date(expr, ANCHOR) is None


@pytest.mark.parametrize("expr,future", [("next year", True), ("later this month", True), ("last year", False),
                                         ("in 2021", True), ("in 2019", False)])
def test_timeline_future_dates_flagged(expr, future):
    (d,) = find_dates(expr, (0, len(expr)), ANCHOR)
    assert d.future is future


@pytest.mark.parametrize("text,values", [
    ("They met in June 2011 and were married by July.", ["2011-06", "2011-07"]),
    ("Signed in November 2010, traded in March.", ["2010-11", "2011-03"]),
])
def test_timeline_bare_month_takes_year_from_sentence(text, values):
    assert [d.value for d in find_dates(text, (0, len(text)), None)] == values


def _dates(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in find_dates(text, (0, len(text)), anchor)]


@pytest.mark.parametrize("text,anchor,value", [
    # the nearest occurrence when nothing in the clause says which way to look
    ("The trial opens on April 2.", ANCHOR, "2020-04-02"),
    ("Her contract runs out on November 11.", date(2021, 11, 5), "2021-11-11"),
    ("The show opens January 4.", date(2019, 12, 28), "2020-01-04"),
    ("Sales were strong on December 20.", date(2020, 1, 3), "2019-12-20"),
    ("The plane made its first flight on 11 December.", ANCHOR, "2019-12-11"),
    # the tense picks the side when both are a few months away
    ("She filed the papers on August 20.", ANCHOR, "2019-08-20"),
    ("The hearing will be held on October 1.", ANCHOR, "2020-10-01"),
    ("A hearing has been scheduled for October 1.", ANCHOR, "2020-10-01"),
    ("The band announced a concert to be held on October 1.", ANCHOR, "2020-10-01"),
])
def test_timeline_month_day_without_year_takes_nearest_or_tense(text, anchor, value):
    (d,) = find_dates(text, (0, len(text)), anchor)
    assert d.value == value and d.precision == "day"
    assert d.future is (value > anchor.isoformat())


@pytest.mark.parametrize("text,value", [
    ("The markets stay closed until Friday.", "2020-03-13"),
    ("Talks will resume on Monday.", "2020-03-16"),
    ("The board met on Friday.", "2020-03-06"),
    ("The board meets on Wednesday.", "2020-03-11"),
    ("On Monday, the company said it will cut 500 jobs.", "2020-03-09"),
    ("On Friday, the two sides will meet again.", "2020-03-13"),
    ("The firm said on Tuesday that it will close the plant.", "2020-03-10"),
])
def test_timeline_weekday_looks_back_unless_the_clause_is_future(text, value):
    (d,) = find_dates(text, (0, len(text)), ANCHOR)
    assert d.value == value


@pytest.mark.parametrize("text,value", [
    ("On Wednesday, Apple unveiled a new phone.", "2020-03-11"),
    ("Stocks fell sharply in Europe and Asia Monday, with banks leading the losses.", "2020-03-09"),
    ("Shares of Boeing rose Tuesday after the report.", "2020-03-10"),
])
def test_timeline_weekday_next_to_a_capitalised_word_is_still_a_date(text, value):
    assert [v for _, v in _dates(text)] == [value]


@pytest.mark.parametrize("text", [
    "Fans remembered Black Monday with a minute of silence.",
    "She watched Monday Night Football with friends.",
    "Voters turned out for Super Tuesday in record numbers.",
])
def test_timeline_weekday_inside_a_name_is_not_a_date(text):
    assert _dates(text) == []


@pytest.mark.parametrize("text,anchor,value", [
    ("The deal closed in October.", ANCHOR, "2019-10"),
    ("The deal should close in October.", ANCHOR, "2020-10"),
    ("Sales rose in February.", ANCHOR, "2020-02"),
    ("Prices have been flat since January.", ANCHOR, "2020-01"),
    ("In April, the firm hired a new chief.", date(2020, 6, 15), "2020-04"),
    ("The club wants to sign him by early June.", date(2020, 5, 14), "2020-06"),
    ("As of February, the store had sold a million songs.", ANCHOR, "2020-02"),
    ("Sales will pick up in July.", date(2020, 12, 1), "2021-07"),
    ("They married in September.", date(2021, 1, 20), "2020-09"),
])
def test_timeline_bare_month_read_against_publication_date(text, anchor, value):
    (d,) = find_dates(text, (0, len(text)), anchor)
    assert (d.value, d.precision) == (value, "month")


def test_timeline_bare_month_after_a_dateline_is_not_rolled_forward():
    text = "NEW YORK, March 11, 2020 -- Car sales fell 30% in January."
    assert _dates(text) == [("March 11, 2020", "2020-03-11"), ("January", "2020-01")]


@pytest.mark.parametrize("text,values", [
    ("They met on June 5, 2011 and married on July 9.", ["2011-06-05", "2011-07-09"]),
    ("Hired in March 2015, she was promoted on January 8.", ["2015-03", "2016-01-08"]),
])
def test_timeline_month_day_takes_year_from_sentence(text, values):
    assert [v for _, v in _dates(text)] == values


def test_timeline_month_span_without_year():
    text = "Output was weak between April and June."
    (d,) = find_dates(text, (0, len(text)), date(2020, 11, 18))
    assert (d.text, d.value, d.end_value, d.precision) == ("between April and June", "2020-04", "2020-06", "month")
    text = "Output was weak between November and February."
    (d,) = find_dates(text, (0, len(text)), date(2020, 3, 18))
    assert (d.value, d.end_value) == ("2019-11", "2020-02")


@pytest.mark.parametrize("text,span,value", [
    ("Profit fell in the first quarter of 2009.", "the first quarter of 2009", "2009"),
    ("The Third Quarter of this year was weak.", "The Third Quarter of this year", "2020"),
    ("Losses grew in the fourth quarter of last year.", "the fourth quarter of last year", "2019"),
    ("Prices have risen since the start of this year.", "the start of this year", "2020"),
    ("The deal should close by the end of next year.", "the end of next year", "2021"),
    ("Shares fell earlier today.", "earlier today", "2020-03-11"),
    ("Dealers will be told after October of next year.", "October of next year", "2021-10"),
])
def test_timeline_longer_phrases_keep_their_words(text, span, value):
    assert _dates(text) == [(span, value)]


@pytest.mark.parametrize("text,span", [
    ("The company said on Monday that sales fell.", "Monday"),
    ("Sales fell in October.", "October"),
    ("Sales fell since March.", "March"),
    ("Sales fell in early June.", "early June"),
    ("They met last Friday.", "last Friday"),
])
def test_timeline_span_leaves_out_the_preposition(text, span):
    (d,) = find_dates(text, (0, len(text)), ANCHOR)
    assert d.text == span == text[d.start:d.end]


@pytest.mark.parametrize("anchor,expr,value", [
    (date(2020, 5, 1), "this week", "2020-04"),     # Mon 27 April - Sun 3 May: mostly April
    (date(2020, 4, 1), "this week", "2020-04"),     # Mon 30 March - Sun 5 April: mostly April
    (date(2020, 4, 1), "last week", "2020-03"),
    (date(2020, 3, 2), "next week", "2020-03"),
    (date(2021, 1, 1), "this week", "2020-12"),     # Mon 28 December - Sun 3 January
])
def test_timeline_week_counts_in_the_month_holding_most_of_it(anchor, expr, value):
    assert resolve_date(expr, anchor).value == value


def _timex(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str | None]]:
    return [(d.text, d.timex_value()) for d in find_dates(text, (0, len(text)), anchor)]


@pytest.mark.parametrize("text,span,timex,value", [
    # ISO weeks: Wednesday 2020-03-11 lies in 2020-W11
    ("The board met this week.", "this week", "2020-W11", "2020-03"),
    ("The board met last week.", "last week", "2020-W10", "2020-03"),
    ("The board meets next week.", "next week", "2020-W12", "2020-03"),
    # quarters, with a year or a year read against the publication date
    ("Profit fell in the first quarter of 2009.", "the first quarter of 2009", "2009-Q1", "2009"),
    ("Output dipped in Q3 2017.", "Q3 2017", "2017-Q3", "2017"),
    ("Losses grew in the fourth quarter of last year.", "the fourth quarter of last year", "2019-Q4", "2019"),
    ("Sales were flat in the final quarter of 2018.", "the final quarter of 2018", "2018-Q4", "2018"),
    # seasons
    ("The shop opened in the summer of 2015.", "the summer of 2015", "2015-SU", "2015"),
    ("The shop opened last autumn.", "last autumn", "2019-FA", "2019"),
    # a season naming a gathering or a sale: the season under way or last begun (publication date March 2020)
    ("The lenders held their spring meetings in Washington.", "spring", "2020-SP", "2020"),
    ("The shop closed for its winter sale.", "winter", "2019-WI", "2019"),
    # parts of the day, and weeks counted back to the day
    ("Shares slid this morning.", "this morning", "2020-03-11TMO", "2020-03-11"),
    ("Fans queued last night.", "last night", "2020-03-10TNI", "2020-03-10"),
    ("The store opened two weeks ago.", "two weeks ago", "2020-02-26", "2020-02"),
])
def test_timeline_timex_value_is_finer_than_the_calendar_value(text, span, timex, value):
    (d,) = find_dates(text, (0, len(text)), ANCHOR)
    assert (d.text, d.timex_value(), d.value) == (span, timex, value)


@pytest.mark.parametrize("text", [
    "The start of last week was quiet.",      # a part of a week is not the week
    "Sales rose by the end of this week.",
    "The rest of this year looks hard.",
])
def test_timeline_timex_value_not_finer_for_a_part(text):
    (d,) = find_dates(text, (0, len(text)), ANCHOR)
    assert d.timex is None and d.timex_value() == d.value


@pytest.mark.parametrize("text", ["The board met this week.", "Profit fell in the first quarter of last year."])
def test_timeline_timex_needs_the_publication_date_too(text):
    (d,) = find_dates(text, (0, len(text)), None)
    assert (d.value, d.timex, d.precision) == (None, None, "unknown")


@pytest.mark.parametrize("text,span,timex", [
    ("The singer currently lives in Lisbon.", "currently", "PRESENT_REF"),
    ("The band is now a trio.", "now", "PRESENT_REF"),
    ("Tickets are sold out for the time being.", "the time being", "PRESENT_REF"),
    ("The label recently changed hands.", "recently", "PAST_REF"),
    ("More recently, the pair toured Asia.", "More recently", "PAST_REF"),
    ("Ticket sales have slumped in recent years.", "recent years", "PAST_REF"),
    ("Critics blamed the recent slump on pricing.", "recent", "PAST_REF"),
    ("Such feuds were common in the past.", "the past", "PAST_REF"),
    ("The club must not repeat the errors of the past.", "the past", "PAST_REF"),
    ("A sequel is planned for the near future.", "the near future", "FUTURE_REF"),
    ("He may run for office in the future.", "the future", "FUTURE_REF"),
    ("Prices should stay high in the short term.", "the short term", "FUTURE_REF"),
    ("A decision will come very soon.", "very soon", "FUTURE_REF"),
])
def test_timeline_present_past_future_ref(text, span, timex):
    for anchor in (ANCHOR, None):   # no calendar date, so the same with or without a publication date
        (d,) = find_dates(text, (0, len(text)), anchor)
        assert (d.text, d.timex_value(), d.value, d.precision) == (span, timex, None, "unknown")
        assert d.future is (timex == "FUTURE_REF")


@pytest.mark.parametrize("text", [
    "The now-defunct label sold its catalogue.",        # inside a compound
    "Now that the tour is over, the band will rest.",   # a conjunction
    "Her most recent album sold poorly.",               # the latest of a series, not a time
    "The future of the club is unclear.",               # a noun, not a time of its own
    "The past three weeks were hectic.",                # a duration
    "Over the past decade, sales doubled.",
    "Most of the past two seasons were lost.",
    "She left as soon as the show ended.",
    "They soon afterwards moved to Rome.",
    "The soon-to-open store hired forty people.",
    "A long-term contract was signed.",
])
def test_timeline_not_a_present_past_future_ref(text):
    assert [d.timex_value() for d in find_dates(text, (0, len(text)), ANCHOR) if d.timex and "REF" in d.timex] == []


@pytest.mark.parametrize("text,span,value", [
    ("On Monday, the index fell 3% to end the day at 6,400.", "the day", "2020-03-09"),
    ("The shares rose on Friday and finished the day higher.", "the day", "2020-03-06"),
    ("Stocks slid on May 4, 2019, but recovered late in the day.", "late in the day", "2019-05-04"),
])
def test_timeline_the_day_names_the_day_given_before(text, span, value):
    assert [(d.text, d.value) for d in find_dates(text, (0, len(text)), ANCHOR) if d.text == span] == [(span, value)]


def test_timeline_the_day_names_the_last_day_of_an_earlier_sentence():
    first = "The index fell 4% on Tuesday. Losses a year ago were worse. Banks led the fall for the day."
    s0 = first.index("Banks")
    tuesday = find_dates(first, (0, s0), ANCHOR)[0]
    year_ago = find_dates(first, (0, s0), ANCHOR)[1]   # year precision: not what "the day" names
    (d,) = find_dates(first, (s0, len(first)), ANCHOR, (), year_ago, None, tuesday)
    assert (d.text, d.value, d.precision) == ("the day", "2020-03-10", "day")


@pytest.mark.parametrize("text", [
    "The index ended the day at 6,400.",                      # no day named before: nothing invented
    "On Monday she recalled the day her father died.",        # a day the sentence describes
    "On Monday, he said that at the end of the day, fans decide.",  # an idiom
    "On Monday, the defence carried the day.",
    "On Monday, a late goal saved the day.",
    "On Monday, the day-to-day work resumed.",
])
def test_timeline_the_day_not_a_date(text):
    assert [d.text for d in find_dates(text, (0, len(text)), ANCHOR) if "day" in d.text.lower()
            and not d.text.lower().endswith(("monday",))] == []


@pytest.mark.parametrize("text,want", [
    ("Mali died, on 24 February last year, after a long illness.", [("24 February last year", "2024-02-24")]),
    ("She left on February 24 last year.", [("February 24 last year", "2024-02-24")]),
    ("We met on 3 March this year.", [("3 March this year", "2025-03-03")]),
    ("He left in March last year.", [("March last year", "2024-03")]),
    # a day without a year after "two years later" is in that year, not the one before the report
    ("The appeal began in 2022. Two years later, on 21 February, Mali died.",
     [("2022", "2022"), ("Two years later", "2024"), ("21 February", "2024-02-21")]),
])
def test_timeline_a_day_takes_the_year_named_with_it(text, want):
    assert [(d.text, d.value) for d in find_dates(text, (0, len(text)), date(2025, 10, 15))] == want


def test_timeline_the_day_after_is_the_next_day():
    text = "They met on Monday and married the day after."
    assert [(d.text, d.value) for d in find_dates(text, (0, len(text)), ANCHOR) if "after" in d.text] == \
        [("the day after", "2020-03-10")]


@pytest.mark.parametrize("text,anchor,span,timex", [
    # the quarter nearest the publication date, by its middle month
    ("Profits doubled in the fourth quarter.", date(2021, 2, 3), "the fourth quarter", "2020-Q4"),
    ("The carmaker will cut output in the fourth quarter.", date(2021, 8, 20), "the fourth quarter", "2021-Q4"),
    ("Our third-quarter results were strong.", date(2021, 11, 2), "third-quarter", "2021-Q3"),
    # "the last quarter": the one before the publication date's own
    ("Sales rose 8% during the last quarter.", date(2021, 1, 15), "the last quarter", "2020-Q4"),
])
def test_timeline_quarter_without_year_in_a_money_sentence(text, anchor, span, timex):
    (d,) = find_dates(text, (0, len(text)), anchor)
    assert (d.text, d.timex_value(), d.value, d.precision) == (span, timex, timex[:4], "year")


@pytest.mark.parametrize("text,anchor", [
    ("Delaney scored 12 points in the fourth quarter.", ANCHOR),          # a game's quarter
    ("The team led by ten in the third quarter, and profits were not the point.", ANCHOR),
    ("She lived in the Latin Quarter for a year.", ANCHOR),
    ("About a quarter of the shares were sold.", ANCHOR),
])
def test_timeline_quarter_not_a_date(text, anchor):
    assert [d.text for d in find_dates(text, (0, len(text)), anchor) if "quarter" in d.text.lower()] == []


def test_timeline_quarter_without_year_or_publication_date_keeps_words():
    text = "Profits doubled in the fourth quarter."
    (d,) = find_dates(text, (0, len(text)), None)
    assert (d.text, d.value, d.timex, d.precision) == ("the fourth quarter", None, None, "unknown")


@pytest.mark.parametrize("text,span,value", [
    ("Ticket sales fell 20% last month from the previous year.", "the previous year", "2019"),
    ("The label earned $4 million in 2017, up from $3 million the year before.", "the year before", "2016"),
    ("Costs fell in June 2018, and they had risen the previous month.", "the previous month", "2018-05"),
])
def test_timeline_the_previous_year_counts_back_from_the_date_before(text, span, value):
    assert [(d.text, d.value) for d in find_dates(text, (0, len(text)), ANCHOR) if d.text == span] == [(span, value)]


def test_timeline_the_previous_year_counts_back_from_an_earlier_sentence():
    text = "The album came out in 2012. Its sales had doubled from the previous year."
    s0 = text.index("Its")
    before = find_dates(text, (0, s0), ANCHOR)[-1]
    (d,) = find_dates(text, (s0, len(text)), ANCHOR, (), before)
    assert (d.text, d.value) == ("the previous year", "2011")


@pytest.mark.parametrize("text", [
    "Sales fell from the previous year.",                       # nothing named before: no date invented
    "In 2017, the year before the wedding, they moved.",        # the year before an event, not a date before
    "In 2012, he beat the previous year's record.",             # a possessive: the record, not a time
    "In 2019 she released an album; the previous month was a blur.",  # month of a year-only date: unknown
])
def test_timeline_the_previous_year_not_a_date(text):
    assert [d.text for d in find_dates(text, (0, len(text)), ANCHOR) if "previous" in d.text or "before" in d.text] == []


@pytest.mark.parametrize("text,spans", [
    ("Cars of the 1970s were boxy.", [("1970s", "197")]),
    ("The band ruled the '80s and '90s.", [("'80s", "198"), ("'90s", "199")]),
    ("Such cars were common in the late 60s, 70s and 80s.", [("60s", "196"), ("70s", "197"), ("80s", "198")]),
    ("The fashion of the 2000s came back.", [("2000s", "200")]),
])
def test_timeline_decade_is_a_timex_value_only(text, spans):
    found = find_dates(text, (0, len(text)), ANCHOR)
    assert [(d.text, d.timex_value()) for d in found] == spans
    assert all(d.value is None and d.precision == "unknown" for d in found)   # no calendar date for the timeline


@pytest.mark.parametrize("text", [
    "The singer, in his 70s, still tours.",            # an age
    "Temperatures in 70s were forecast.",
    "She sold 70s memorabilia.",
])
def test_timeline_decade_not_a_date(text):
    assert _dates(text) == []


def test_timeline_decade_does_not_date_an_event_nor_resolve():
    assert resolve_date("the 1990s", ANCHOR) is None
    assert resolve_date("In the 1990s, and then in 2004.", ANCHOR).value == "2004"


@pytest.mark.parametrize("text,anchor,span,value", [
    ("The index hit its lowest level since '82.", date(2008, 10, 27), "'82", "1982"),
    ("Sales have not been this high since '05.", date(2008, 10, 27), "'05", "2005"),
])
def test_timeline_two_digit_year_after_a_preposition(text, anchor, span, value):
    assert _dates(text, anchor) == [(span, value)]


@pytest.mark.parametrize("text", [
    "She sang '82 Blues on stage.",          # no preposition before it
    "The '82s were a fine vintage.",
])
def test_timeline_two_digit_year_not_a_date(text):
    assert _dates(text, date(2008, 10, 27)) == []


@pytest.mark.parametrize("text,value", [
    ("The label lost $4 million in the third quarter of 2017 and $9 million for the entire year.", "2017"),
    ("By April 2, 2019, the shop had passed its rival, which had led at the beginning of the year.", "2019"),
    ("Sales should recover by the end of the year.", "2020"),      # nothing before: the publication year
])
def test_timeline_the_year_is_the_year_of_the_date_before(text, value):
    assert [d.value for d in find_dates(text, (0, len(text)), ANCHOR) if d.text.endswith(" year")] == [value]


@pytest.mark.parametrize("text", [
    "In 2019 she was named artist of the year.",
    "In 2019, it was the year of the comeback.",
    "In 2019, the year-end show sold out.",
])
def test_timeline_the_year_alone_not_a_date(text):
    assert [d.text for d in find_dates(text, (0, len(text)), ANCHOR)] == ["2019"]


def test_timeline_the_year_without_any_date_keeps_words():
    text = "Sales should recover by the end of the year."
    (d,) = find_dates(text, (0, len(text)), None)
    assert (d.text, d.value, d.precision) == ("the end of the year", None, "unknown")


@pytest.mark.parametrize("text,span,value,timex", [
    ("Ticket sales rose 9% in February from the same period last year.",
     "the same period last year", "2019-02", "2019-02"),
    ("Sales fell in January 2018, compared to the same month a year ago.", "the same month a year ago", "2017-01", "2017-01"),
    ("The label earned $3 million in the third quarter of 2019, against $2 million in the same period a year earlier.",
     "the same period a year earlier", "2018", "2018-Q3"),
    ("She signed on May 4, 2019, and he signed the same day a year earlier.", "the same day a year earlier",
     "2018-05-04", "2018-05-04"),
    # a day given before is no period: only last year is sure
    ("The quarter ended on June 30, 2019, and profit doubled from the same period last year.",
     "the same period last year", "2019", "2019"),
    # nothing given before: last year, read against the publication date
    ("Profit doubled from the same period last year.", "the same period last year", "2019", "2019"),
])
def test_timeline_the_same_period_last_year(text, span, value, timex):
    got = [(d.text, d.value, d.timex_value()) for d in find_dates(text, (0, len(text)), ANCHOR) if "same" in d.text]
    assert got == [(span, value, timex)]


def test_timeline_the_same_period_without_any_date_keeps_words():
    text = "Profit doubled from the same period last year."
    (d,) = find_dates(text, (0, len(text)), None)
    assert (d.text, d.value, d.precision) == ("the same period last year", None, "unknown")


@pytest.mark.parametrize("text,units", [
    ("The tour ran from 2009 to 2011.", [("2009", "2009"), ("2011", "2011")]),
    ("Jets arrive between 2014 and 2016.", [("2014", "2014"), ("2016", "2016")]),
    ("She lived there from March 2004 to June 2011.", [("March 2004", "2004-03"), ("June 2011", "2011-06")]),
    ("He coached from May 5th, 2001 until 3 June 2002.", [("May 5th, 2001", "2001-05-05"), ("3 June 2002", "2002-06-03")]),
    ("Output was weak between April and June.", [("April", "2020-04"), ("June", "2020-06")]),
])
def test_timeline_span_has_two_timex_units(text, units):
    (d,) = find_dates(text, (0, len(text)), date(2020, 11, 18))
    assert d.end_value is not None                                   # the timeline keeps the span whole
    assert [(u.text, u.value) for u in d.timex_units()] == units
    assert all(text[u.start:u.end] == u.text for u in d.timex_units())


def test_timeline_single_date_is_its_own_timex_unit():
    (d,) = find_dates("They met in 2009.", (0, 17), ANCHOR)
    assert d.timex_units() == (d,)


@pytest.mark.parametrize("text,dates", [
    ("The Russell 2000 Index fell 4%.", []),                               # a number in a name
    ("He still runs Windows 2000 Server at home.", []),
    ("Apple Sales Rise In 2008 Despite Slump", [("2008", "2008")]),        # a title-case headline: still a year
    ("In 2008 Apple sold more phones.", [("2008", "2008")]),
    ("The Blue Jays won in 1993 and lost the next year.", [("1993", "1993"), ("the next year", "1994")]),
])
def test_timeline_year_inside_a_name(text, dates):
    assert _dates(text) == dates


def test_timeline_day_inside_an_event_name_is_not_read_against_the_publication_date():
    from counterpoint.model import Entity
    text = "Markets have not fallen this far since the September 11th attacks."
    i = text.index("the September")
    ev = Entity(i, i + len("the September 11th attacks"), "EVENT", "the September 11th attacks")
    assert find_dates(text, (0, len(text)), ANCHOR, [ev]) == []
    assert [d.value for d in find_dates(text, (0, len(text)), ANCHOR)] == ["2019-09-11"]   # without the entity
    text = "The attacks of September 11, 2001 shook markets."                  # with its year it is a date
    j = text.index("September")
    ev = Entity(j, j + len("September 11, 2001"), "EVENT", "September 11, 2001")
    assert [d.value for d in find_dates(text, (0, len(text)), ANCHOR, [ev])] == ["2001-09-11"]


@pytest.mark.parametrize("text,dates", [
    # counted from a date earlier in the same sentence, not from the publication date
    ("They met in 2009 and married the following year.", [("2009", "2009"), ("the following year", "2010")]),
    ("They met in March 2009 and split two years later.", [("March 2009", "2009-03"), ("two years later", "2011")]),
    ("They met in 2009 and married the next year.", [("2009", "2009"), ("the next year", "2010")]),
    # "over the next year" is a stretch from now, not the year after a date
    ("Sales will grow over the next year.", [("next year", "2021")]),
    # nothing before: the words only
    ("They married the following year.", [("the following year", None)]),
])
def test_timeline_later_counts_from_a_date_in_the_same_sentence(text, dates):
    assert _dates(text) == dates


@pytest.mark.parametrize("text,dates", [
    ("Shops reported their January sales.", [("January", "2020-01")]),
    ("The band will play its June concert in Lisbon.", [("June", "2020-06")]),
    ("The label said the February figures were weak.", [("February", "2020-02")]),
    ("They met in May 2015 and held their October wedding in Rome.", [("May 2015", "2015-05"), ("October", "2015-10")]),
])
def test_timeline_month_naming_what_follows(text, dates):
    assert _dates(text) == dates


@pytest.mark.parametrize("text", [
    "She joined the March on Washington.",          # a name
    "Fans greeted the June Carter tribute.",
    "Her April Fools prank went viral.",
    "They may sell the May.",                        # no noun after it
])
def test_timeline_month_naming_what_follows_not_a_date(text):
    assert _dates(text) == []


@pytest.mark.parametrize("text,tense", [
    ("The market will reopen on Friday.", "future"),
    ("Markets stayed closed until Friday.", "future"),
    ("The market reopened on Friday.", "past"),
    ("Profits rose on Friday.", "past"),
    ("The market is open on Friday.", None),
    ("He said on Friday that the plant will close.", "past"),
    ("The plant that closed will reopen on Friday.", "future"),
])
def test_timeline_clause_tense(text, tense):
    i = text.index("Friday")
    assert timeline.clause_tense(text, i, i + len("Friday")) == tense


def test_timeline_find_dates_offsets_in_article_text():
    text = "Intro. They wed on May 14, 2019 and split in 2021. End."
    s0 = text.index("They")
    s1 = text.index(" End")
    found = find_dates(text, (s0, s1), None)
    assert [text[d.start:d.end] for d in found] == ["May 14, 2019", "2021"]
    assert all(text[d.start:d.end] == d.text for d in found)


@pytest.mark.parametrize("published,anchor", [
    ("2020-03-11", date(2020, 3, 11)), ("2020-03-11T09:00:00Z", date(2020, 3, 11)),
    (None, None), ("", None), ("March 2020", None), ("2020-13-40", None),
])
def test_timeline_parse_anchor(published, anchor):
    assert parse_anchor(published) == anchor


@pytest.mark.parametrize("a,b,conflict", [
    ("2016-12", "2017", True), ("2016", "2016-12", False), ("2016-11", "2016-12", True),
    ("2016-12-01", "2016-12", False), ("2016", "2016", False), (None, "2016", False),
])
def test_timeline_dates_conflict(a, b, conflict):
    assert dates_conflict(a, b) is conflict


@pytest.mark.parametrize("value,text", [
    ("2011", "2011"), ("2011-07", "July 2011"), ("2011-07-04", "July 4, 2011"), (None, "an unknown date"),
])
def test_timeline_format_date(value, text):
    assert format_date(value) == text


# --- events on a real parse ---------------------------------------------------

def mentions_of(article: Article) -> list[Mention]:
    out, taken = [], []
    for pid, names in ALIASES.items():
        for name in names:
            for m in re.finditer(re.escape(name), article.text):
                if any(m.start() < e and m.end() > s for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                out.append(Mention(doc=article.id, start=m.start(), end=m.end(), text=name, member=pid))
    return sorted(out, key=lambda m: m.start)


@pytest.fixture(scope="module")
def nlp():
    from counterpoint.resources import Resources
    return Resources().nlp


def events_in(nlp, text: str, published: str | None = "2020-03-11", mentions: bool = True):
    from counterpoint.stages.language import annotate
    art = Article(id="d1", source="t", text=text, published=published)
    ann = annotate([art], nlp)["d1"]
    return find_events(art, ann, mentions_of(art) if mentions else [], None, KINDS,
                       frozenset({"say", "tell", "announce"}))


def event_rows(nlp, text: str) -> list[tuple]:
    """(kind, participants, date value) of each event found in ``text``: what the row tables list (an undated
    mention kept only as another source of an event others date is no row of its own)."""
    return [(e.kind, e.participants, e.date.value if e.date else None) for e in events_in(nlp, text)
            if not e.attach_only]


EVENT_ROWS = [
    # text, expected [(kind, participants, date value)]
    ("Delaney apologised to Renée Castillo in May 2019.", [("apology", ("p1", "p2"), "2019-05")]),
    # killed is a death; riding a bicycle on a day is no event
    ("Castillo was killed by a box truck on Sept. 23, 2019.", [("death", ("p2",), "2019-09-23")]),
    ("Castillo was riding her bicycle home on Sept. 23, 2019.", []),
    ("Fix the corner that killed Castillo in 2019, Delaney said.", []),
    # a broadcaster's or a club's dismissal, a fine, a heart attack, rehab, a formal warning
    ("The Boston Celtics dropped the coach on 11 March 2025.", [("dismissal", ("p3",), "2025-03-11")]),
    ("Delaney was taken off air on 11 March 2025.", [("dismissal", ("p1",), "2025-03-11")]),
    ("The Boston Celtics were fined £3.8 million in November 2022.", [("fine", ("p3",), "2022-11")]),
    ("Delaney had a heart attack in February 2014.", [("heart attack", ("p1",), "2014-02")]),
    ("Delaney went into rehab in the summer of 2015.", [("rehab", ("p1",), "2015")]),
    ("Delaney was given a formal warning in 2019.", [("warning", ("p1",), "2019")]),
    ("The price dropped in March 2025.", []),
    # "he" is never the woman named last; a noun after "with" happened to the verb's subject
    ("Marcus Delaney spoke. Renée Castillo answered. He collapsed on set with a heart attack in February 2014.",
     [("heart attack", ("p1",), "2014-02")]),
    ("The Boston Celtics arena was damaged by fire in 2007.", [("damage", ("p3",), "2007")]),
    ("Delaney married Renée Castillo in July 2011.", [("marriage", ("p1", "p2"), "2011-07")]),
    ("Delaney and Castillo tied the knot in the summer of 2015.", [("marriage", ("p1", "p2"), "2015")]),
    ("Delaney married Renée Castillo in July 2011, two years after they met in 2009.",
     [("marriage", ("p1", "p2"), "2011-07"), ("meeting", ("p1", "p2"), "2009")]),
    ("Castillo filed for divorce in March 2015, and the divorce was finalized in December 2016.",
     [("divorce/filed", ("p2",), "2015-03"), ("divorce", ("p2",), "2016-12")]),
    ("Delaney was traded to the Boston Celtics in 2014.", [("trade", ("p1", "p3"), "2014")]),
    ("Castillo was rushed to hospital last December after an overdose.",
     [("hospitalization", ("p2",), "2019-12")]),
    ("Delaney was arrested yesterday.", [("arrest", ("p1",), "2020-03-10")]),
    ("Delaney, who retired in 2018, thanked his fans.", [("retirement", ("p1",), "2018")]),
    ("Delaney and Castillo got engaged.", [("engagement", ("p1", "p2"), None)]),
    ("Delaney met Castillo in June 2011 and they were married by July.",
     [("meeting", ("p1", "p2"), "2011-06"), ("marriage", ("p1", "p2"), "2011-07")]),
    # the date of the report is not the date of the event
    ("Delaney said on Monday that Castillo had been hospitalized.", [("hospitalization", ("p2",), None)]),
    # negative rows: nothing happened (yet), or nothing is asserted
    ("Delaney never married.", []),
    # nearly died is no death; "after an overdose" mentions the overdose to date something else
    ("In October 2015, Delaney nearly died after an overdose.", []),
    ("Delaney did not marry Castillo in 2011.", []),
    ("If he relapses, Delaney will be hospitalized again.", []),
    ("I hope Delaney and Castillo get back together.", []),
    ("Delaney and Castillo should reunite.", []),
    ("The couple plan to marry next year.", []),
    ("Delaney is going to retire.", []),
    ("Will Delaney and Castillo marry in 2021?", []),
    ("Fans want Delaney and Castillo to reconcile.", []),
    # "after the divorce" dates the move, not the divorce
    ("In 2019, after the divorce, Delaney moved to Spain.", [("relocation", ("p1",), "2019")]),
    ("Delaney said it in a statement.", []),
    ("The wedding photographer Delaney hired was late.", []),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", EVENT_ROWS)
def test_timeline_find_events(nlp, text, expected):
    got = event_rows(nlp, text)
    assert got == expected


@pytest.mark.slow
def test_timeline_relative_date_without_publication_is_kept_as_text(nlp):
    (ev,) = events_in(nlp, "Delaney was arrested last December.", published=None)
    assert ev.date.value is None and ev.date.precision == "unknown" and ev.date.text == "last December"


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    ("Delaney was recently arrested.", [("arrest", ("p1",), None, None)]),
    ("Castillo soon married Delaney.", [("marriage", ("p1", "p2"), None, None)]),
    ("Delaney, who is now retired, was arrested in 2018.", [("arrest", ("p1",), "2018", "2018")]),
])
def test_timeline_present_past_future_ref_dates_no_event(nlp, text, expected):
    # "recently", "now", "soon" name no date: the event stays undated, never dated "(recently)" or dropped as future
    got = [(e.kind, e.participants, e.date.value if e.date else None, e.date.text if e.date else None)
           for e in events_in(nlp, text) if e.kind in ("arrest", "marriage")]
    assert got == expected


@pytest.mark.slow
def test_timeline_the_same_day_dates_an_event_from_the_last_day_given(nlp):
    evs = events_in(nlp, "Delaney was arrested on May 4, 2019. Two years ago he retired. "
                         "Castillo filed for divorce the same day.")
    assert [(e.kind.split("/")[0], e.date.value) for e in evs if e.kind.startswith("divorce")] == [("divorce", "2019-05-04")]


@pytest.mark.slow
def test_timeline_works_without_cast(nlp):
    evs = events_in(nlp, "They married in July 2011. He never divorced.", mentions=False)
    assert [(e.kind, e.participants, e.date.value) for e in evs] == [("marriage", (), "2011-07")]


@pytest.mark.slow
def test_timeline_pronoun_participants(nlp):
    evs = events_in(nlp, "Marcus Delaney met Renée Castillo in 2009. They married in July 2011.")
    assert [(e.kind, e.participants) for e in evs] == [("meeting", ("p1", "p2")), ("marriage", ("p1", "p2"))]


# --- merge, pure --------------------------------------------------------------

def em(doc, kind, participants, value, text=None, start=0, precision=None):
    prec = precision or {4: "year", 7: "month", 10: "day"}.get(len(value or ""), "unknown")
    d = DateMention(start, start + 4, text or (value or ""), value, prec) if value or text else None
    return EventMention(doc, kind, start, start + 40, f"sentence in {doc}", kind, tuple(participants), d)


def test_timeline_merge_same_event_across_sources_keeps_each_date():
    evs = merge_events([
        em("d1", "divorce", ["p1", "p2"], "2016-12", text="December 2016"),
        em("d2", "divorce", ["p2"], "2016"),
        em("d3", "divorce", ["p1"], "2017"),
    ], NAMES)
    (ev,) = evs
    assert ev.date.value == "2016-12"          # two sources agree with it, one is more precise
    assert [(s.doc, s.date_value) for s in ev.sources] == [("d1", "2016-12"), ("d2", "2016"), ("d3", "2017")]
    assert ev.participants == ("p1", "p2")
    assert ev.summary == "Marcus Delaney and Renée Castillo divorced (December 2016)"


def test_timeline_merge_order_and_ids():
    mentions = [
        em("d1", "arrest", ["p1"], None, text=None),
        em("d1", "marriage", ["p1", "p2"], "2011-07", text="July 2011"),
        em("d2", "trade", ["p1", "p3"], "2014"),
        em("d2", "divorce", ["p1", "p2"], "2016"),
    ]
    evs = merge_events(mentions, NAMES)
    assert [e.type for e in evs] == ["marriage", "trade", "divorce", "arrest"]   # undated last
    assert evs[0].summary == "Marcus Delaney and Renée Castillo married (July 2011)"
    assert evs[1].summary == "Trade involving Marcus Delaney and Boston Celtics (2014)"
    assert evs[3].date == DateValue(value=None, precision="unknown")
    again = merge_events(list(mentions), NAMES)
    assert [e.id for e in evs] == [e.id for e in again]
    assert len({e.id for e in evs}) == 4 and all(e.id.startswith("e") for e in evs)


@pytest.mark.parametrize("mentions,n", [
    # repeatable events with different dates are different events
    ([em("d1", "arrest", ["p1"], "2014"), em("d2", "arrest", ["p1"], "2019")], 2),
    ([em("d1", "arrest", ["p1"], "2019-03"), em("d2", "arrest", ["p1"], "2019")], 1),
    # once-only events with different dates are one event told two ways
    ([em("d1", "marriage", ["p1", "p2"], "2011"), em("d2", "marriage", ["p2"], "2015")], 1),
    # different people, different events
    ([em("d1", "marriage", ["p1"], "2011"), em("d2", "marriage", ["p3"], "2011")], 2),
    # nobody named on either side: same type is enough
    ([em("d1", "closure", [], "2011"), em("d2", "closure", [], "2011")], 1),
    # filing for divorce is not the divorce
    ([em("d1", "divorce/filed", ["p1"], "2015"), em("d2", "divorce", ["p1"], "2016")], 2),
    # founded and opened in the same year by the same people: one event; years apart, or undated: two
    ([em("d1", "founding", ["p3"], "2019"), em("d2", "opening", ["p3"], "2019")], 1),
    ([em("d1", "founding", ["p3"], "1946"), em("d2", "opening", ["p3"], "2019")], 2),
    ([em("d1", "founding", ["p3"], "2019"), em("d2", "opening", ["p3"], None)], 2),
    # kindred only within its list: a closure is never an opening
    ([em("d1", "closure", ["p3"], "2019"), em("d2", "opening", ["p3"], "2019")], 2),
])
def test_timeline_merge_rules(mentions, n):
    assert len(merge_events(mentions, NAMES)) == n


def test_timeline_undated_founding_joins_the_dated_opening_of_the_same_institution():
    kinds = {"p1": "person", "p2": "person", "p3": "organization"}
    # "Castillo, who founded the Celtics" and "the Celtics, which opened in 2019": one start, dated 2019
    (ev,) = merge_events([em("d1", "opening", ["p3"], "2019"), em("d1", "founding", ["p2", "p3"], None, start=90)],
                         NAMES, kinds=kinds)
    assert ev.type == "opening" and ev.date.value == "2019"
    assert [s.doc for s in ev.sources] == ["d1", "d1"]
    # sharing only a person is not enough: somebody who opened one thing in 2019 and founded another
    evs = merge_events([em("d1", "opening", ["p2"], "2019"), em("d1", "founding", ["p2"], None, start=90)],
                       NAMES, kinds=kinds)
    assert len(evs) == 2
    # without the cast's kinds nothing says the shared participant is an institution
    assert len(merge_events([em("d1", "opening", ["p3"], "2019"), em("d1", "founding", ["p3"], None, start=90)],
                            NAMES)) == 2


def _since(doc, participants, value, start=200):
    return replace(em(doc, "since", participants, value, start=start), attach_only=True)


@pytest.mark.parametrize("mentions,sources", [
    # "Delaney, chief executive since 2019": another source of the appointment another source dates in March 2019
    ([em("d1", "appointment", ["p1"], "2019-03"), _since("d2", ["p1"], "2019")], ["d1", "d2"]),
    # "the Celtics have played at the arena since March 1968" and its opening in 1968
    ([em("d1", "opening", ["p3"], "1968"), _since("d2", ["p3"], "1968-03")], ["d1", "d2"]),
    # a fine is no start of anything; another year, another month, or nobody shared: no source
    ([em("d1", "fine", ["p1"], "2019"), _since("d2", ["p1"], "2019")], ["d1"]),
    ([em("d1", "appointment", ["p1"], "2019-03"), _since("d2", ["p1"], "2018")], ["d1"]),
    ([em("d1", "appointment", ["p1"], "2019-03"), _since("d2", ["p1"], "2019-05")], ["d1"]),
    ([em("d1", "appointment", ["p1"], "2019-03"), _since("d2", ["p2"], "2019")], ["d1"]),
    # two starts it could be (joined the Celtics, married Castillo, both 2019): neither
    ([em("d1", "joining", ["p1", "p3"], "2019"), em("d1", "marriage", ["p1", "p2"], "2019", start=90),
      _since("d2", ["p1"], "2019")], ["d1", "d1"]),
])
def test_timeline_since_a_date_is_another_source_of_the_start_of_that_state(mentions, sources):
    evs = merge_events(mentions, NAMES)
    assert sorted(s.doc for e in evs for s in e.sources) == sources


def test_timeline_a_work_named_with_its_year_is_another_source_of_its_release():
    def work(doc, member, value):
        return replace(em(doc, "work", [member], value, start=300), attach_only=True)

    # "from “Tidewater” in 2011 ...": the album's release, which another source dates 2011
    (ev,) = merge_events([em("d1", "release", ["p1", "p3"], "2011"), work("d2", "p3", "2011")], NAMES)
    assert [s.doc for s in ev.sources] == ["d1", "d2"]
    # another year, or an event that is no release of it: nothing
    assert [len(e.sources) for e in merge_events([em("d1", "release", ["p3"], "2011"), work("d2", "p3", "2012")],
                                                 NAMES)] == [1]
    assert [len(e.sources) for e in merge_events([em("d1", "marriage", ["p3"], "2011"), work("d2", "p3", "2011")],
                                                 NAMES)] == [1]


@pytest.mark.slow
def test_timeline_dated_work_found_in_text(res):
    from counterpoint.pipeline import analyze

    arts = [Article(id="d1", source="a.txt", published="2026-03-15",
                    text='Marcus Delaney\'s debut album, "Tidewater", came out in 2011.'),
            Article(id="d2", source="b.txt", published="2026-03-16",
                    text="I have reviewed every record he has made, from \u201cTidewater\u201d in 2011 to now.")]
    story = analyze(articles=arts, res=res)
    (ev,) = [e for e in story.events if e.type == "release"]
    assert ev.date.value == "2011" and [s.doc for s in ev.sources] == ["d1", "d2"]


def test_timeline_an_event_on_the_calendar_is_the_one_that_then_happened():
    ahead = replace(em("d1", "vigil", ["p3"], "2020-03-14"), scheduled=True)
    after = em("d2", "vigil", ["p3"], "2020-03-14")
    (ev,) = merge_events([ahead, after], NAMES)
    assert [s.doc for s in ev.sources] == ["d1", "d2"] and not ev.scheduled
    # another day: two vigils
    assert len(merge_events([ahead, em("d2", "vigil", ["p3"], "2020-03-21")], NAMES)) == 2


@pytest.mark.slow
def test_timeline_since_a_date_found_in_text(res):
    from counterpoint.pipeline import analyze

    arts = [Article(id="d1", source="a.txt", published="2026-03-15",
                    text="Marcus Delaney was appointed chief executive of Harbour Foods in March 2019."),
            Article(id="d2", source="b.txt", published="2026-03-16",
                    text="Marcus Delaney, chief executive since 2019, accepted a large bonus last year. "
                         "Delaney has lived in Leeds since 2012.")]
    story = analyze(articles=arts, res=res)
    (ev,) = [e for e in story.events if e.type == "appointment"]
    assert ev.date.value == "2019-03" and [s.doc for s in ev.sources] == ["d1", "d2"]
    assert "since 2019" in ev.sources[1].text and not any("Leeds" in s.text for e in story.events for s in e.sources)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Campaigners urged the council to accept places at the Boston Celtics, a 40-hectare site that opened in 2019.",
    "The Celtics, which opened in 2019 and cares for five elephants, has offered three places.",
])
def test_timeline_place_a_relative_clause_hangs_on_is_what_opened(nlp, text):
    from counterpoint.stages.language import annotate
    art = Article(id="d1", source="t", text=text, published="2020-03-11")
    ann = annotate([art], nlp)["d1"]
    kinds = dict(KINDS, p3="place")
    evs = find_events(art, ann, mentions_of(art), None, kinds, frozenset({"say", "tell", "announce"}))
    assert [(e.kind, e.participants, e.date.value) for e in evs] == [("opening", ("p3",), "2019")]


@pytest.mark.slow
@pytest.mark.parametrize("text,kind", [
    # the relative clause is another clause's, not the vote's
    ("The council's cabinet voted on Tuesday to stop paying for the ferry, the passenger crossing of the Celtics "
     "estuary that has linked the village to the town for four hundred years.", "vote"),
    # "the museum in Boston, which opened": the museum opened, not the town
    ("The minister, Marcus Delaney, said that the national museum in Boston, which opened in 2023, had new "
     "galleries.", "opening"),
    # a lower-case noun the tagger calls a proper noun; nor does the minister stand in for the museum
    ("The Keth Islands’ culture minister, Marcus Delaney, said in a statement that the national museum in Boston "
     "Celtics, which opened in 2023, had climate-controlled galleries built.", "opening"),
])
def test_timeline_place_near_a_relative_clause_is_not_always_its_subject(nlp, text, kind):
    from counterpoint.stages.language import annotate
    art = Article(id="d1", source="t", text=text, published="2020-03-11")
    ann = annotate([art], nlp)["d1"]
    evs = find_events(art, ann, mentions_of(art), None, dict(KINDS, p3="place"), frozenset({"say", "tell"}))
    assert [e for e in evs if e.kind == kind]
    assert all("p3" not in e.participants and "p1" not in e.participants for e in evs if e.kind == kind)


def test_timeline_kindred_event_named_by_most_sources():
    evs = merge_events([
        em("d1", "founding", ["p3"], "2019"),
        em("d2", "opening", ["p3"], "2019"),
        em("d3", "opening", ["p3"], "2019"),
    ], NAMES)
    (ev,) = evs
    assert ev.type == "opening"
    assert [s.doc for s in ev.sources] == ["d1", "d2", "d3"]
    # a tie: the first source's word
    (ev,) = merge_events([em("d1", "founding", ["p3"], "2019"), em("d2", "opening", ["p3"], "2019")], NAMES)
    assert ev.type == "founding"


def test_timeline_quoted_today_gives_way_to_the_day_other_sources_give():
    report = em("d1", "march", ["p3"], "2025-03-15")
    blog = replace(em("d2", "march", ["p3"], "2025-03-16", text="today"), spoken=True)
    (ev,) = merge_events([report, blog], NAMES)
    assert ev.date.value == "2025-03-15"
    assert [(s.doc, s.date_value, s.date_text) for s in ev.sources] == [
        ("d1", "2025-03-15", "2025-03-15"), ("d2", None, "today")]
    # a quoted "today" that is the only date still dates the event, and one a week off is still a conflict
    (ev,) = merge_events([replace(blog)], NAMES)
    assert ev.date.value == "2025-03-16"
    far = replace(em("d2", "march", ["p3"], "2025-03-22", text="today"), spoken=True)
    (ev,) = merge_events([report, far], NAMES)
    assert [s.date_value for s in ev.sources] == ["2025-03-15", "2025-03-22"]


@pytest.mark.slow
def test_timeline_first_person_is_the_author_the_cast_holds(nlp):
    from counterpoint.stages.language import annotate
    text = "For anyone new: I worked at the plant from 1984 until I retired in 2016."
    art = Article(id="d1", source="t", text=text, published="2025-09-13", author="Marcus Delaney")
    ann = annotate([art], nlp)["d1"]
    rows = [(e.kind, e.participants, e.date.value) for e in find_events(art, ann, [], None, KINDS, frozenset(),
                                                                          author_id="p1")]
    assert rows == [("retirement", ("p1",), "2016")]
    # no author in the cast: nobody is invented
    rows = [(e.kind, e.participants) for e in find_events(art, ann, [], None, KINDS, frozenset())]
    assert ("retirement", ("p1",)) not in rows


@pytest.mark.slow
def test_timeline_she_is_never_the_man_the_story_calls_her_husband(nlp):
    from counterpoint.stages.language import annotate
    from counterpoint.model import CastMember
    from counterpoint.stages import quotes

    def story_genders(st, kinds):   # the quote stage reads them; the timeline takes them from the story
        cast = tuple(CastMember(id=c, name=names[c][0], kind=k, aliases=tuple(names[c]), mentions=())
                     for c, k in kinds.items())
        return quotes.run(st.model_copy(update={"cast": cast}), None).genders
    # "Sam" is a given name of either gender: only the story's words say which
    names = {"p1": ["Sam Rook", "Rook"], "p2": ["Tess Quill", "Quill"]}
    kinds = {"p1": "person", "p2": "person"}
    texts = {"d1": "Tess Quill sang with her former husband and bandmate, Sam Rook.",
             "d2": "Quill walked on during her ex-husband Sam Rook's solo set. Crowds cheered. "
                   "She was arrested two years later."}
    arts = [Article(id=d, source=d, text=t, published="2025-03-10") for d, t in texts.items()]
    anns = annotate(arts, nlp)
    mentions = []
    for a in arts:
        for pid, forms in names.items():
            for m in re.finditer("|".join(forms), a.text):
                if not any(x.doc == a.id and x.start <= m.start() < x.end for x in mentions):
                    mentions.append(Mention(doc=a.id, start=m.start(), end=m.end(), text=m.group(), member=pid))
    mentions.sort(key=lambda m: (m.doc, m.start))
    story = Story(articles=tuple(arts), annotations=anns, mentions=tuple(mentions))
    genders = story_genders(story, kinds)
    assert genders["p1"] == "m"
    # one source alone: either noun is enough
    for d in ("d1", "d2"):
        one = story.model_copy(update={"articles": tuple(a for a in arts if a.id == d),
                                       "mentions": tuple(m for m in mentions if m.doc == d)})
        assert story_genders(one, kinds).get("p1") == "m"
    d2 = [m for m in mentions if m.doc == "d2"]
    arrests = lambda g: [e.participants for e in find_events(arts[1], anns["d2"], d2, None, kinds,  # noqa: E731
                                                             frozenset(), genders=g) if e.kind == "arrest"]
    assert arrests(genders) == [("p2",)]
    assert arrests(None) == [("p1",)]       # what the words alone would not have told


@pytest.mark.slow
def test_timeline_quoted_deictic_day_is_marked_spoken(nlp):
    (said,) = events_in(nlp, '"Delaney was arrested yesterday," Castillo said.')
    (told,) = events_in(nlp, "Delaney was arrested yesterday.")
    assert said.spoken and not told.spoken
    assert said.date.value == told.date.value == "2020-03-10"


@pytest.mark.slow
def test_timeline_name_with_ampersand_is_the_object(nlp):
    from counterpoint.stages.language import annotate
    text = "Delaney opened Hearth & Salt in 2016. The restaurant went bankrupt in 2020."
    art = Article(id="d1", source="t", text=text, published="2024-01-01")
    ann = annotate([art], nlp)["d1"]
    start = text.index("Hearth")
    mentions = [Mention(doc="d1", start=0, end=7, text="Delaney", member="p1"),
                Mention(doc="d1", start=start, end=start + 13, text="Hearth & Salt", member="p4")]
    evs = find_events(art, ann, mentions, None, {**KINDS, "p4": "organization"}, frozenset({"say"}))
    rows = [(e.kind, e.participants, e.date.value if e.date else None) for e in evs if not e.attach_only]
    assert ("opening", ("p1", "p4"), "2016") in rows
    assert any(kind == "bankruptcy" and value == "2020" for kind, _, value in rows)


def test_timeline_run_with_empty_cast_and_no_annotations():
    story = Story(articles=(Article(id="d1", source="x", text="Nothing here."),))
    assert timeline.run(story, None).events == ()


@pytest.mark.slow
def test_timeline_run_end_to_end(nlp):
    from counterpoint.stages.language import annotate
    arts = [
        Article(id="d1", source="a", title="Ring Side", text="Marcus Delaney married Renée Castillo in July 2011."),
        Article(id="d2", source="b", title="Fan blog", text="Delaney and Castillo tied the knot in 2012."),
    ]
    mentions = [m for a in arts for m in mentions_of(a)]
    cast = tuple(CastMember(id=p, name=NAMES[p], kind=KINDS[p], aliases=(), mentions=(DocCount(doc="d1", count=1),))
                 for p in ("p1", "p2", "p3"))
    story = Story(articles=tuple(arts), annotations=annotate(arts, nlp), cast=cast, mentions=tuple(mentions))
    (ev,) = timeline.run(story, None).events
    assert ev.type == "marriage" and ev.date.value == "2011-07"
    assert [(s.doc, s.date_value) for s in ev.sources] == [("d1", "2011-07"), ("d2", "2012")]
    for s in ev.sources:
        assert story.article(s.doc).text[s.start:s.end] == s.text


@pytest.mark.slow
def test_timeline_date_of_a_conjoined_verb_is_not_the_events(nlp):
    events = events_in(nlp, "Castillo, who was born in Vancouver and moved to Portland in 2006, spoke to reporters.")
    assert all(e.date is None or e.date.value != "2006" for e in events if e.kind == "birth")


@pytest.mark.parametrize("text,prev,expected", [
    ("Two years later they separated.", "2012-06", ("Two years later", "2014", "year")),
    ("Eight months later she filed for divorce.", "2012-06", ("Eight months later", "2013-02", "month")),
    ("The following year he retired.", "2015", ("The following year", "2016", "year")),
    ("A year afterwards the album came out.", "2019-03", ("A year afterwards", "2020", "year")),
    ("Two years later they separated.", None, ("Two years later", None, "unknown")),  # no earlier date: text only
])
def test_timeline_dates_relative_to_an_earlier_date(text, prev, expected):
    from counterpoint.stages.timeline import DateMention

    before = DateMention(0, 0, "x", prev, "month" if prev and len(prev) == 7 else "year") if prev else None
    (d,) = find_dates(text, (0, len(text)), ANCHOR, (), before)
    assert (d.text, d.value, d.precision) == expected


@pytest.mark.slow
def test_timeline_two_years_later_counts_from_the_last_date_given(res):
    from counterpoint.pipeline import analyze

    text = ("Singer Ana Ruiz and actor Tom Bell married in June 2012. They moved to Austin. "
            "Two years later they separated.")
    story = analyze(articles=[Article(id="d1", source="a.txt", text=text, published="2026-03-15")], res=res)
    dates = {e.type: e.date.value for e in story.events}
    assert dates.get("marriage") == "2012-06" and dates.get("separation") == "2014"


@pytest.mark.parametrize("text,expected", [
    ("The divorce was finalized eight months after the separation.", ("eight months after the separation", "2015-01")),
    ("Two years after their wedding they split.", ("Two years after their wedding", "2014")),
    ("A month before the wedding they bought a house.", ("A month before the wedding", "2012-05")),
    ("Two years after the trial they moved.", ("Two years after the trial", None)),  # no dated trial: text only
])
def test_timeline_dates_counted_from_a_named_event(text, expected):
    from counterpoint.stages.timeline import DateMention

    anchors = {"separation": DateMention(0, 0, "May 2014", "2014-05", "month"),
               "wedding": DateMention(0, 0, "June 2012", "2012-06", "month")}
    (d,) = find_dates(text, (0, len(text)), ANCHOR, (), None, anchors)
    assert (d.text, d.value) == expected


@pytest.mark.slow
def test_timeline_an_event_dated_from_another_is_not_that_event_again(res):
    from counterpoint.pipeline import analyze

    text = ("Singer Ana Ruiz and actor Tom Bell married in June 2012. They separated in May 2014. "
            "Their divorce was finalized eight months after the separation.")
    story = analyze(articles=[Article(id="d1", source="a.txt", text=text, published="2026-03-15")], res=res)
    assert sorted((e.type, e.date.value) for e in story.events) == [
        ("divorce", "2015-01"), ("marriage", "2012-06"), ("separation", "2014-05")]


# --- civic, business and sport events (lexicon rows), weekday tense, bylines ----------------------

CIVIC_ROWS = [
    ("Delaney submitted a planning application in March 2019.", [("application", ("p1",), "2019-03")]),
    ("Delaney applied for planning permission in March 2019.", [("application", ("p1",), "2019-03")]),
    ("The Celtics approved the deal on Monday.", [("approval", ("p3",), "2020-03-09")]),
    ("The Celtics turned down the offer in 2018.", [("refusal", ("p3",), "2018")]),
    ("Castillo appealed the decision in May 2019.", [("appeal", ("p2",), "2019-05")]),
    ("The judge ruled against Delaney on Monday.", [("decision", ("p1",), "2020-03-09")]),
    ("The Celtics announced the move in October 2019.", [("announcement", ("p3",), "2019-10")]),
    ("Delaney broke ground on the new arena in June 2018.", [("construction", ("p1",), "2018-06")]),
    ("Delaney handed in a transfer request on Monday.", [("transfer request", ("p1",), "2020-03-09")]),
    ("The Celtics made a bid for Delaney last December.", [("bid", ("p3",), "2019-12")]),
    ("The Celtics offered £38 million for Delaney on Sunday.", [("bid", ("p3",), "2020-03-08")]),
    ("Delaney joined the Celtics from Boston for £4.5 million in January 2019.",
     [("signing", ("p1", "p3"), "2019-01")]),
    ("Castillo led a protest march through the town on Monday.", [("march", ("p2",), "2020-03-09")]),
    ("The Celtics delivered a petition to the mayor on Monday.", [("petition", ("p3",), "2020-03-09")]),
    ("The Celtics were relegated in 2018.", [("relegation", ("p3",), "2018")]),
    ("Delaney proposed the move on Monday.", [("proposal", ("p1",), "2020-03-09")]),
    ("Castillo's studio was renovated in 2017.", [("renovation", ("p2",), "2017")]),
    ("The Celtics held a rally outside the arena on Monday.", [("rally", ("p3",), "2020-03-09")]),
    ("Castillo put in a bid for the team on Monday that critics called cheap.", [("bid", ("p2",), "2020-03-09")]),
    ("A public hearing was held on Monday, with Delaney speaking.", [("hearing", ("p1",), "2020-03-09")]),
    # negative rows: conditional, wished-for, denied, future, stances and other senses of the words
    ("If the Celtics refuse the offer, Delaney will appeal.", []),
    ("I hope the Celtics approve the deal.", []),
    ("The Celtics did not approve the deal in 2018.", []),
    ("Delaney hopes the board will reject the application.", []),
    ("Castillo wants to lodge an appeal next week.", []),
    ("Castillo refused to comment on Monday.", []),
    ("Castillo offered her condolences on Monday.", []),
    ("Delaney joined the protest in May 2019.", [("protest", ("p1",), "2019-05")]),
    ("Castillo was hearing voices on Monday.", []),
    ("Shares rallied on Monday.", []),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", CIVIC_ROWS)
def test_timeline_find_civic_business_and_sport_events(nlp, text, expected):
    got = event_rows(nlp, text)
    assert got == expected


SCHEDULED_ROWS = [
    # dated after the report and told as due: on the calendar, marked scheduled
    ("Castillo is expected to lodge an appeal next week.", [("appeal", ("p2",), "2020-03", True)]),
    ("The Celtics will vote on the plan on March 20.", [("vote", ("p3",), "2020-03-20", True)]),
    ("The Celtics are due to meet again on September 18.", [("meeting", ("p3",), "2020-09-18", True)]),
    ("Delaney is organising a protest walk up the ridge on March 15.", [("walk", ("p1",), "2020-03-15", True)]),
    # the opening of a consultation is the consultation
    ("A public consultation run by the Celtics opens on Monday.", [("consultation", ("p3",), "2020-03-16", True)]),
    ("The public inquiry opened in May 2019, with Delaney giving evidence.", [("hearing", ("p1",), "2019-05", False)]),
    # an event organised for a day is on the calendar; a plan to do something is only an intention
    ("The Celtics plan a rally outside the arena on June 8, three days before the hearing.",
     [("rally", ("p3",), "2020-06-08", True)]),
    ("Delaney plans to hold a rally on June 8.", []),
    # a past day and a day to come in one clause: it happened on the past day ("from 31 March next year" is
    # what was decided)
    ("The Celtics voted on Tuesday to stop paying for the ferry, the crossing that has linked the two towns for "
     "four hundred years, from 31 March next year.", [("vote", ("p3",), "2020-03-10", False)]),
    # wished, planned, conditional, denied, advised: still no event
    ("The couple plan to marry next year.", []),
    ("I hope the Celtics vote next month.", []),
    ("The Celtics would vote in 2026 if permission is granted.", []),
    ("Delaney will not sign the deal next month.", []),
    ("The Celtics should approve the deal in April.", []),
    # a future date inside a past event's sentence does not make the past event scheduled; what was voted for
    # with its own date is on the calendar
    ("The Celtics voted on Monday to close the arena in 2022.",
     [("vote", ("p3",), "2020-03-09", False), ("closure", ("p3",), "2022", True)]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", SCHEDULED_ROWS)
def test_timeline_scheduled_events(nlp, text, expected):
    got = [(e.kind, e.participants, e.date.value if e.date else None, e.scheduled) for e in events_in(nlp, text)]
    assert got == expected


def test_timeline_the_club_and_its_player_tell_one_event_on_the_same_date():
    from counterpoint.stages.timeline import merge_events
    kinds = {"p1": "person", "p2": "person", "p3": "organization", "p4": "organization"}
    one = merge_events([em("d1", "promotion", ("p1",), "2024-05"), em("d2", "promotion", ("p3",), "2024-05")],
                       {}, None, None, kinds)
    assert len(one) == 1 and one[0].participants == ("p1", "p3")
    # two people, or a person and a club besides another club, or two months: kept apart
    for a, b in [(("p1",), ("p2",)), (("p1", "p3"), ("p4",))]:
        assert len(merge_events([em("d1", "signing", a, "2024-05"), em("d2", "signing", b, "2024-05")],
                                {}, None, None, kinds)) == 2
    assert len(merge_events([em("d1", "promotion", ("p1",), "2024-05"), em("d2", "promotion", ("p3",), "2023-05")],
                            {}, None, None, kinds)) == 2


def test_timeline_scheduled_event_merges_without_a_date_conflict():
    from counterpoint.stages.timeline import merge_events
    a = em("d1", "marriage", ("p1", "p2"), "2020-06-01")
    a.scheduled = True
    b = em("d2", "marriage", ("p1", "p2"), "2020-07-04")     # the wedding moved: two rows, no conflict
    events = merge_events([a, b], {"p1": "Delaney", "p2": "Castillo"})
    assert [(e.date.value, e.scheduled) for e in events] == [("2020-06-01", True), ("2020-07-04", False)]
    assert "(scheduled: " in events[0].summary and "married" not in events[0].summary


@pytest.mark.slow
def test_timeline_in_a_bid_to_is_no_bid(nlp):
    assert [e.kind for e in events_in(nlp, "In a bid to save money, the Celtics sold Delaney in 2018.")] == ["sale"]


def _parsed_dates(nlp, text: str) -> list[tuple[str, str | None]]:
    from counterpoint.stages.language import annotate
    art = Article(id="d1", source="t", text=text, published="2020-03-11")
    ann = annotate([art], nlp)["d1"]
    return [(d.text, d.value) for d in find_dates(text, (0, len(text)), ANCHOR, ann.entities, tokens=ann.tokens)]


@pytest.mark.slow
@pytest.mark.parametrize("text,value", [
    # a scheduled day: future cue, or a simple present that is not a report (published on a Wednesday)
    ("The Celtics will face Boston on Saturday.", "2020-03-14"),
    ("The Celtics are due to face Boston on Saturday.", "2020-03-14"),
    ("The Celtics play Boston on Saturday.", "2020-03-14"),
    ("The vote is on Thursday.", "2020-03-12"),
    ("Whatever happens, we go again on Saturday.", "2020-03-14"),
    # the past, a report, a perfect: the day before publication
    ("The Celtics beat Boston on Saturday.", "2020-03-07"),
    ("Delaney says on Monday that he is fine.", "2020-03-09"),
    ("Delaney has signed on Monday.", "2020-03-09"),
    ("Stocks fell sharply in Europe and Asia Monday, with banks leading the losses.", "2020-03-09"),
])
def test_timeline_weekday_follows_the_tense_of_its_clause(nlp, text, value):
    assert [v for _, v in _parsed_dates(nlp, text)] == [value]


@pytest.mark.slow
def test_timeline_scheduled_weekday_dates_no_event(nlp):
    assert events_in(nlp, "The Celtics open their season against Boston on Saturday.") == []


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Published 2020-03-11\nDelaney married Castillo in July 2011.",
    "By Ann Lee, sports editor of the Courier | Published: 2020-03-11\nDelaney married Castillo in July 2011.",
    "March 11, 2020\nDelaney married Castillo in July 2011.",
])
def test_timeline_byline_date_is_no_event(nlp, text):
    got = event_rows(nlp, text)
    assert got == [("marriage", ("p1", "p2"), "2011-07")]


@pytest.mark.slow
def test_timeline_unnamed_subject_is_not_replaced_by_names_elsewhere(nlp):
    """The doers of "the two boards voted" are those boards, not a name elsewhere in the sentence."""
    text = ("About two thousand fans walked to the gates of the Boston Celtics arena, four days after "
            "the two trust boards voted on 11 March 2025 to merge.")
    got = [(e.kind, e.participants) for e in events_in(nlp, text, published="2025-03-16")]
    assert ("vote", ()) in got


@pytest.mark.slow
def test_timeline_published_in_a_sentence_is_a_publication(nlp):
    got = [(e.kind, e.date.value) for e in events_in(nlp, "The memoir was published in 2019 by Delaney.")]
    assert got == [("publication", "2019")]


DATED_NOUN_ROWS = [
    # a year written on a book or a report makes its publication an event, with its owner
    ("Delaney's 2019 book sold well.", [("publication", ("p1",), "2019")]),
    ("The historian Marcus Delaney, whose 2019 book drew on the logbooks, said the records showed payment.",
     [("publication", ("p1",), "2019")]),
    ("The Celtics' own 2024 report found that the house had been abandoned.", [("publication", ("p3",), "2024")]),
    ("A 2018 study by the Celtics found nothing.", [("publication", ("p3",), "2018")]),
    ("Delaney released his third album in May 2016.", [("release", ("p1",), "2016-05")]),
    # a verb adding a part to a building is an expansion; removals with the agent who led them
    ("The Celtics arena, which opened in 1936 and added a surgical wing in 1998, has 310 beds.",
     [("opening", ("p3",), "1936"), ("expansion", ("p3",), "1998")]),
    ("The Celtics built a new stand in 2004.", [("expansion", ("p3",), "2004")]),
    ("The posts were removed from a meeting house in 1889 by an expedition led by Marcus Delaney.",
     [("removal", ("p1",), "1889")]),
    ("Delaney added a few words in 2019.", []),
    # injuries and claims told by a verb and its object, or an adjective and its noun
    ("Delaney broke his ankle in October 2022 and missed five months.", [("injury", ("p1",), "2022-10")]),
    ("Delaney came back from a broken ankle in 2022 and played through pain.", [("injury", ("p1",), "2022")]),
    ("Delaney tore his ACL in 2019.", [("injury", ("p1",), "2019")]),
    ("The Celtics, which lodged a formal claim for the posts on 3 February, called the offer an insult.",
     [("claim", ("p3",), "2020-02-03")]),
    ("Delaney broke the record in 2019.", []),
    # a weekday written before a day is part of it; a debate put on the calendar; an arrival
    ("Write to your councillor before the council debate on Tuesday 4 November.", [("debate", (), "2019-11-04")]),
    ("Delaney has looked after the elephant since he arrived at the zoo in 1979.", [("arrival", ("p1",), "1979")]),
    # what the writer asks for is no event
    ("Let Delaney and Castillo retire to Spain in 2019.", []),
    ("Our view\n\nLet Delaney and Castillo retire to Spain in 2019.", []),
    # a review or an investigation opened is that review or investigation; a cafe opened is an opening
    ("The Boston Celtics opened a formal review of the licence in February.", [("review", ("p3",), "2020-02")]),
    ("Marcus Delaney launched an investigation into the club on 3 March 2019.",
     [("investigation", ("p1",), "2019-03-03")]),
    ("The Celtics opened a cafe in 2019.", [("opening", ("p3",), "2019")]),
    ("Delaney, who has led the review since the Celtics opened it in February 2019, said little.",
     [("review", ("p3",), "2019-02")]),
    ("The Celtics opened the case in 2019.", []),
    # elections and referendums are events, dated on their noun or by the day they were held
    ("Delaney lost his seat in the 2019 election.", [("election", ("p1",), "2019")]),
    ("The referendum on the Celtics arena was held on 23 June 2016.", [("vote", ("p3",), "2016-06-23")]),
    # a "while" clause with no event of its own happens when the event it hangs on does
    ("Delaney introduced the ordinance on Oct. 7, two weeks after Renée Castillo was killed by a truck while riding "
     "her bicycle on Sept. 23.", [("launch", ("p1",), "2019-10-07"), ("death", ("p2",), "2019-09-23")]),
    ("Castillo was riding her bicycle home on Sept. 23, 2019.", []),
    # "at the scene": on the one day the sentence before named, and on no other
    ("Castillo was riding home on Sept. 23 when a truck struck her. She died at the scene.",
     [("death", ("p2",), "2019-09-23")]),
    ("Castillo was riding home on Sept. 23. She died in hospital.", [("death", ("p2",), None)]),
    # a building that opened is no one named elsewhere in the sentence
    ("Delaney found the elephants in a building that opened in 1964.", [("opening", (), "1964")]),
    ("About sixty boats took part in a protest flotilla on the estuary on Saturday.", [("protest", (), "2020-03-07")]),
    # "the next day" is a day on from the day the text last named
    ("The Celtics put in a bid on Sunday. The next day, Delaney handed in a transfer request.",
     [("bid", ("p3",), "2020-03-08"), ("transfer request", ("p1",), "2020-03-09")]),
    ("The Celtics were relegated on May 3, 2019. Delaney resigned the following day.",
     [("relegation", ("p3",), "2019-05-03"), ("resignation", ("p1",), "2019-05-04")]),
    ("The Celtics were relegated on May 3, 2019. Delaney had resigned the day before.",
     [("relegation", ("p3",), "2019-05-03"), ("resignation", ("p1",), "2019-05-02")]),
    ("Delaney resigned the next day.", []),     # no day named before: no date, and no event without one
    # "whose" points back at the name before it, past an age
    ("The historian Marcus Delaney, 64, whose 2019 book “Salt and Timber” drew on the logs, said little.",
     [("publication", ("p1",), "2019")]),
    # "the group" takes up the organisation named last; a name the parser had cut in two keeps its date
    ("The Boston Celtics handed in a petition in May. The group plans a rally outside the arena on June 8.",
     [("petition", ("p3",), "2019-05"), ("rally", ("p3",), "2020-06-08")]),
    ("Renée Castillo, who founded the advocacy group Safe Streets Halbrook two years ago, called the intersection "
     "\"a coin flip with a delivery truck\" and pointed to the plan.", [("founding", ("p2",), "2018")]),
    # "a week after a public hearing": the hearing was a week before the day the clause gives; an event after
    # "during" shares that day; an event after "before" is dated by its own words even when still to come
    ("The Boston Celtics have given up the bonus, the company said on Wednesday, a week after a public hearing in "
     "Kilncote.", [("hearing", (), "2020-03-04")]),
    ("Delaney resigned on 3 May 2019, two days after the vote.",
     [("resignation", ("p1",), "2019-05-03"), ("vote", (), "2019-05-01")]),
    ("Castillo quit on 3 May 2019, a month after the public hearing.",
     [("departure", ("p2",), "2019-05-03"), ("hearing", (), "2019-04")]),
    ("On Saturday 1 February, Castillo walked on stage during Delaney's concert in Skelby.",
     [("performance", ("p1",), "2020-02-01")]),
    ("Write to your councillor before the council debate on Tuesday 4 November.", [("debate", (), "2019-11-04")]),
    # "the following evening" is a day on from the day named; a second "next evening" counts from that day too
    ("Delaney mocked Renée Castillo on 3 March. He came back the following evening and apologised.",
     [("mock", ("p1", "p2"), "2020-03-03"), ("apology", ("p1",), "2020-03-04")]),
    ("What Delaney did on 3 March was ugly. The front pages the next morning were not wrong. But he apologised the "
     "next evening, on air.", [("apology", ("p1",), "2020-03-04")]),
    # "they" after a plural noun that is the sentence's subject is that noun, not the last two people named
    ("Delaney and Renée Castillo visited the museum. Two of the posts cracked when they were moved across the "
     "building in 2007.", []),
    # "they" after two people named since a group was the subject: the couple, not the group
    ("Delaney joined the Boston Celtics in 1984. In 1997 the Celtics gave him a show. He married Castillo, later his "
     "co-presenter, in 1988; they divorced, noisily, in 2003.",
     [("joining", ("p1", "p3"), "1984"), ("marriage", ("p1", "p2"), "1988"), ("divorce", ("p1", "p2"), "2003")]),
    ("The Boston Celtics were founded in 1946; they won the title in 2008.",
     [("founding", ("p3",), "1946"), ("title", ("p3",), "2008")]),
    # an event named in "a year after ..." that nothing else dates, in a clause the sentence dates: a year before
    ("Delaney was declared bankrupt in 2020 after the restaurant closed, a year after his divorce from Castillo.",
     [("bankruptcy", ("p1",), "2020"), ("divorce", ("p1", "p2"), "2019")]),
    ("Delaney married Castillo in 2010. Two years after the divorce, Delaney moved.",
     [("marriage", ("p1", "p2"), "2010")]),
    # a verb and its complement: "became chief executive", "came in as", "took over as", "checked into a clinic"
    ("Delaney, who became chief executive in March 2019, was jeered.", [("appointment", ("p1",), "2019-03")]),
    ("Delaney came in as chief executive in 2019.", [("appointment", ("p1",), "2019")]),
    ("Delaney took over as head coach in 2019.", [("appointment", ("p1",), "2019")]),
    ("The Celtics took over the arena in 2019.", [("acquisition", ("p3",), "2019")]),
    ("Delaney was dropped as presenter in 2019.", [("dismissal", ("p1",), "2019")]),
    ("In the summer of 2015 Delaney checked himself into a clinic and stopped drinking.",
     [("rehab", ("p1",), "2015")]),
    ("Delaney became a father in 2019.", []),
    ("Delaney served as chief executive from 2010 until 2015.", []),
    # a date written before the trigger's own "eleven years before" (parsed onto the trigger) dates the other clause
    ("Castillo didn’t found it; her husband’s father did, in 1921, eleven years before she was born.",
     [("birth", ("p2",), "1932")]),
    # the organising verb's date and organiser are the named event's
    ("About 300 people attended a lantern vigil organised by the Boston Celtics outside the zoo last Saturday.",
     [("vigil", ("p3",), "2020-03-07")]),
    ("A rally was organised by Castillo on Saturday.", [("rally", ("p2",), "2020-03-07")]),
    # "would" reported by "said" is the "will" of the words reported; "if" makes it no event, "whether" does not,
    # "as if" is no condition
    ("Castillo said the Celtics would hold a vigil at the zoo gates on Saturday.",
     [("vigil", ("p3",), "2020-03-14")]),
    ("The Celtics would hold a vigil on Saturday.", []),
    ("The Celtics will hold a vigil on Saturday if the vote goes against them.", []),
    ("The Boston Celtics will announce on Friday, 4 July, whether to lift, shorten or uphold the four-year ban "
     "imposed on Castillo.",
     [("announcement", ("p3",), "2020-07-04")]),
    ("On the evening of the Celtics' meeting, Thursday 5 March, it felt as if most of us were on the steps.",
     [("meeting/public", ("p3",), "2020-03-05")]),
    # reviewing a decision is a review, not the decision again
    ("The Celtics said they would review the decision in 2027.", [("review", ("p3",), "2027")]),
    # the subject of a passive verb is its object: "her ban was reduced" is a reduction
    ("Delaney also cited the case of Castillo, whose two-year ban was reduced to a reprimand in 2017.",
     [("reduction", ("p2",), "2017")]),
    ("The appeal court cut Castillo's sentence in 2017.", [("reduction", ("p2",), "2017")]),
    # "a month after" parsed as taking only "her son": the later date of the clause, a month on; not across "and"
    ("The loudest applause went to Renée Castillo, who founded the campaign group Boston Celtics a month after her "
     "son Rhys, then 11, spent four days in hospital with an E. coli infection in August 2019.",
     [("founding", ("p2", "p3"), "2019-09"), ("hospitalization", ("p2", "p3"), "2019-08")]),
    ("Castillo founded the Celtics a month after the wedding, and in 2019 she moved.",
     [("founding", ("p2", "p3"), None), ("relocation", ("p2",), "2019")]),
    # "the board", "the trustees": the organisation the text named with that body; "it" the body that said so
    ("The board of the Boston Celtics voted on Wednesday. The board said it would review the decision in 2027.",
     [("vote", ("p3",), "2020-03-11"), ("review", ("p3",), "2027")]),
    ("Castillo chairs the Celtics trustees. On the evening of the trustees' meeting, Thursday 5 March, it felt as "
     "if most of us were on the steps.",
     [("meeting/public", ("p3",), "2020-03-05")]),
    # coming to a named place is an arrival; coming to power, to an end or to a club is not
    ("Castillo came to Boston in 1979, and Delaney has been with her since.", [("arrival", ("p2",), "1979")]),
    ("Castillo came to power in 2010.", []),
    # "the chef": the one person the article introduced with that word ("the chef Marcus Delaney")
    ("The singer Renée Castillo met the chef Marcus Delaney. In 2020 the chef was declared bankrupt.",
     [("bankruptcy", ("p1",), "2020")]),
    ("The Boston Celtics' cabinet met on Monday. On 9 March the cabinet voted to cut the funding.",
     [("meeting", ("p3",), "2020-03-09"), ("vote", ("p3",), "2020-03-09")]),
    # a founding is the opening of an institution, told as founded
    ("Marcus Delaney founded the Celtics in 1946.", [("founding", ("p1", "p3"), "1946")]),
    # "I" with no byline in the cast is somebody unnamed: the sentence's names do not stand in
    ("Delaney has been in Boston since before I was born.", []),
    # "X's marriage to Y ended in divorce": the marriage's people divorced
    ("His marriage to Renée Castillo ended in divorce in 2019.", [("divorce", ("p2",), "2019")]),
    ("Delaney opened a cafe. His marriage to Renée Castillo ended in divorce in 2019.",
     [("opening", ("p1",), None), ("divorce", ("p1", "p2"), "2019")]),
    # a name inside a clause of its own ("before ...") does not stand in for an event's missing participants
    ("The divorce was public, long before anybody had heard of Renée Castillo.", []),
    ("The divorce was in 2009, Castillo said.", [("divorce", ("p2",), "2009")]),
    # "the restaurant": the one the article introduced as a restaurant, not the organisation named last
    ("Delaney opened his restaurant Boston Celtics in 2016. He signed with the publisher Castillo. "
     "A year later the restaurant closed.",
     [("opening", ("p1", "p3"), "2016"), ("signing", ("p1", "p2"), None), ("closure", ("p3",), "2017")]),
    ("Delaney wrote for the Boston Celtics. In 2017 the restaurant closed.", [("closure", (), "2017")]),
    # a clause hung on a dated event by "a year after" happened a year before it; "before" the other way; with no
    # count, no date
    ("Her solo album was released in 2019, a year after Castillo was arrested on suspicion of drink-driving.",
     [("release", (), "2019"), ("arrest", ("p2",), "2018")]),
    ("Delaney retired in 2019, two years after he married Castillo.",
     [("retirement", ("p1",), "2019"), ("marriage", ("p1", "p2"), "2017")]),
    ("Delaney retired in May 2019, three months before he married Castillo.",
     [("retirement", ("p1",), "2019-05"), ("marriage", ("p1", "p2"), "2019-08")]),
    ("Delaney retired in 2019, after he married Castillo.",
     [("retirement", ("p1",), "2019"), ("marriage", ("p1", "p2"), None)]),
    # ... and the other way round: an event "a month after" a dated clause
    ("Castillo founded the Boston Celtics two years before Delaney retired in 2019.",
     [("founding", ("p2", "p3"), "2017"), ("retirement", ("p1",), "2019")]),
    # the second of two things won, with a date of its own; a thing that is no prize is no event
    ("Delaney won her first national title in 2019 and a bronze medal at the Tri-Nations Championships in 2021.",
     [("title", ("p1",), "2019"), ("medal", ("p1",), "2021")]),
    ("Delaney won the title in 2019 and a car in 2021.", [("title", ("p1",), "2019")]),
    # a day on one act, and the same subject's next act joined by "and", share the day; a marriage does not
    ("Castillo walked on to the stage on Saturday, 8 March, and sang the song with Delaney.",
     [("performance", ("p1", "p2"), "2020-03-08")]),
    ("Delaney walked into the station on 3 May 2019 and was arrested.", [("arrest", ("p1",), "2019-05-03")]),
    ("Delaney left the club on 3 May 2019 and married Castillo.", [("marriage", ("p1", "p2"), None)]),
    ("Delaney left the club on 3 May 2019 and he was arrested.", [("arrest", ("p1",), None)]),
    ("On 1 March 2025 Delaney walked on during Castillo's solo set.", [("performance", ("p2",), "2025-03-01")]),
    # a name straight after the object noun is the object, however the parser reads it; a description in
    # apposition to a name, with a relative clause, is that name
    ("Castillo, who founded the parents’ group Boston Celtics in 2021, said families needed help.",
     [("founding", ("p2", "p3"), "2021")]),
    ("Fans urged it to accept places at the Boston Celtics, a 40-hectare site that opened in 2019.",
     [("opening", ("p3",), "2019")]),
    # a participle describing a name: the name is what was founded
    ("The Celtics, founded in 1946, won again.", [("founding", ("p3",), "1946")]),
    ("Delaney filed for bankruptcy in May 2020.", [("bankruptcy", ("p1",), "2020-05")]),
    # deaths counted, not named, are an incident; one unnamed death is nobody's row
    ("On 19 July 2023 more than 4,000 fish died at the weir.", [("deaths", (), "2023-07-19")]),
    ("Thousands of fish were found dead at the weir on 19 July 2023.", [("deaths", (), "2023-07-19")]),
    ("Dozens were killed in the blast on 3 May 2019.", [("deaths", (), "2019-05-03")]),
    ("One man died at the arena on 3 May 2019.", []),
    ("Castillo was found dead on 3 May 2019.", [("death", ("p2",), "2019-05-03")]),
    ("The Celtics went bankrupt in 2009.", [("bankruptcy", ("p3",), "2009")]),
    # a book in a sentence dated for something else is no publication; "reported" is no report
    ("In 2019, Delaney read a book about the Celtics.", []),
    ("Delaney reported the theft in 2019.", []),
    # a year naming a thing dates nothing else ("the 2025 budget")
    ("The Celtics argued over the 2025 budget.", []),
    # the clause hung on a date by "when" is what happened then
    ("Delaney is not wrong about 2016, when the Celtics were relegated to the second tier.",
     [("relegation", ("p3",), "2016")]),
    ("The fans have waited since 1981, when the Celtics turned down their first request.",
     [("refusal", ("p3",), "1981")]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", DATED_NOUN_ROWS)
def test_timeline_dated_nouns_and_when_clauses(nlp, text, expected):
    got = event_rows(nlp, text)
    assert got == expected


@pytest.mark.slow
def test_timeline_a_weekday_before_a_noun_still_dates_the_event(nlp):
    got = [(e.kind, e.date.value) for e in events_in(nlp, "Delaney said in a statement on Monday evening that "
                                                          "the club would not sell.")]
    assert got == [("statement", "2020-03-09")]


@pytest.mark.slow
def test_timeline_a_place_inside_a_name_is_no_participant(nlp):
    from counterpoint.stages.language import annotate
    text = ("Former Dunmere Rovers forward Marcus Delaney gave a radio interview on Friday, March 6. "
            "The Dunmere library opened in 1962.")
    art = Article(id="d1", source="t", text=text, published="2020-03-11")
    ann = annotate([art], nlp)["d1"]
    mentions = [Mention(doc="d1", start=m.start(), end=m.end(), text=m.group(0), member=pid)
                for pid, name in (("p1", "Marcus Delaney"), ("g1", "Dunmere")) for m in re.finditer(name, text)]
    got = [(e.kind, e.participants) for e in find_events(art, ann, mentions, None, {"p1": "person", "g1": "place"})]
    assert got == [("interview", ("p1",)), ("opening", ("g1",))]


@pytest.mark.slow
def test_timeline_a_description_takes_up_a_name_given_before(nlp):
    from counterpoint.stages.language import annotate
    text = ("The Harbour Museum and the National Gallery both lent paintings. In 1981 the museum turned down "
            "a request for their return. The national gallery opened in 1902. In 1990 the gallery was sold.")
    art = Article(id="d1", source="t", text=text, published="2020-03-11")
    ann = annotate([art], nlp)["d1"]
    mentions = [Mention(doc="d1", start=m.start(), end=m.end(), text=m.group(0), member=pid)
                for pid, name in (("o1", "Harbour Museum"), ("o2", "National Gallery"))
                for m in re.finditer(name, text)]
    got = [(e.kind, e.participants, e.date.value)
           for e in find_events(art, ann, mentions, None, {"o1": "organization", "o2": "organization"})]
    # "the museum" fits one name; "the national gallery" fits one; "the gallery" too; nothing else is guessed
    assert got == [("refusal", ("o1",), "1981"), ("opening", ("o2",), "1902"), ("sale", ("o2",), "1990")]


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Delaney is signed until 2027.",                  # an end, not a day something happens
    "The transfer window closes on 1 September.",     # a window closing closes nothing down
    "The Celtics open their season against Boston in May.",
])
def test_timeline_no_scheduled_event(nlp, text):
    assert events_in(nlp, text) == []


def test_timeline_byline_spans():
    text = "Headline\nBy Ann Lee | Published: 2020-03-11\nBody text was published in 2019.\nMarch 11, 2020"
    spans = timeline.byline_spans(text)
    assert [text[a:b] for a, b in spans] == ["By Ann Lee | Published: 2020-03-11", "March 11, 2020"]


# --- the same event dated a few days apart --------------------------------------------------------

def pub_em(doc, kind, participants, value, published):
    e = em(doc, kind, participants, value)
    e.published = published
    return e


@pytest.mark.parametrize("mentions,groups", [
    # a source naming nobody, a week off: the same vote (a date conflict for the checks)
    ([pub_em("d1", "vote", ["p3"], "2020-03-03", "2020-03-04"),
      pub_em("d2", "vote", [], "2020-02-25", "2020-03-12")], [["d1", "d2"]]),
    # the same in the other order, and with shared participants
    ([pub_em("d2", "vote", [], "2020-02-25", "2020-03-12"),
      pub_em("d1", "vote", ["p3"], "2020-03-03", "2020-03-04")], [["d2", "d1"]]),
    ([pub_em("d1", "vote", ["p1", "p3"], "2020-03-03", "2020-03-04"),
      pub_em("d2", "vote", ["p3"], "2020-03-02", "2020-03-12")], [["d1", "d2"]]),
    # a source naming nobody with a compatible date joins the one vote
    ([pub_em("d1", "vote", ["p3"], "2020-03-03", "2020-03-04"),
      pub_em("d2", "vote", [], "2020-03", "2020-03-12")], [["d1", "d2"]]),
    # negative rows: two votes months apart; an annual event; coarse dates a month apart; other people
    ([pub_em("d1", "vote", ["p3"], "2020-03-03", "2020-03-04"),
      pub_em("d2", "vote", [], "2020-06-02", "2020-06-05")], [["d1"], ["d2"]]),
    ([pub_em("d1", "hearing", ["p3"], "2019-03-05", "2019-03-06"),
      pub_em("d2", "hearing", ["p3"], "2020-03-03", "2020-03-04")], [["d1"], ["d2"]]),
    ([pub_em("d1", "vote", ["p3"], "2020-02", "2020-03-04"),
      pub_em("d2", "vote", ["p3"], "2020-03", "2020-03-12")], [["d1"], ["d2"]]),
    ([pub_em("d1", "vote", ["p1"], "2020-03-03", "2020-03-04"),
      pub_em("d2", "vote", ["p2"], "2020-03-02", "2020-03-12")], [["d1"], ["d2"]]),
    # a weekly meeting: the later report tells a newer one (its day came after the first report)
    ([pub_em("d1", "hearing", ["p3"], "2020-03-02", "2020-03-03"),
      pub_em("d2", "hearing", ["p3"], "2020-03-09", "2020-03-10")], [["d1"], ["d2"]]),
    # ...but a later source naming nobody ("four days after the two boards voted on 11 March") points back
    # at the vote the others tell: the same vote, a week off (a date conflict)
    ([pub_em("d1", "vote", ["p3"], "2020-03-03", "2020-03-04"),
      pub_em("d2", "vote", [], "2020-03-10", "2020-03-16")], [["d1", "d2"]]),
    # ...or told as the one the reader knows ("at the meeting in the village hall on March 9"), with the same place
    ([pub_em("d1", "hearing", ["p3"], "2020-03-02", "2020-03-03"),
      replace(pub_em("d2", "hearing", ["p3"], "2020-03-09", "2020-03-10"), known=True)], [["d1", "d2"]]),
    # a one-off type (an appeal): the later report's day may fall after the first report, if past for itself
    ([pub_em("d1", "appeal", ["p3"], "2020-03-02", "2020-03-03"),
      pub_em("d2", "appeal", ["p3"], "2020-03-05", "2020-03-10")], [["d1", "d2"]]),
    ([pub_em("d1", "appeal", ["p3"], "2020-03-02", "2020-03-03"),
      pub_em("d2", "appeal", ["p3"], "2020-03-25", "2020-03-30")], [["d1"], ["d2"]]),
    # two clusters it could join: none
    ([pub_em("d1", "vote", ["p1"], "2020-03-03", "2020-03-20"),
      pub_em("d2", "vote", ["p2"], "2020-03-05", "2020-03-20"),
      pub_em("d3", "vote", [], "2020-03-04", "2020-03-20")], [["d1"], ["d2"], ["d3"]]),
])
def test_timeline_merge_same_event_a_few_days_off(mentions, groups):
    evs = merge_events(mentions, NAMES)
    got = sorted([s.doc for s in e.sources] for e in evs)
    assert got == sorted(groups)


@pytest.mark.slow
def test_timeline_a_place_as_subject_and_it_after_it(res):
    """A place is a participant when it is the subject ("The Harbour Lane branch opened"), and "it" in the next
    sentence is that place; a place after "in" is not a participant."""
    from counterpoint.pipeline import analyze

    text = ("The Harbour Lane branch opened in 1962 and was expanded in 1988. It was renovated in 2009.\n\n"
            "Mara Quinn was born in Harbour Lane in 1990.")
    story = analyze(articles=[Article(id="d1", source="a.txt", text=text, published="2026-03-15")], res=res)
    names = {c.id: c.name for c in story.cast}
    got = sorted((e.type, e.date.value, tuple(names[p] for p in e.participants)) for e in story.events)
    assert ("opening", "1962", ("Harbour Lane",)) in got, got
    assert ("expansion", "1988", ("Harbour Lane",)) in got, got
    assert ("renovation", "2009", ("Harbour Lane",)) in got, got
    assert ("birth", "1990", ("Mara Quinn",)) in got, got


@pytest.mark.parametrize("text,published,want", [
    # the weekday names the year: 14 January 2025 was a Tuesday, 2026's a Wednesday (the clause's "plans to
    # build" would otherwise read the day as the coming one)
    ("People crowded into the hall on Tuesday, January 14, for a public meeting on plans to build turbines.",
     "2025-01-16", "2025-01-14"),
    ("The vote is on Wednesday, January 14, and campaigners plan to march.", "2026-01-10", "2026-01-14"),
    # no weekday: as before
    ("People crowded into the hall on January 14 for a meeting.", "2025-01-16", "2025-01-14"),
])
def test_timeline_weekday_before_a_day_picks_its_year(text, published, want):
    from datetime import date

    y, m, d = map(int, published.split("-"))
    got = [x.value for x in timeline.find_dates(text, (0, len(text)), date(y, m, d), ()) if "14" in x.text]
    assert got == [want]


@pytest.mark.slow
def test_timeline_a_meeting_noun_is_a_public_meeting(nlp):
    """"the meeting at the village hall on 14 January" is an event of the same type as "a public meeting";
    "met" stays a meeting of people."""
    got = [(e.kind, e.date.value) for e in events_in(nlp, "I went to the meeting at the village hall on 14 January.",
                                                      published="2025-01-20")]
    assert got == [("meeting/public", "2025-01-14")]


GROUP_AND_SCHOOL_ROWS = [
    # bands, groups and schools: formed, a member leaving or joining, a show, a recommendation, an evacuation
    ("The Celtics formed in 2009 in a garage.", [("formation", ("p3",), "2009")]),
    ("Delaney quit the Celtics in October 2019.", [("departure", ("p1", "p3"), "2019-10")]),
    ("Delaney joined the Celtics in September 2020.", [("joining", ("p1", "p3"), "2020-09")]),
    ("Delaney joined the protest in September 2020.", [("protest", ("p1",), "2020-09")]),
    ("The Celtics headlined the festival in 2016.", [("performance", ("p3",), "2016")]),
    ("Castillo recommended the ban in April 2019.", [("recommendation", ("p2",), "2019-04")]),
    ("A gas leak forced the evacuation of the Celtics arena in October 2019.", [("evacuation", ("p3",), "2019-10")]),
    ("Delaney led a walkout on May 9, 2019.", [("protest", ("p1",), "2019-05-09")]),
    # a name the parser takes for a verb does not take the date from the event before it
    ("Castillo, who founded the parents' group Reach My Kid in 2021, said families needed help.",
     [("founding", ("p2",), "2021")]),
    # a year the recogniser counts as a number, written on the noun: "whose 2023 petition"
    ("Castillo, a retired teacher whose 2023 petition for a ban gathered 2,400 signatures, said it was time.",
     [("petition", ("p2",), "2023")]),
    # "the same year" is the year of the date before it; "a month after the wedding" counts from a wedding dated
    # earlier in the same sentence
    ("Delaney married in 2016 and divorced in 2020; Castillo joined the Celtics the same year.",
     [("marriage", ("p1",), "2016"), ("divorce", ("p1",), "2020"), ("joining", ("p2", "p3"), "2020")]),
    ("Delaney married on 14 May 2016, and a month after the wedding the Celtics headlined the festival.",
     [("marriage", ("p1",), "2016-05-14"), ("performance", ("p3",), "2016-06")]),
    # a gerund after "after" has the subject of the verb it hangs on
    ("Castillo, who left the Celtics after walking off stage in 2019, sang with Delaney in 2020.",
     [("departure", ("p2", "p3"), "2019"), ("performance", ("p1", "p2"), "2020")]),
    # "a fortnight from splitting up" did not happen
    ("Delaney joined the Celtics in 2020, when they were a fortnight from splitting up.",
     [("joining", ("p1", "p3"), "2020")]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", GROUP_AND_SCHOOL_ROWS)
def test_timeline_group_and_school_events(nlp, text, expected):
    assert event_rows(nlp, text) == expected


DATE_OWNER_ROWS = [
    # two events in one clause: the date goes to the one nearest the clause's verb (the proposal is what the hearing
    # was about)
    ("More than 60 people spoke at a public hearing on the proposal on May 15, 2019.",
     [("hearing", (), "2019-05-15")]),
    # the parser tags "hearing" a verb where it is the object of "at", with "the" of its own
    ("Delaney spoke for three minutes at the school board hearing on May 13, 2019, and ran out of time.",
     [("hearing", ("p1",), "2019-05-13")]),
    ("Delaney was hearing voices on May 13, 2019.", []),
    # a date in one conjunct does not date the event told in the other
    ("Fans were shouting about his divorce from Delaney in 2019, and about the feud a year after that.",
     [("divorce", ("p1",), "2019")]),
    ("Fans were shouting about his divorce from Delaney, and about the feud a year after 2019.",
     [("divorce", ("p1",), None)]),
    # ... and when the other conjunct tells an event, the date is that event's: "a year after 2019" is 2020
    ("Fans were shouting about his divorce from Delaney in 2019, and about the bankruptcy a year after that.",
     [("divorce", ("p1",), "2019"), ("bankruptcy", ("p1",), "2020")]),
    ("Fans were shouting about his divorce from Delaney, and about the bankruptcy a year after 2019.",
     [("divorce", ("p1",), None), ("bankruptcy", ("p1",), "2020")]),
    ("Delaney retired two years before 1990.", [("retirement", ("p1",), "1988")]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", DATE_OWNER_ROWS)
def test_timeline_date_owner_among_several_events(nlp, text, expected):
    assert event_rows(nlp, text) == expected


@pytest.mark.slow
def test_timeline_an_event_told_as_known(nlp):
    assert [e.known for e in events_in(nlp, "A hearing was held on February 2, 2019.")] == [False]
    assert [e.known for e in events_in(nlp, "The next meeting was on March 3, 2019.")] == [False]
    assert [e.known for e in events_in(nlp, "At the meeting in Lydford on January 21, 2019, the Celtics spoke.")] \
        == [True]


# a dated verb no trigger names is an event named by its noun (lexicon/event_nouns.txt) or its own lemma, when
# somebody named does it; verbs that tell no event (not_generic), spans and reports stay out
DATED_ACT_ROWS = [
    ("The Celtics recalled the batch in March 2019.", [("recall", ("p3",), "2019-03")]),
    ("Delaney was provisionally suspended in October 2018.", [("suspension", ("p1",), "2018-10")]),
    ("On 14 February the tribunal banned Delaney for four years.", [("ban", ("p1",), "2020-02-14")]),
    ("The Celtics adopted the charter in 2016.", [("adoption", ("p3",), "2016")]),
    ("The Celtics settled in 1989 for $4 million.", [("settlement", ("p3",), "1989")]),
    ("In 1989 the Celtics settled a lawsuit brought by Castillo.", [("settlement", ("p2", "p3"), "1989")]),
    ("Delaney won her first national title in 2019.", [("title", ("p1",), "2019")]),
    ("Delaney won a bronze medal in 2021.", [("medal", ("p1",), "2021")]),
    ("Delaney won the argument in 2019.", []),                       # no prize: no event
    ("Delaney was 29 in 2019.", []),                                 # a verb that tells no event
    ("Delaney said on Monday that he would stay.", []),              # a report
    ("The Celtics made pigments from 1921 until 1986.", []),         # a span tells a state
    ("The batch was recalled in March 2019.", []),                   # nobody named does it
    ("Delaney sold what remained of the business in 1990.", [("sale", ("p1",), "1990")]),
    # "the company" takes up the organisation named last
    ("The Boston Celtics made pigments in Dorchester. In 1983, forty-one Dorchester families sued the company.",
     [("lawsuit", ("p3",), "1983")]),
    # "her husband's death": neither Castillo's death nor a row naming nobody (and so no date conflict with hers)
    ("Castillo had run the Celtics since her husband's death in 1975.", []),
    ("Castillo died in March 2019.", [("death", ("p2",), "2019-03")]),
    # what is done to an event is the event
    ("The Celtics on 12 June 2019 postponed a decision on the posts.", [("postponement", ("p3",), "2019-06-12")]),
    ("Delaney amended her proposal in May 2019.", [("amendment", ("p1",), "2019-05")]),
    ("The Celtics withdrew their application in 2018.", [("withdrawal", ("p3",), "2018")]),
    # a release noun as the subject of a verb of coming out takes that verb's date
    ("The Celtics' debut album, \"Tidewater\", came out in 2011.", [("release", ("p3",), "2011")]),
    # "two years later" after a span counts from its end
    ("The Celtics arena was closed for renovation from 2009 until 2011, and two years later the Celtics added a "
     "new wing.", [("closure", ("p3",), "2009"), ("expansion", ("p3",), "2013")]),
    # "in 2013 thanks to": the year is the preposition's, not a label of "thanks"
    ("The Celtics arena opened in 2013 thanks to a donation from Delaney.", [("opening", ("p3",), "2013")]),
    # "their" after a group named as a subject since the last two people: the group
    ("Delaney and Castillo love the Celtics. The Celtics formed in 2009; their most recent album came out in 2023.",
     [("formation", ("p3",), "2009"), ("release", ("p3",), "2023")]),
    # the couple named last: "they" are the two people
    ("Delaney met Castillo at a Celtics game in 2009. They married in July 2011.",
     [("meeting", ("p1", "p2"), "2009"), ("marriage", ("p1", "p2"), "2011-07")]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", DATED_ACT_ROWS)
def test_timeline_dated_acts(nlp, text, expected):
    assert event_rows(nlp, text) == expected


@pytest.mark.slow
def test_timeline_a_reporting_verb_with_a_clause_is_no_event(nlp):
    from counterpoint.lexicon import load_words
    from counterpoint.stages.language import annotate
    for text, want in [("Delaney recalled in 2019 that the club had been kind.", []),
                       ("The Celtics recalled the batch in March 2019.", ["recall"])]:
        art = Article(id="d1", source="t", text=text, published="2020-03-11")
        ann = annotate([art], nlp)["d1"]
        got = find_events(art, ann, mentions_of(art), None, KINDS, load_words("reporting_verbs"))
        assert [e.kind for e in got] == want, text


def test_timeline_two_sources_on_the_same_day_tell_one_event_whoever_they_name():
    evs = merge_events([
        em("d1", "hearing", ["p3"], "2025-09-16"),
        em("d2", "hearing", ["p1"], "2025-09-16"),
        em("d3", "hearing", ["p2"], "2025-09-18"),                     # another day: another hearing
    ], NAMES)
    assert [(e.date.value, sorted({s.doc for s in e.sources})) for e in evs] == [
        ("2025-09-16", ["d1", "d2"]), ("2025-09-18", ["d3"])]
    # deaths on one day stay apart by who died
    evs = merge_events([em("d1", "death", ["p1"], "2025-09-16"), em("d2", "death", ["p2"], "2025-09-16")], NAMES)
    assert len(evs) == 2


def test_language_a_blank_line_starts_a_sentence_for_the_parser(nlp):
    from counterpoint.stages.language import annotate
    text = ("Let us check every donor before we say thank you\n\n"
            "I have a proposal for the council, and I offer it in the spirit of the hearing on September 19.")
    art = Article(id="d1", source="t", text=text, published="2025-09-22")
    toks = annotate([art], nlp)["d1"].tokens
    first = text.index("I have")
    # no word of the paragraph hangs from a word of the headline
    assert all(toks[t.head].start >= first for t in toks if t.start >= first)


def _attach(doc, kind, participants, years=()):
    m = em(doc, kind, participants, None)
    m.attach_only, m.sentence_years = True, frozenset(years)
    return m


def test_timeline_an_undated_mention_is_another_source_of_the_one_event_others_date():
    evs = merge_events([
        em("d1", "trade", ["p1", "p3"], "2019-05-04"),
        _attach("d2", "trade", ["p1"]),                   # "Delaney's trade was a shock": a second source
        _attach("d3", "trade", ["p2"]),                   # nobody in common: no source of it
        _attach("d4", "trade", ["p1"], years=["2012"]),   # its sentence dates something else to 2012
        em("d5", "closure", ["p3"], "2020"), em("d6", "closure", ["p3"], "2023"),
        _attach("d7", "closure", ["p3"]),                 # two closures of the Celtics: neither
        _attach("d8", "hearing", ["p1"]),                 # no event of its own
    ], NAMES)
    trade = next(e for e in evs if e.type == "trade")
    assert [s.doc for s in trade.sources] == ["d1", "d2"]
    assert [s.date_value for s in trade.sources] == ["2019-05-04", None]
    assert trade.date.value == "2019-05-04" and trade.participants == ("p1", "p3")
    assert sorted(e.type for e in evs) == ["closure", "closure", "trade"]
    assert all(len(e.sources) == 1 for e in evs if e.type == "closure")


def test_timeline_an_undated_founding_is_a_source_of_the_opening_another_document_dates():
    """"Dr Voss, who founded the Celtics" (d2, no date) and "the Celtics opened in 2019" (d1): d2 is a second
    source of that one start; a closure is no kindred of an opening, and a second opening makes it ambiguous."""
    (ev,) = merge_events([em("d1", "opening", ["p3"], "2019"), _attach("d2", "founding", ["p1", "p3"])], NAMES)
    assert ev.type == "opening" and [s.doc for s in ev.sources] == ["d1", "d2"]
    assert [s.date_value for s in ev.sources] == ["2019", None]
    evs = merge_events([em("d1", "opening", ["p3"], "2019"), _attach("d2", "closure", ["p3"])], NAMES)
    assert [len(e.sources) for e in evs] == [1]
    evs = merge_events([em("d1", "opening", ["p3"], "2019"), em("d3", "opening", ["p3"], "1990"),
                        _attach("d2", "founding", ["p3"])], NAMES)
    assert sorted(len(e.sources) for e in evs) == [1, 1]


@pytest.mark.slow
def test_timeline_an_undated_second_telling_joins_only_when_it_happened(nlp):
    from counterpoint.lexicon import load_words
    from counterpoint.stages.language import annotate
    lex = timeline.load_event_lexicon()
    dated = "Delaney filed a transfer request on May 4, 2019."
    rows = [("Delaney has handed in a transfer request.", ["d1", "d2"]),
            ("Delaney would hand in a transfer request if the offer came.", ["d1"]),
            ("Ask Delaney to hand in a transfer request.", ["d1"])]
    for text, want in rows:
        found = []
        for doc, t in (("d1", dated), ("d2", text)):
            art = Article(id=doc, source="t", text=t, published="2019-06-01")
            ann = annotate([art], nlp)[doc]
            found += find_events(art, ann, mentions_of(art), lex, KINDS, load_words("reporting_verbs"))
        evs = [e for e in merge_events(found, NAMES, lex) if e.type == "transfer request"]
        assert len(evs) == 1 and [s.doc for s in evs[0].sources] == want, text


@pytest.mark.slow
def test_timeline_i_is_the_author_the_byline_names(nlp):
    from counterpoint.lexicon import load_words
    from counterpoint.stages.language import annotate
    text = ("Posted by Marcus Delaney | 13 September 2025 | Notes from the bench\n\n"
            "I retired in 2016. \u201cI retired in 2019,\u201d a friend told me.")
    art = Article(id="d1", source="t", text=text, published="2025-09-13")
    ann = annotate([art], nlp)["d1"]
    got = find_events(art, ann, mentions_of(art), None, KINDS, load_words("reporting_verbs"))
    # the author's own "I" is the author; the "I" inside the friend's quotation is not, and an unnamed friend's
    # retirement is nobody's row
    assert [(e.kind, e.participants, e.date.value) for e in got] == [("retirement", ("p1",), "2016")]


@pytest.mark.parametrize("texts,british", [
    (["The council apologised and organised a public meeting."], True),
    (["The council apologized and organized a public meeting."], False),
    (["The council apologised.", "The board apologized and organized a meeting."], False),
    # no -ise/-ize verb: -our and -re words decide; nothing either way keeps the American spelling
    (["The colour of the new centre was chosen by the neighbours."], True),
    (["The color of the new center was chosen by the neighbors."], False),
    (["The council voted on Tuesday."], False),
    # "realistic" and "analysis" are spelled alike on both sides: no evidence
    (["A realistic analysis."], False),
])
def test_timeline_british_spelling_is_read_from_the_articles(texts, british):
    from counterpoint.stages.timeline import british_spelling
    assert british_spelling(texts) is british


@pytest.mark.slow
def test_timeline_british_story_gets_british_event_names(res):
    from counterpoint.pipeline import analyze

    text = ("Marcus Delaney was taken to hospital in May 2019 after a fall at the centre. "
            "The club apologised to his family and organised a collection.")
    story = analyze(articles=[Article(id="d1", source="a.txt", text=text, published="2026-03-15")], res=res)
    assert "hospitalisation" in [e.type for e in story.events]
    us = text.replace("apologised", "apologized").replace("organised", "organized")
    story = analyze(articles=[Article(id="d1", source="a.txt", text=us, published="2026-03-15")], res=res)
    assert "hospitalization" in [e.type for e in story.events]


def test_timeline_body_links_name_the_organisation_of_a_board():
    from counterpoint.stages.timeline import body_links

    kinds = {"p3": "organization", "p2": "person"}
    text = ("Celtics trustees delay decision\n\nThe board of the Celtics met. Celtics' board chair spoke. "
            "Boston\n\nThe trustees of the museum waited. The Celtics's Appeals Panel sat. Boston the panel.")
    ms = [Mention(doc="d1", start=m.start(), end=m.end(), text=m.group(0), member="p3")
          for m in re.finditer(r"Celtics|Boston", text)]
    got = [(noun, member) for _, noun, member in body_links(text, ms, kinds)]
    # a name, a blank line and "The trustees" is no link; a person has no board
    assert got == [("trustees", "p3"), ("board", "p3"), ("board", "p3"), ("panel", "p3")]


def test_timeline_slashed_date_is_day_first_in_british_spelling():
    text = "The council apologised and organised a meeting on 7/8/2019."
    (d,) = find_dates(text, (0, len(text)), ANCHOR)
    assert (d.text, d.value) == ("7/8/2019", "2019-08-07")


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", [
    # opinion divided, a sign-up, a trade that is business, a count of deaths, a rally opened, a consultation
    # period ending, and the proposal a story argues over: none is an event
    ("Castillo says the Celtics are split right down the middle on the deal.", []),
    ("Sign up for the Celtics newsletter, Delaney said.", []),
    ("According to Castillo, half her summer trade walks off that boat.", []),
    ("Delaney has at last found the cure for traffic deaths: get rid of the street.", []),
    ("Delaney opened the rally from the back of a flatbed lorry.", []),
    ("\"We will publish our findings before the consultation closes,\" Castillo said.", []),
    ("Supporters of the closure say Delaney can simply go to the Celtics.", []),
    ("Castillo is an opponent of the Celtics' closure.", []),
    # the same words where they are events
    ("Delaney and Castillo split in 2013.", [("separation", ("p1", "p2"), "2013")]),
    ("Delaney opened the Celtics arena in 2009.", [("opening", ("p1", "p3"), "2009")]),
    ("The deaths of Delaney and Castillo in 2019 shocked the town.", [("death", ("p1", "p2"), "2019")]),
])
def test_timeline_words_of_events_in_uses_that_are_no_event(nlp, text, expected):
    assert event_rows(nlp, text) == expected
