"""Timeline: dated events, merged across sources.

Per article (a map) each sentence is scanned for event triggers from
``lexicon/events.txt`` (matched on token text or lemma) and for dates
(regular expressions over the sentence, spaCy DATE entities as a veto on
bare numbers). A trigger that is negated, conditional, wished-for, future or
asked about is not an event. A date belongs to a trigger when the parse links
them (the date hangs below the trigger, or both hang from the same verb).

Across articles (a reduce) mentions of the same event — same type, shared
participants — become one ``Event`` that lists every source with the date that
source gave, so a disagreement stays visible for the checks stage. A mention
whose day is a few days off (``same_event_days`` in ``lexicon/event_rules.txt``),
or that names nobody, joins the one event of its type it can be (see
``_misdated_same_event``). A byline or dateline line gives no event.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from ..lexicon import given_name_gender, load_map, load_words
from .cast import inside_quote, masthead_lines
from .language import children
from ..model import (
    Annotation, Article, DateValue, Entity, Event, EventSource, Mention, Story, Token, short_hash,
)

REQUIRES = ('articles', 'annotations', 'cast', 'mentions')
PROVIDES = ('events',)

_PRECISION_RANK = {"unknown": 0, "year": 1, "month": 2, "day": 3}


# --- dates --------------------------------------------------------------------

class DateMention(NamedTuple):
    start: int                  # offsets into the article text
    end: int
    text: str
    value: str | None           # "2009", "2019-05", "2019-05-14"; None when it needs an unknown anchor
    precision: str              # year | month | day | unknown
    end_value: str | None = None
    relative: bool = False      # read against the publication date
    future: bool = False        # "next year", "later this month": not yet happened
    # the TIMEX3 (TimeML) value where it says more than ``value`` or where ``value`` cannot say it:
    # a week "2020-W11", a quarter "2020-Q1", a season "2020-SU", a part of a day "2020-03-11TMO",
    # "PRESENT_REF" for "now"; None when it is ``value`` itself. The timeline reads ``value`` only.
    timex: str | None = None
    # a span's two ends ("from [2009] to [2011]"), each a date of its own: TIMEX3 marks them apart
    parts: tuple = ()

    def timex_value(self) -> str | None:
        """The TIMEX3 value: ``timex`` where set, else ``value``."""
        return self.timex or self.value

    def timex_units(self) -> tuple["DateMention", ...]:
        """The dates TIMEX3 would mark here: a span's two ends, else the date itself."""
        return self.parts or (self,)

    def to_value(self) -> DateValue:
        return DateValue(value=self.value, precision=self.precision, end=self.end_value, text=self.text)


@lru_cache(maxsize=None)
def _words() -> dict[str, tuple[str, ...]]:
    return load_map("dates")


@lru_cache(maxsize=None)
def _patterns() -> list[tuple[str, re.Pattern]]:
    w = _words()
    months = [m.capitalize() for m in w["months"]]
    abbrevs = [a.capitalize() for a in w["month_abbrevs"]] + ["Sept"]
    month = r"(?P<{n}>" + "|".join(months) + "|(?:" + "|".join(abbrevs) + r")\.?)"
    fullmonth = r"(?P<{n}>" + "|".join(months) + ")"
    weekday = r"(?P<wd>" + "|".join(d.capitalize() for d in w["weekdays"]) + ")"
    season = r"(?P<season>" + "|".join(w["seasons"]) + ")"
    num = r"(?P<num>\d{1,3}|a|an|" + "|".join(w["numbers"]) + ")"
    year = r"(?P<{n}>1[89]\d\d|20\d\d)(?![\d%]|s\b)"
    day = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"

    def point(p: str) -> str:
        # one absolute date inside a span: day, month or year precision
        return (rf"(?:{month.format(n=p + 'm1')}\s+{day.format(n=p + 'd1')},?\s+{year.format(n=p + 'y1')}"
                rf"|{day.format(n=p + 'd2')}\s+{month.format(n=p + 'm2')},?\s+{year.format(n=p + 'y2')}"
                rf"|{month.format(n=p + 'm3')},?\s+(?:of\s+)?{year.format(n=p + 'y3')}"
                rf"|{year.format(n=p + 'y4')})")

    quarter = r"(?i:the\s+)?(?P<q>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))[\s-]+quarter\s+of\s+"
    pats = [
        # "the same period last year", "the same month a year ago": the date given before, a year back
        ("sameperiod", r"\bthe\s+same\s+(?P<unit>period|month|quarter|week|day|season)\s+(?:of\s+)?(?:(?:the\s+)?last\s+year"
                       r"|a\s+year\s+(?:ago|earlier|before)|the\s+(?:previous|prior|preceding)\s+year)\b"),
        ("span", rf"\b(?:from|between)\s+{point('a')}\s*(?:until|till|to|through|and|[-–])\s*{point('b')}"),
        ("span", rf"(?<![\d$£€.,-]){year.format(n='ay4')}\s*[–-]\s*{year.format(n='by4')}"),
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b"),
        # "7/8/07", "14/05/2019": day and month in the order the article's spelling says (British: day first)
        ("numeric", r"(?<![\d/.,])(?P<a>[01]?\d|[23]\d)/(?P<b>[01]?\d|[23]\d)/(?P<y>(?:19|20)\d\d|\d\d)(?![\d/])"),
        ("mdy", rf"\b{month.format(n='m')}\s+{day.format(n='d')},?\s+{year.format(n='y')}"),
        ("dmy", rf"\b{day.format(n='d')}\s+(?:of\s+)?{month.format(n='m')},?\s+{year.format(n='y')}"),
        ("my", rf"\b{month.format(n='m')},?\s+(?:of\s+)?{year.format(n='y')}"),
        # "on 24 February last year", "February 24 this year": a day of the year named
        ("daymonthrel", rf"\b{day.format(n='d')}\s+(?:of\s+)?{fullmonth.format(n='m')},?\s+(?P<rel>(?i:this|last|next))"
                        r"\s+(?i:year)\b"),
        ("daymonthrel", rf"\b{fullmonth.format(n='m')}\s+{day.format(n='d')},?\s+(?P<rel>(?i:this|last|next))"
                        r"\s+(?i:year)\b"),
        ("monthrel", rf"\b{fullmonth.format(n='m')},?\s+(?:of\s+)?(?P<rel>(?i:this|last|next))\s+(?i:year)\b"),
        ("season", rf"\b(?:(?:the\s+)?(?:early|late)\s+)?(?:the\s+)?{season}\s+(?:of\s+)?{year.format(n='y')}"),
        ("part", r"\b(?:(?i:the\s+)?(?:early|late|mid)[\s-]+|(?i:the)\s+(?:start|end|beginning|middle)\s+of\s+|"
                 + quarter + r"|Q(?P<qn>[1-4])\s+)" + year.format(n='y')),
        ("mspan", rf"\b(?:from|between)\s+{fullmonth.format(n='m')}\s+(?:until|till|to|through|and)\s+"
                  rf"{fullmonth.format(n='m2')}\b(?!,?\s+(?:of\s+)?\d)"),
        ("md", rf"\b{month.format(n='m')}\s+{day.format(n='d')}\b(?!,?\s+\d)"),
        ("md", rf"\b{day.format(n='d')}\s+(?:of\s+)?{month.format(n='m')}\b(?!,?\s+\d)"),
        ("later", rf"\b{num}\s+(?P<unit>years?|months?)\s+(?:later|afterwards?|after\s+that)\b"),
        ("later", r"\b(?:the\s+)?following\s+(?P<unit>year|month)\b"),
        # "divorced in 2020; Quist joined the band the same year": the year of the date before
        ("later", r"\b(?:later\s+that|that\s+same|the\s+same)\s+(?P<unit>year)(?P<same>)\b"
                  r"(?!\s+(?:a\s+year|last\s+year|the\s+(?:previous|prior|preceding)\s+year))"),
        # "married the next year": after the date before ("over the next year" is a stretch from now)
        ("later", r"(?<!over\s)(?<!for\s)(?<!in\s)(?<!within\s)(?<!during\s)\bthe\s+next\s+(?P<unit>year|month)\b"),
        ("after", rf"\b{num}\s+(?P<unit>years?|months?)\s+(?P<dir>after|before)\s+(?:the|their|his|her)\s+(?P<noun>[a-z]+)\b"),
        # "a year after 2019", "two years before 1990": a year counted from the year named
        ("yoffset", rf"\b{num}\s+(?P<unit>years?)\s+(?P<dir>after|before)\s+{year.format(n='y')}"),
        ("ago", rf"\b{num}\s+(?P<unit>years?|months?|weeks?|days?|decades?)\s+ago\b"),
        ("deixis", r"\b(?P<deixis>yesterday|(?:earlier\s+|later\s+)?today|tonight|this\s+morning|this\s+afternoon"
                   r"|last\s+night)\b"),
        ("rel", r"\b(?:(?P<part>(?:the\s+)?(?:start|end|beginning|middle|rest|remainder)\s+of\s+)|" + quarter + r")?"
                r"(?P<rel>last|this\s+past|earlier\s+this|later\s+this|this|next)\s+(?P<unit>week|month|year)\b"),
        ("relmonth", rf"\b(?P<rel>(?i:last|this\s+past|earlier\s+this|this|next|in|since|by|until|till|through"
                     rf"|during|before|after|as\s+of|early|late|mid))[\s-]+{fullmonth.format(n='m')}\b(?!\s+\d)"),
        # "their January sales", "the June meeting": a month naming what follows (not "the March on Washington")
        ("relmonth", rf"\b(?P<det>(?i:its|their|his|her|our|my|the))\s+{fullmonth.format(n='m')}(?=\s+[a-z])"
                     r"(?!\s+(?:of|on|to|for|in|at|by|from|with|and|or)\b)"),
        ("relseason", rf"\b(?P<rel>last|this\s+past|this|next)\s+{season}\b"),
        # "their Autumn meetings", "its summer sale": a season naming a gathering, a sitting or a sale that follows
        # ("her winter coat", "the spring water" name no time)
        ("relseason", r"\b(?P<det>its|their|his|her|our|my|the)\s+(?P<season>spring|summer|autumn|fall|winter)"
                      r"(?=\s+(?:meetings?|sessions?|conferences?|sales?|holidays?|break|term|semester|tour|recess"
                      r"|elections?|games|olympics|festival|exhibition|show|transfer\s+window)\b)"),
        ("weekday", rf"\b(?:(?P<rel>(?i:last|this\s+past|next|on))\s+)?{weekday}\b"),
        ("year", rf"(?<![\d$£€.,#-]){year.format(n='y')}"),
        # no calendar date, only a side of the publication date (TimeML PRESENT_REF / PAST_REF / FUTURE_REF)
        ("ref", r"\b(?:(?P<present>currently|at\s+present|at\s+the\s+moment|(?<=for\s)the\s+time\s+being|nowadays"
                r"|(?<![-\w])(?<!from\s)now(?![-\w])(?!\s+that\b))"
                r"|(?P<past>(?:more\s+|most\s+|very\s+|only\s+)?recently|recent\s+(?:years|months|weeks|times)"
                r"|(?<!most\s)(?<![-\w])recent(?![-\w])"
                r"|(?<=in\s|of\s)the\s+past(?![\s-]+(?:[\w-]+\s+){0,2}(?:centur|decade|year|month|week|day|hour|minute|night|session|season|quarter|term|generation)))"
                r"|(?P<future>(?:the\s+)?(?:near|distant|foreseeable)\s+future|(?<=in\s)the\s+future"
                r"|the\s+(?:near|short|long|medium)\s+term"
                r"|(?:very\s+|quite\s+)?(?<![-\w])(?<!as\s)soon(?![-\w])(?!\s+(?:as|after|afterwards?|thereafter)\b)))\b"),
        # a quarter with no year ("the fourth quarter", "third-quarter results"): only in a sentence about money
        ("yquarter", r"\b(?:the\s+)?(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+quarter\b"
                     r"(?![\s-]+of\b)(?!-(?:back|final))"),
        # "from the previous year", "than the year before": the year before the date the text gave last
        ("prev", r"\bthe\s+(?:(?:previous|prior|preceding)\s+(?P<unit>year|month)"
                 r"|(?P<unit2>year|month)\s+(?:before|previous|prior|earlier))\b(?!['’]s)(?=\s*(?:[.,;:!?\"')”]|$))"),
        # "at the beginning of the year", "for the entire year": the year of the date the text gave last
        ("theyear", r"\b(?:(?:(?:the\s+)?(?:start|beginning|end|middle|rest|remainder)\s+of\s+"
                    r"|(?:early|late|earlier|later)\s+in\s+)the|the\s+(?:entire|whole|full))\s+year\b(?![-'’])"),
        # "since '82": a year in two digits after a preposition
        ("yy", r"\b(?:in|since|of|from|until|till|by|to|before|after|and|through)\s+(?P<yy>['’]\d\d)\b(?!['’]?s\b)"),
        # "the 1990s", "the '70s and '80s": a decade (TIMEX3 "199"), no calendar date of its own
        ("decade", r"\bthe\s+(?:(?:early|mid|late)[\s-]+)?(?P<dec>(?:1[89]|20)\d0['’]?s|['’]?\d0['’]?s)\b"),
        ("decade", r"(?<=0s)(?:,|\s+(?:and|or|to|through))\s+(?P<dec>(?:1[89]|20)\d0['’]?s|['’]?\d0['’]?s)\b"),
        # "to end the day at 7,100", "on the same day,", "late in the day": the day the text last named
        ("theday", r"\b(?:(?:the\s+)?(?:start|beginning)\s+of\s+|(?:early|late)\s+in\s+)the\s+day\b(?![-'’])"
                   r"|(?<!end\sof\s)\bthe\s+(?:same\s+)?day\b(?![-'’])(?=\s*(?:[.,;:!?\"')”]|$)|\s+(?:at|with|down|up|higher|lower"
                   r"|and|but)\b)"),
        # "The next day, Maddox handed in a transfer request": a day on from the day the text last named
        # "He came back the following evening and apologised": the next day's evening
        ("nextday", r"\bthe\s+(?:(?P<next>next|following)\s+(?:day|(?P<part>morning|afternoon|evening|night))"
                    r"|day\s+(?P<after>after)|(?P<prev>previous|prior)\s+day"
                    r"|day\s+(?P<before>before))\b(?![-'’])(?=\s*(?:[.,;:!?\"')”]|$)|\s+and\b)"),
    ]
    return [(name, re.compile(p, re.IGNORECASE if name in ("later", "after", "yoffset", "ago", "deixis", "rel",
                                                                    "relseason", "ref", "theday", "nextday",
                                                                    "yquarter", "prev", "theyear", "sameperiod")
                               else 0))
            for name, p in pats]


_NEXT_PART = re.compile(r"\b(?:next|following)\s+(?:morning|afternoon|evening|night)\b", re.IGNORECASE)


def _next_part_of_day(d: "DateMention") -> bool:
    """"the next morning", "the following evening": a day on from the day named, but never what the next such
    words count from ("on 3 March ... the front pages the next morning ... he apologised the next evening": the
    evening of 4 March, not of the 5th)."""
    return bool(_NEXT_PART.search(d.text))


def parse_anchor(published: str | None) -> date | None:
    """The publication day relative dates are read against, or None."""
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", published.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _month_number(name: str) -> int:
    key = name.rstrip(".").lower()[:3]
    return [m[:3] for m in _words()["months"]].index(key) + 1


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    nums = _words()["numbers"]
    return nums.index(word) if word in nums else None


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if not 1000 <= y <= 2999:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        date(y, m, d)
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _shift_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _point_value(g: dict, p: str) -> tuple[str | None, str]:
    if g.get(p + "m1"):
        return _iso(int(g[p + "y1"]), _month_number(g[p + "m1"]), int(g[p + "d1"])), "day"
    if g.get(p + "m2"):
        return _iso(int(g[p + "y2"]), _month_number(g[p + "m2"]), int(g[p + "d2"])), "day"
    if g.get(p + "m3"):
        return _iso(int(g[p + "y3"]), _month_number(g[p + "m3"])), "month"
    return _iso(int(g[p + "y4"])), "year"


def _span_end(d: "DateMention") -> "DateMention":
    """A span as the point it ends at ("from 2009 until 2011" -> 2011): what "two years later" counts from."""
    if not d.end_value:
        return d
    return d._replace(value=d.end_value, end_value=None, precision=_precision_of(d.end_value), parts=())


def _after_event(g: dict, event_anchor: "DateMention | None") -> tuple[str | None, str, str | None, bool, bool] | None:
    n = (int(g["num"]) if g["num"].lstrip("-").isdigit() else _number(g["num"])) if g.get("num") else \
        (0 if g.get("same") is not None else 1)
    if n is None:
        return None
    if event_anchor is None or event_anchor.value is None:
        return None, "unknown", None, True, False  # kept as text, never invented
    v = event_anchor.value
    y = int(v[:4])
    if g["unit"].lower().startswith("year"):
        return _iso(y + n), "year", None, False, False
    if len(v) >= 7:
        y2, m2 = _shift_months(y, int(v[5:7]), n)
        return _iso(y2, m2), "month", None, False, False
    return (_iso(y + 1), "year", None, False, False) if n >= 12 else (_iso(y), "year", None, False, False)


def _read_match(
    kind: str, g: dict, anchor: date | None, tense: str | None = None,
    event_anchor: "DateMention | None" = None, event_anchors: "dict[str, DateMention] | None" = None,
) -> tuple[str | None, str, str | None, bool, bool] | None:
    """(value, precision, end, relative, future) for one regex match, None if not a date.

    ``tense`` ("future", "past" or None) is the tense of the clause around the match:
    it picks the occurrence of a month, month-day or weekday that names no year.
    """
    if kind == "span":
        a, pa = _point_value(g, "a")
        b, _ = _point_value(g, "b")
        if a is None or b is None or b < a:
            return None
        return a, pa, b, False, False
    if kind == "iso":
        v = _iso(int(g["y"]), int(g["m"]), int(g["d"]))
        return (v, "day", None, False, False) if v else None
    if kind == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        if y < 100:
            y += 2000 if y < 50 else 1900
        day_first = a > 12 or (b <= 12 and g.get("day_first"))
        v = _iso(y, b, a) if day_first else _iso(y, a, b)
        return (v, "day", None, False, False) if v else None
    if kind in ("mdy", "dmy"):
        v = _iso(int(g["y"]), _month_number(g["m"]), int(g["d"]))
        return (v, "day", None, False, False) if v else None
    if kind == "my":
        return _iso(int(g["y"]), _month_number(g["m"])), "month", None, False, False
    if kind in ("season", "part", "year"):
        return _iso(int(g["y"])), "year", None, False, False
    if kind == "later":
        # "two years later", "the following year": after the last date the article gave before it
        return _after_event(g, event_anchor)
    if kind == "yoffset":
        n = _number(g["num"])
        if n is None:
            return None
        return _iso(int(g["y"]) + (n if g["dir"].lower() == "after" else -n)), "year", None, False, False
    if kind == "after":
        # "a month after the wedding": after the date the article gave that event (find_events passes it)
        anchor_of_noun = event_anchors.get(g["noun"].lower()) if event_anchors else None
        if g["dir"].lower() == "before":
            g = dict(g, num=str(-(_number(g["num"]) or 0)))
        return _after_event(g, anchor_of_noun)
    # everything below is read against the publication date
    if kind == "md":
        if anchor is None:
            return None, "unknown", None, True, False
        v = _nearest_day(anchor, _month_number(g["m"]), int(g["d"]), tense)
        return (v, "day", None, True, False) if v else None
    if kind == "ago":
        n = _number(g["num"])
        unit = g["unit"].lower().rstrip("s")
        if n is None:
            return None
        if anchor is None:
            return None, "unknown", None, True, False
        if unit == "decade":
            return _iso(anchor.year - 10 * n), "year", None, True, False
        if unit == "year":
            return _iso(anchor.year - n), "year", None, True, False
        if unit == "month":
            y, m = _shift_months(anchor.year, anchor.month, -n)
            return _iso(y, m), "month", None, True, False
        d = anchor - timedelta(days=n * (7 if unit == "week" else 1))
        return (_iso(d.year, d.month, d.day), "day", None, True, False) if unit == "day" else \
            (_iso(d.year, d.month), "month", None, True, False)
    if kind == "deixis":
        word = " ".join(g["deixis"].lower().split())
        if anchor is None:
            return None, "unknown", None, True, False
        d = anchor - timedelta(days=1) if word in ("yesterday", "last night") else anchor
        return _iso(d.year, d.month, d.day), "day", None, True, False
    rel = " ".join((g.get("rel") or "").lower().split())
    future = rel in ("next", "later this")
    if kind == "rel":
        unit = g["unit"].lower()
        if anchor is None:
            return None, "unknown", None, True, future
        step = {"last": -1, "this past": -1, "next": 1}.get(rel, 0)
        if unit == "year":
            return _iso(anchor.year + step), "year", None, True, future
        if unit == "month":
            y, m = _shift_months(anchor.year, anchor.month, step)
            return _iso(y, m), "month", None, True, future
        # a week straddling two months counts in the month that holds most of it (its Thursday)
        d = anchor + timedelta(days=7 * step - anchor.weekday() + 3)
        return _iso(d.year, d.month), "month", None, True, future
    if kind == "monthrel":
        if anchor is None:
            return None, "unknown", None, True, future
        step = {"last": -1, "next": 1}.get(rel, 0)
        return _iso(anchor.year + step, _month_number(g["m"])), "month", None, True, future
    if kind == "daymonthrel":
        if anchor is None:
            return None, "unknown", None, True, future
        step = {"last": -1, "next": 1}.get(rel, 0)
        value = _iso(anchor.year + step, _month_number(g["m"]), int(g["d"]))
        if value is None:
            return None
        return value, "day", None, True, future
    if kind == "mspan":
        if anchor is None:
            return None, "unknown", None, True, future
        m1, m2 = _month_number(g["m"]), _month_number(g["m2"])
        y, _ = _nearest_month(anchor, m1, tense)
        return _iso(y, m1), "month", _iso(y + (m2 < m1), m2), True, future
    if kind == "relmonth":
        if anchor is None:
            return None, "unknown", None, True, future
        m = _month_number(g["m"])
        if rel == "next":
            y = anchor.year if m > anchor.month else anchor.year + 1
        elif rel in ("last", "this past"):
            y = anchor.year if m < anchor.month else anchor.year - 1
        elif rel == "this":
            y = anchor.year
        elif rel == "earlier this":
            y = anchor.year if m <= anchor.month else anchor.year - 1
        else:   # "in June", "by July", "early June": the nearest June, or the one the tense points to
            y, m = _nearest_month(anchor, m, tense)
        return _iso(y, m), "month", None, True, future
    if kind == "relseason":
        if anchor is None:
            return None, "unknown", None, True, future
        first = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}[g["season"].lower()]
        if g.get("det"):
            # no "last" or "next": the season under way or last begun, or the coming one in a clause about the future
            if tense == "future":
                y = anchor.year if first + 2 >= anchor.month else anchor.year + 1
            else:
                y = anchor.year if first <= anchor.month else anchor.year - 1
            return _iso(y), "year", None, True, future
        if rel == "next":
            y = anchor.year if first > anchor.month else anchor.year + 1
        elif rel == "this":
            y = anchor.year
        else:
            y = anchor.year if first + 2 < anchor.month else anchor.year - 1
        return _iso(y), "year", None, True, future
    if kind == "theyear":
        if event_anchor is not None and event_anchor.value is not None:
            return event_anchor.value[:4], "year", None, False, False
        if anchor is None:
            return None, "unknown", None, True, False
        return _iso(anchor.year), "year", None, True, False
    if kind == "yy":
        n = int(g["yy"][1:])
        # the latest such year not after the publication year ("'82" in 2008: 1982; "'05": 2005)
        if anchor is None:
            return None, "unknown", None, True, False
        y = 2000 + n if 2000 + n <= anchor.year else 1900 + n
        return _iso(y), "year", None, False, False
    if kind == "decade":
        return None, "unknown", None, True, False    # only a TIMEX3 value (_decade), never a calendar date
    if kind == "prev":
        # like "the following year", counted back from the date given before (none: no date)
        unit = g.get("unit") or g["unit2"]
        if event_anchor is None or event_anchor.value is None or (unit == "month" and len(event_anchor.value) < 7):
            return None
        return _after_event({"num": "-1", "unit": unit}, event_anchor)
    if kind == "yquarter":
        if anchor is None:
            return None, "unknown", None, True, False
        y, _ = _yearless_quarter(g["q"], anchor)
        return _iso(y), "year", None, True, False
    if kind == "theday":
        # only a day the text named before: "the day" alone dates nothing
        if event_anchor is None or event_anchor.value is None or len(event_anchor.value) != 10:
            return None
        return event_anchor.value, "day", None, False, False
    if kind == "nextday":
        if event_anchor is None or event_anchor.value is None or len(event_anchor.value) != 10:
            return None
        step = 1 if (g.get("next") or g.get("after")) else -1
        return _iso_of(date.fromisoformat(event_anchor.value) + timedelta(days=step)), "day", None, False, False
    if kind == "ref":
        # "currently", "recently", "in the future": no date, only the side of the publication date; never an anchor
        return None, "unknown", None, True, bool(g.get("future"))
    if kind == "weekday":
        if anchor is None:
            return None, "unknown", None, True, future
        wd = [d.lower() for d in _words()["weekdays"]].index(g["wd"].lower())
        back = (anchor.weekday() - wd) % 7
        if rel == "next":
            d = anchor + timedelta(days=(wd - anchor.weekday()) % 7 or 7)
        elif rel in ("", "on") and tense == "future":
            # "until Friday", "will meet on Monday": this day or the next one named
            d = anchor + timedelta(days=(wd - anchor.weekday()) % 7)
        else:
            if rel in ("last", "this past") and back == 0:
                back = 7
            d = anchor - timedelta(days=back)
        return _iso(d.year, d.month, d.day), "day", None, True, future
    return None


def find_dates(
    text: str, sent_span: tuple[int, int], anchor: date | None, entities: Sequence[Entity] = (),
    event_anchor: DateMention | None = None, event_anchors: dict[str, DateMention] | None = None,
    last_day: DateMention | None = None, tokens: Sequence[Token] = (),
) -> list[DateMention]:
    """Date expressions in ``text[sent_span]``, with offsets into ``text``.

    ``event_anchor`` is the last date the article gave before this sentence: "two years
    later" and "the following year" count from it (without it they keep their text only);
    ``event_anchors`` maps an event's trigger noun ("wedding") to the date the article gave
    that event, for "a month after the wedding"; ``last_day`` is the last date of day
    precision the article gave before this sentence: "to end the day", "the same day"
    name it (without it they give nothing). ``tokens`` (the article's parse, optional) lets a
    weekday in a clause with no tense cue follow its verb: a present-tense verb that is not a
    reporting one ("they play Hartley on Saturday") names the coming day, as "will" does.

    Durations ("for three years", "30 days") are not dates and give nothing.
    ``entities`` are spaCy's: a bare year inside a CARDINAL, MONEY or QUANTITY
    ("2000 fans") is dropped.
    """
    s0, s1 = sent_span
    chunk = text[s0:s1]
    vetoes = [(e.start, e.end) for e in entities
              if e.label in ("CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL") and e.start < s1 and e.end > s0]
    names = [(m.start(), m.end()) for m in _weekday_names().finditer(chunk)]
    # "since the September 11th attacks": a day in the name of an event is no day of the publication year
    events = [(e.start, e.end) for e in entities if e.label == "EVENT" and e.start < s1 and e.end > s0]
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    same_period: list[re.Match] = []
    for kind, pat in _patterns():
        for m in pat.finditer(chunk):
            a, b = m.start() + s0, m.end() + s0
            if kind in ("sameperiod", "later"):
                # read once every other date of the sentence is known: they count from one of them
                taken.append((a, b))
                same_period.append((kind, m))
                continue
            if any(a < tb and b > ta for ta, tb in taken):
                continue
            if kind == "year" and any(a < vb and b > va for va, vb in vetoes) and not _year_on_a_noun(chunk, m):
                continue
            if kind == "weekday" and any(m.start("wd") < nb and m.end("wd") > na for na, nb in names):
                continue
            if kind == "year" and _inside_name(chunk, m.start(), m.end()):
                continue    # "the Russell 2000 Index", "Windows 2000 Server"
            if kind == "md" and any(ea <= a and b <= eb for ea, eb in events):
                continue
            if kind == "yquarter" and not _money_sentence(chunk):
                continue    # "in the fourth quarter" of a game
            if kind == "theday" and re.search(r"(?:^|\W)(?:" + "|".join(_words()["day_idiom_verbs"]) + r")\s+$",
                                              chunk[max(0, m.start() - 20):m.start()], re.IGNORECASE):
                continue    # "won the day", "saved the day": no day at all
            tense = clause_tense(chunk, m.start(), m.end()) if kind in _TENSED else None
            if kind == "weekday" and tense is None and tokens:
                tense = _present_tense(tokens, m.start("wd") + s0, m.end("wd") + s0)
            before = event_anchor
            if kind in ("prev", "theyear"):
                # a date earlier in the sentence ("fell 4% last month from the previous year") comes first
                prior = [d for d in out if d.end <= a and d.value and not d.future and not d.end_value]
                before = max(prior, key=lambda d: d.end) if prior else event_anchor
            if kind in ("theday", "nextday"):
                # a day named earlier in the sentence ("On Monday, the index fell ... to end the day") comes first
                days = [d for d in out if d.end <= a and d.precision == "day" and d.value and not d.future
                        and not _next_part_of_day(d)]
                before = max(days, key=lambda d: d.end) if days else last_day
            groups = m.groupdict()
            if kind == "numeric":
                groups["day_first"] = _day_first(text)
            read = _read_match(kind, groups, anchor, tense, before, event_anchors)
            if read is None:
                continue
            value, precision, end, relative, future = read
            if value is None and not relative:
                continue
            rel = " ".join((m.groupdict().get("rel") or "").lower().split())
            if kind in ("relmonth", "md", "mspan") and rel not in ("last", "this past", "earlier this", "this", "next"):
                # a month without a year takes it from a dated phrase before it in the sentence
                # ("met in June 2011 and were married by July"), else from the publication date
                month = _month_number(m.group("m"))
                day = int(m.group("d")) if kind == "md" else None
                ctx = _year_from_context(out, m.start("m") + s0, month, day, anchor)
                if ctx is not None:
                    if kind == "mspan":
                        m2 = _month_number(m.group("m2"))
                        end = _iso(int(ctx[:4]) + (m2 < month), m2)
                    value, precision, relative = ctx, ("day" if day else "month"), False
                elif day and anchor is not None:
                    # "Tuesday, January 14": the year in which that day is that weekday, nearest the anchor
                    named = _weekday_before(chunk, m.start())
                    fits = [date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                            if _iso(y, month, day) and date(y, month, day).weekday() == named]
                    if named is not None and fits:
                        pick = min(fits, key=lambda d: abs((d - anchor).days))
                        value, future = _iso_of(pick), pick > anchor
            if (kind == "relmonth" and (rel in _PREPOSITIONS or m.groupdict().get("det"))) or \
                    (kind == "weekday" and rel == "on") or (kind == "relseason" and m.groupdict().get("det")):
                # the preposition is not part of the date: "in [October]", "on [Monday]", "their [Autumn] meetings"
                a = m.start({"relmonth": "m", "weekday": "wd"}.get(kind, "season")) + s0
            if anchor is not None and value is not None and value > _iso_of(anchor):
                future = True
            taken.append((m.start() + s0, b))
            timex = _timex(kind, m.groupdict(), value, anchor) if value else None
            if kind == "decade":
                timex = _decade(m.group("dec"), anchor)
                if timex is None:
                    continue
            if kind in ("yy", "decade"):
                a = m.start("yy" if kind == "yy" else "dec") + s0   # "since ['82]", "the [70s]"
            if kind == "ref":
                timex = next(k.upper() + "_REF" for k in ("present", "past", "future") if m.group(k))
            parts = ()
            if kind in ("span", "mspan") and end:
                ends = [_group_span(m, ("a", "b") if kind == "span" else ("m", "m2"), i) for i in (0, 1)]
                parts = tuple(DateMention(pa + s0, pb + s0, text[pa + s0:pb + s0], v, _precision_of(v), None,
                                          relative, future) for (pa, pb), v in zip(ends, (value, end)))
            out.append(DateMention(a, b, text[a:b], value, precision, end, relative, future, timex, parts))
    for kind, m in same_period:
        a, b = m.start() + s0, m.end() + s0
        if kind == "sameperiod":
            out.append(DateMention(a, b, text[a:b], *_same_period(out, a, m["unit"].lower(), event_anchor, anchor)))
            continue
        # "two years later", "the following year": from the last date before it, in the sentence or the article;
        # after a span ("closed from 2009 until 2011, and two years later ..."), from its end
        prior = [_span_end(d) for d in out if d.end <= a and d.value and not d.future]
        read = _after_event(m.groupdict(), max(prior, key=lambda d: d.end) if prior else event_anchor)
        if read is not None and (read[0] is not None or read[3]):
            value, precision, end, relative, future = read
            if anchor is not None and value is not None and value > _iso_of(anchor):
                future = True
            out.append(DateMention(a, b, text[a:b], value, precision, end, relative, future))
            if precision == "year" and value:
                # "Two years later, on 21 February, Mali died": a day without a year after it is in that year
                for k, d in enumerate(out):
                    if d.start > b and d.precision == "day" and d.value and _YEARLESS_DAY.match(d.text):
                        out[k] = d._replace(value=value + d.value[4:], future=False)
    return sorted(out)


_YEARLESS_DAY = re.compile(r"^(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2}(?:st|nd|rd|th)?)$")


def _group_span(m: re.Match, names: tuple[str, str], i: int) -> tuple[int, int]:
    """Offsets (in the sentence) of one end of a span match: the groups named ``names[i]``
    (for "span", every group starting with "a" or "b"; for "mspan", "m" and "m2")."""
    if names == ("m", "m2"):
        return m.span(names[i])
    spans = [m.span(k) for k, v in m.groupdict().items() if v and k.startswith(names[i])]
    return min(a for a, _ in spans), max(b for _, b in spans)


def _precision_of(value: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "unknown")


def _same_period(
    before: list[DateMention], at: int, unit: str, event_anchor: DateMention | None, anchor: date | None,
) -> tuple[str | None, str, str | None, bool, bool, str | None]:
    """(value, precision, end, relative, future, timex) of "the same period last year": the last date
    given before it (in the sentence, else in the article) a year back; without one, last year.
    A period is no single day: a day given before only dates "the same day"."""
    prior = [d for d in before if d.end <= at and d.value and not d.future and not d.end_value]
    ref = max(prior, key=lambda d: d.end) if prior else event_anchor
    if ref is not None and ref.value is not None and len(ref.value) == 10 and unit != "day":
        ref = ref._replace(value=ref.value[:7]) if unit == "month" else None
    if ref is not None and ref.value is not None and len(ref.value) >= 7:
        y = int(ref.value[:4]) - 1
        v = _iso(y, int(ref.value[5:7]), int(ref.value[8:10]) if len(ref.value) == 10 else None) \
            or _iso(y, int(ref.value[5:7]))
        timex = f"{y:04d}{ref.timex[4:]}" if ref.timex and re.fullmatch(r"\d{4}-(?:Q[1-4]|SP|SU|FA|WI)", ref.timex) \
            else None
        return v, ("day" if len(v) == 10 else "month"), None, False, False, timex
    if ref is not None and ref.timex and re.fullmatch(r"\d{4}-Q[1-4]", ref.timex):
        y = int(ref.timex[:4]) - 1
        return _iso(y), "year", None, False, False, f"{y:04d}{ref.timex[4:]}"
    if anchor is None:
        return None, "unknown", None, True, False, None
    return _iso(anchor.year - 1), "year", None, True, False, None


_TENSED = ("md", "mspan", "relmonth", "weekday")
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "final": 4, "last": 4}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_DAY_PARTS = {"this morning": "MO", "this afternoon": "AF", "tonight": "NI", "last night": "NI"}


_NAME_BREAKS = frozenset(("in", "on", "by", "since", "until", "till", "before", "after", "from", "during", "through",
                          "of", "for", "to", "and", "or", "at", "as", "than", "around", "circa", "the", "a", "an"))


def _inside_name(chunk: str, start: int, end: int) -> bool:
    """A bare number between two capitalised words, the first not opening the sentence ("The Russell 2000
    Index"): part of a name. A preposition before it ("Sales Rise In 2008 Despite...") keeps it a year."""
    before = re.search(r"(\S+)\s(\w+)\s$", chunk[:start])
    after = re.match(r"\s[A-Z]\w*", chunk[end:])
    return bool(before and after and before[2][:1].isupper() and before[2].lower() not in _NAME_BREAKS)


def _decade(word: str, anchor: date | None) -> str | None:
    """TIMEX3 value of a decade: "1990s" -> "199"; "the '70s" -> "197"; "the 20s" -> "202" in 2025, "192" in 2015."""
    digits = re.sub(r"\D", "", word)
    if len(digits) == 4:
        return digits[:3]
    n = int(digits)
    if anchor is None:
        return f"19{digits[0]}" if n >= 30 else None
    return f"20{digits[0]}" if 2000 + n <= anchor.year else f"19{digits[0]}"


def _yearless_quarter(word: str, anchor: date) -> tuple[int, int]:
    """(year, quarter) of "the third quarter" with no year: the one nearest the publication date;
    "the last quarter" is the one before the publication date's own."""
    word = word.lower()
    if word == "last":
        n = anchor.year * 4 + (anchor.month - 1) // 3 - 1
        return n // 4, n % 4 + 1
    q = _QUARTERS[word]
    y, _ = _nearest_month(anchor, 3 * q - 1, None)   # by its middle month, whatever the tense
    return y, q


def _money_sentence(chunk: str) -> bool:
    """The sentence speaks of money or business (results, sales, %), not of a game's quarters."""
    words = set(re.findall(r"[a-z]+|%", chunk.lower()))
    w = _words()
    return bool(words & set(w["quarter_cues"])) and not words & set(w["game_words"])


def _timex(kind: str, g: dict, value: str, anchor: date | None) -> str | None:
    """The TIMEX3 value of a match where it is finer than ``value`` (week, quarter, season, part of day)."""
    q = g.get("qn") or _QUARTERS.get((g.get("q") or "").lower())
    if q and kind in ("part", "rel"):
        # "the third quarter of 2009", "Q3 2009", "the first quarter of last year"
        return f"{value[:4]}-Q{q}" if len(value) == 4 else None
    if kind in ("season", "relseason") and len(value) == 4:
        return f"{value}-{_SEASONS[g['season'].lower()]}"
    if anchor is None:
        return None
    if kind == "yquarter":
        return "{}-Q{}".format(*_yearless_quarter(g["q"], anchor))
    if kind == "rel" and g["unit"].lower() == "week" and not g.get("part"):
        # "last week", "this week", "next week": the ISO week
        rel = " ".join(g["rel"].lower().split())
        y, w, _ = (anchor + timedelta(days=7 * {"last": -1, "this past": -1, "next": 1}.get(rel, 0))).isocalendar()
        return f"{y:04d}-W{w:02d}"
    if kind == "ago" and g["unit"].lower().startswith("week"):
        # TimeML reads "two weeks ago" as the day two weeks back
        n = _number(g["num"])
        return _iso_of(anchor - timedelta(days=7 * n)) if n else None
    if kind == "deixis":
        part = _DAY_PARTS.get(" ".join(g["deixis"].lower().split()))
        return value + "T" + part if part and len(value) == 10 else None
    return None
_PREPOSITIONS = ("in", "since", "by", "until", "till", "through", "during", "before", "after", "as of")


def _year_from_context(
    before: list[DateMention], at: int, month: int, day: int | None = None, anchor: date | None = None,
) -> str | None:
    """The month (or day) dated by the last absolute date before ``at`` in the sentence, or None.

    A later month than that date's stays in its year, an earlier one rolls into
    the next ("Signed in November 2010, traded in March" -> 2011-03). A dateline
    (the publication date itself) dates nothing: the caller reads the month
    against the publication date instead.
    """
    pub = _iso_of(anchor) if anchor else None
    prior = [d for d in before if d.end <= at and d.value and not d.relative and d.value != pub]
    if not prior:
        return None
    last = max(prior, key=lambda d: d.end)
    y = int(last.value[:4])
    if len(last.value) >= 7 and (month, day or 0) < (int(last.value[5:7]), int(last.value[8:10] or 0)):
        y += 1
    return _iso(y, month, day)


def _nearest_day(anchor: date, month: int, day: int, tense: str | None) -> str | None:
    """The month-day nearest the anchor; the next one for a future clause, the last one for a past one."""
    days = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        v = _iso(y, month, day)
        if v:
            days.append(date(y, month, day))
    if not days:
        return None
    if tense == "future":
        pick = min((d for d in days if d >= anchor), default=None)
    elif tense == "past":
        pick = max((d for d in days if d <= anchor), default=None)
    else:
        pick = None
    if pick is None:
        pick = min(days, key=lambda d: (abs((d - anchor).days), d > anchor))
    return _iso_of(pick)


def _nearest_month(anchor: date, month: int, tense: str | None) -> tuple[int, int]:
    """(year, month) of the month nearest the anchor, or the next/last one as the tense says."""
    here = anchor.year * 12 + anchor.month - 1
    cands = [(anchor.year + k) * 12 + month - 1 for k in (-1, 0, 1)]
    if tense == "future":
        n = min(c for c in cands if c >= here)
    elif tense == "past":
        n = max(c for c in cands if c <= here)
    else:
        n = min(cands, key=lambda c: (abs(c - here), c > here))
    return n // 12, n % 12 + 1


@lru_cache(maxsize=None)
def _tense_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, frozenset[str]]:
    w = _words()

    def alternation(phrases: Iterable[str]) -> str:
        alts = []
        for p in sorted(phrases, key=len, reverse=True):
            body = r"\s+".join(re.escape(x) for x in p.split())
            alts.append(("" if p.startswith("'") else r"(?<![\w'])") + body + r"(?![\w'])")
        return "(?:" + "|".join(alts) + ")"

    future = re.compile(alternation(w["future_cues"]), re.IGNORECASE)
    past = re.compile(alternation(w["past_cues"]), re.IGNORECASE)
    ed = re.compile(r"(?<![\w'])(?:(?P<be>be|being|to)\s+)?(?P<w>[a-z]{2,}ed)(?![\w'])")
    breaks = re.compile(r"[;:()\[\]\"“”—–]|,\s|\s-\s|" + alternation(w["clause_breaks"]), re.IGNORECASE)
    return future, past, ed, breaks, frozenset(w["not_past"])


def clause_tense(chunk: str, start: int, end: int) -> str | None:
    """"future", "past" or None: the tense cues in the clause around ``chunk[start:end]``.

    The clause runs between punctuation or clause words ("that", "and", "which");
    an opening date phrase ("On Friday, ...") belongs to the clause after it.
    The cue nearest the date decides: future ones ("will", "until", "is
    scheduled", "to be") or past ones ("was", "said", a verb in -ed not after
    "be"); at the same distance the future one.
    """
    future, past, ed, breaks, not_past = _tense_patterns()
    cuts = [(m.start(), m.end()) for m in breaks.finditer(chunk)]
    lo = max((e for s, e in cuts if e <= start), default=0)
    after = [s for s, _ in cuts if s >= end]
    hi = after[0] if after else len(chunk)
    if len(chunk[lo:start].split()) <= 1 and not chunk[end:hi].strip() and after:
        hi = after[1] if len(after) > 1 else len(chunk)
    cues = []   # (distance from the date, 0 for future / 1 for past)
    for text, at in ((chunk[lo:start], lambda m: start - lo - m.end()), (chunk[end:hi], lambda m: m.start())):
        cues += [(at(m), 0) for m in future.finditer(text)]
        cues += [(at(m), 1) for m in past.finditer(text)]
        cues += [(at(m), 1) for m in ed.finditer(text) if not m["be"] and m["w"] not in not_past]
    if not cues:
        return None
    return ("future", "past")[min(cues)[1]]


def _present_tense(tokens: Sequence[Token], start: int, end: int) -> str | None:
    """"future" when the clause verb above the date at ``start:end`` is in the simple present and not a
    reporting verb ("the team plays Hartley on Saturday", "the vote is on Thursday": a scheduled day),
    else None. "says on Monday", "has said", "did" give None."""
    at = [k for k, t in enumerate(tokens) if t.start < end and t.end > start]
    if not at:
        return None
    verb = _clause_verb(tokens, tokens[at[0]].head)
    t = tokens[verb]
    if t.tag not in ("VBZ", "VBP") or t.lemma.lower() in load_words("reporting_verbs"):
        return None
    if any(tokens[k].head == verb and k != verb and tokens[k].dep in ("aux", "auxpass") for k in range(len(tokens))):
        return None     # "has signed", "is being built": no simple present
    return "future"


@lru_cache(maxsize=None)
def _weekday_names() -> re.Pattern:
    names = sorted(load_words("weekday_names"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(re.escape(x) for x in n.split()) for n in names) + r")\b",
                      re.IGNORECASE)


def _weekday_before(chunk: str, at: int) -> int | None:
    """The weekday (Monday 0) named right before ``chunk[at]`` ("Tuesday, " or "Tuesday "), else None."""
    m = re.search(r"\b([A-Za-z]+),?\s+$", chunk[max(0, at - 14):at])
    days = _words()["weekdays"]
    word = m.group(1).lower() if m else ""
    return days.index(word) if word in days else None


def _is_weekday(word: str) -> bool:
    return word.strip().lower() in _weekday_set()


@lru_cache(maxsize=1)
def _weekday_set() -> frozenset[str]:
    return frozenset(w.lower() for w in _words()["weekdays"])


def _iso_of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def resolve_date(expr: str, anchor: date | None = None) -> DateValue | None:
    """The date an expression names, or None when it names none (a duration, a number).

    Relative expressions need ``anchor`` (the publication day); without one
    the words are kept with precision "unknown" and no value.
    """
    found = [d for d in find_dates(expr, (0, len(expr)), anchor) if not d.timex or d.value is not None]
    if not found:
        return None
    best = max(found, key=lambda d: (d.end - d.start, -d.start))
    return best.to_value()


def format_date(value: str | None) -> str:
    """'2011' -> '2011', '2011-07' -> 'July 2011', '2011-07-14' -> 'July 14, 2011'."""
    if not value:
        return "an unknown date"
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = calendar.month_name[int(parts[1])]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{month} {int(parts[2])}, {parts[0]}"


def dates_conflict(a: str | None, b: str | None) -> bool:
    """Two ISO values disagree at the precision both give ('2016-12' vs '2017')."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] != b[:n]


# --- events -------------------------------------------------------------------

@dataclass(frozen=True)
class EventLexicon:
    triggers: tuple[tuple[tuple[str, ...], str], ...]   # (words, "type" or "type/subtype"), longest first
    phrases: dict
    rules: dict
    by_first_word: dict = field(default_factory=dict)   # first word -> ranks into triggers
    verb_objects: tuple = ()    # (type, verb lemmas, object lemmas): "added a wing" is an expansion
    nominals: dict = field(default_factory=dict)   # verb lemma (+ particle) -> the event's noun ("suspend" -> suspension)

    def words(self, name: str) -> frozenset[str]:
        return frozenset(self.rules.get(name, ()))


def load_event_lexicon() -> EventLexicon:
    """Triggers, summary phrases and rules from ``lexicon/`` (data, not code)."""
    return _load_event_lexicon()


@lru_cache(maxsize=None)
def _load_event_lexicon() -> EventLexicon:
    triggers = []
    for key, phrases in load_map("events").items():
        for p in phrases:
            triggers.append((tuple(p.split()), key))
    triggers.sort(key=lambda t: (-len(t[0]), t[0], t[1]))
    by_first: dict[str, tuple[int, ...]] = {}
    for rank, (words, _) in enumerate(triggers):
        by_first[words[0]] = by_first.get(words[0], ()) + (rank,)
    pairs = load_map("event_verb_objects")
    verb_objects = tuple((key[:-len(" verbs")], frozenset(words), frozenset(pairs.get(key[:-len(" verbs")] + " objects", ())))
                         for key, words in pairs.items() if key.endswith(" verbs"))
    nominals = {verb: noun for noun, verbs in load_map("event_nouns").items() for verb in verbs}
    return EventLexicon(tuple(triggers), dict(load_map("event_phrases")), dict(load_map("event_rules")), by_first,
                        verb_objects, nominals)


@dataclass
class EventMention:
    doc: str
    kind: str                   # "divorce" or "divorce/filed"
    sent_start: int
    sent_end: int
    text: str                   # the sentence
    trigger: str
    participants: tuple[str, ...]
    date: DateMention | None
    finalized: bool = False
    order: int = 0              # position in the corpus, for stable output
    trigger_span: tuple[int, int] | None = None   # character offsets of the trigger words
    published: str | None = None  # the source's publication day (ISO), when known
    scheduled: bool = False     # dated after its source was published and told as due ("will meet on May 3")
    known: bool = False         # told as the one the reader knows: "the meeting", "the trustees' meeting"
    attach_only: bool = False   # undated, of a type that needs a date: only a source of an event others date
    sentence_years: frozenset = frozenset()   # (attach_only) the years its sentence gives to other things
    spoken: bool = False        # dated by a quoted "today" or "yesterday": the day of the words, give or take

    @property
    def type(self) -> str:
        return self.kind.split("/")[0]


def _ancestors(tokens: Sequence[Token], i: int) -> list[int]:
    out = []
    seen = {i}
    while tokens[i].head != i and tokens[i].head not in seen and 0 <= tokens[i].head < len(tokens):
        i = tokens[i].head
        seen.add(i)
        out.append(i)
    return out


def _subtree(kids: list[list[int]], i: int) -> list[int]:
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(kids[j])
    return out


def _phrase(tokens: Sequence[Token], kids: list[list[int]], i: int) -> list[int]:
    """The words of the phrase headed by ``i``, without the relative clauses hung on it ("Castillo, who left the
    Celtics in 2019,": the Celtics are no part of what Castillo does in the main clause)."""
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(c for c in kids[j] if tokens[c].dep != "relcl")
    return out


def _clause_verb(tokens: Sequence[Token], i: int) -> int:
    """The nearest verb at or above token ``i`` (the clause it belongs to)."""
    for j in [i] + _ancestors(tokens, i):
        if tokens[j].pos in ("VERB", "AUX") and tokens[j].dep not in ("aux", "auxpass"):
            return j
    return i


_STAND_INS = frozenset(("it", "which", "that"))


def _object_lemma(tokens: Sequence[Token], k: int, objects: frozenset[str]) -> str:
    """The lemma of object ``k``; for a relative pronoun ("the award, which she received") the noun its clause
    describes, and for "it" ("walked up to collect it") the nearest earlier noun among ``objects`` in this
    sentence or the one before it (no further: "it" rarely reaches back two sentences)."""
    t = tokens[k]
    lemma = t.lemma.lower()
    if lemma not in _STAND_INS:
        return lemma
    if lemma != "it":
        verb = tokens[t.head]
        return tokens[verb.head].lemma.lower() if verb.dep == "relcl" else lemma
    j = k - 1
    while j >= 0 and tokens[j].sent >= t.sent - 1:
        if tokens[j].pos == "NOUN" and tokens[j].lemma.lower() in objects:
            return tokens[j].lemma.lower()
        j -= 1
    return lemma


def match_triggers(tokens: Sequence[Token], lo: int, hi: int, lex: EventLexicon) -> list[tuple[int, int, str]]:
    """(first token, last token + 1, kind) for each trigger phrase in tokens[lo:hi], longest first.

    Phrases are tried in lexicon order (longest first), each over the whole
    sentence; a token taken by an earlier phrase is not reused.
    """
    forms = [(tokens[i].text.lower(), tokens[i].lemma.lower()) for i in range(lo, hi)]
    cands = []
    for i, (text, lemma) in enumerate(forms):
        for rank in lex.by_first_word.get(text, ()) + (lex.by_first_word.get(lemma, ()) if lemma != text else ()):
            words = lex.triggers[rank][0]
            n = len(words)
            if i + n <= len(forms) and all(w in forms[i + k] for k, w in enumerate(words)):
                cands.append((rank, i))
    used: set[int] = set()
    found = []
    for rank, i in sorted(set(cands)):
        n = len(lex.triggers[rank][0])
        if any(k in used for k in range(i, i + n)):
            continue
        found.append((lo + i, lo + i + n, lex.triggers[rank][1]))
        used.update(range(i, i + n))
    # "added a surgical wing", "broke his ankle", "lodged a formal claim", "a broken ankle": a verb and its
    # object (lexicon/event_verb_objects.txt)
    for k in range(lo, hi):
        t = tokens[k]
        h = t.head
        if not lo <= h < hi or h - lo in used:
            continue        # the object may be a trigger itself: "settled a lawsuit" is a settlement
        for kind, verbs, objects in lex.verb_objects:
            if k - lo in used and t.dep not in ("dobj", "nsubjpass"):
                break
            # the object, or the subject of the verb in the passive ("her ban was reduced")
            if t.dep in ("dobj", "nsubjpass") and tokens[h].pos == "VERB" and tokens[h].lemma.lower() in verbs \
                    and _object_lemma(tokens, k, objects) in objects:
                found.append((h, h + 1, kind))
                used.add(h - lo)
                break
            if t.dep == "amod" and (t.text.lower() in verbs or t.lemma.lower() in verbs) \
                    and tokens[h].lemma.lower() in objects:
                found.append((k, k + 1, kind))
                used.add(k - lo)
                break
            # "came to Dunmere in 1979": coming to a named place is an arrival
            if t.dep == "pobj" and t.ent_type in _PLACE_ENTS and tokens[h].lemma.lower() == "to" \
                    and lo <= tokens[h].head < hi and tokens[tokens[h].head].lemma.lower() in lex.words("arrive_to") \
                    and tokens[h].head - lo not in used and tokens[tokens[h].head].pos == "VERB":
                found.append((tokens[h].head, tokens[h].head + 1, "arrival"))
                used.add(tokens[h].head - lo)
                break
            # the verb's complement: "became chief executive", "was named manager"; "came in as chief executive",
            # "was dropped as presenter", "checked himself into a clinic"
            v = h if t.dep in ("attr", "oprd") else (
                tokens[h].head if t.dep == "pobj" and tokens[h].lemma.lower() in ("as", "into") else None)
            if v is not None and lo <= v < hi and v - lo not in used and tokens[v].pos == "VERB" \
                    and tokens[v].lemma.lower() in verbs and t.lemma.lower() in objects:
                found.append((v, v + 1, kind))
                used.add(v - lo)
                break
    return sorted(found)


_GENERIC_PREPS = frozenset(("in", "on", "at", "during"))
_PLACE_ENTS = frozenset(("GPE", "LOC", "FAC"))


def generic_triggers(tokens: Sequence[Token], kids, lo: int, hi: int, dates: Sequence["DateMention"],
                     triggers: Sequence[tuple[int, int, str]], lex: EventLexicon,
                     reporting: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Events no trigger word names, told by a verb a date hangs on: "Halden Performance recalled the batch in
    March" (recall), "was provisionally suspended in October 2024" (suspension), "won her first national title in
    2019" (title). The verb takes the date directly ("in", "on", "at", "during", or a bare "last month"), is no
    trigger and shares no clause with one, and is none of the verbs that tell no event (``not_generic``: "was 29
    in 2024", "said on Monday"); a span ("from 1921 until 1986") tells a state, not an event. The event is named
    by ``lexicon/event_nouns.txt`` or by the verb's own lemma."""
    taken = {k for i, j, _ in triggers for k in range(i, j)}
    trigger_clauses = {_clause_verb(tokens, i) for i, _, _ in triggers}
    stop = lex.words("not_generic")
    by_object = lex.words("object_named")
    prizes = lex.words("object_named_objects")
    reporting_events = lex.words("reporting_events")
    out: list[tuple[int, int, str]] = []
    for d in dates:
        if d.value is None or d.parts or d.end_value:
            continue
        dtoks = [k for k in range(lo, hi) if tokens[k].start < d.end and tokens[k].end > d.start]
        if not dtoks or _names_a_thing(tokens, dtoks):
            continue
        inside = set(dtoks)
        top = next((k for k in dtoks if tokens[k].head not in inside or tokens[k].head == k), dtoks[0])
        t = tokens[top]
        if t.dep == "pobj" and tokens[t.head].lemma.lower() in _GENERIC_PREPS:
            v = tokens[t.head].head
        elif t.dep == "prep" and t.lemma.lower() in _GENERIC_PREPS:
            v = t.head
        elif t.dep in ("npadvmod", "tmod"):
            v = t.head
        else:
            continue
        if _free_relative_of(tokens, kids, v, tokens[v].head):
            v = tokens[v].head
        verb = tokens[v]
        what = verb.lemma.lower()
        if verb.pos == "NOUN" and verb.dep == "conj" and what in prizes and v not in taken \
                and tokens[verb.head].lemma.lower() in by_object and not any(o[0] == v for o in out):
            # "won her first national title in 2019 and a bronze medal ... in 2021": the second thing won, with
            # a date of its own
            out.append((v, v + 1, lex.nominals.get(what, what)))
            continue
        if verb.pos != "VERB" or v in taken or v in trigger_clauses or any(o[0] == v for o in out):
            continue
        lemma = verb.lemma.lower()
        if not re.fullmatch(r"[a-z][a-z-]+", lemma):
            continue
        deps = {tokens[c].dep: c for c in kids[v]}
        if lemma in by_object:
            obj = deps.get("dobj")
            what = tokens[obj].lemma.lower() if obj is not None else ""
            if what in prizes:
                out.append((v, v + 1, lex.nominals.get(what, what)))
            continue
        if lemma in stop:
            continue
        if lemma in reporting and (lemma not in reporting_events
                                   or "dobj" not in deps or "ccomp" in deps or "xcomp" in deps):
            continue        # "recalled on Monday that ..." reports; "recalled the batch in March" is a recall
        prt = deps.get("prt")
        phrase = f"{lemma} {tokens[prt].text.lower()}" if prt is not None else lemma
        kind = lex.nominals.get(phrase) or lex.nominals.get(lemma) or phrase.replace(" ", "")
        out.append((v, v + 1, kind))
    return out


def _free_relative_of(tokens, kids, v: int, i: int) -> bool:
    """"sold what remained of the business in 1990": the clause of "what" is the object of ``i``, and a date the
    parser hung on its verb dates ``i``."""
    return tokens[v].head == i and tokens[v].dep in ("ccomp", "dobj") and any(
        tokens[c].text.lower() in ("what", "whatever") and tokens[c].dep in ("nsubj", "dobj") for c in kids[v])


def _is_irrealis(tokens, kids, i: int, lex: EventLexicon, allow: frozenset[str] = frozenset()) -> bool:
    """Negated, conditional, wished-for, planned or future: not an event that happened.

    ``allow``: modal and verb lemmas that do not count (what schedules an event: "will", "is expected to").
    """
    modal = lex.words("modal") - allow
    condition = lex.words("condition")
    irrealis = lex.words("irrealis") - allow
    chain = [i] + _ancestors(tokens, i)
    # a relative clause asserts what it tells whatever the clause above it wishes or plans ("will decide whether
    # to withdraw the award, which she received on 21 May")
    cut = next((n for n, j in enumerate(chain) if tokens[j].dep == "relcl"), None)
    if cut is not None:
        chain = chain[:cut + 1]
    verb = _clause_verb(tokens, i)
    for j in {i, verb}:
        for c in kids[j]:
            ct = tokens[c]
            if ct.dep == "neg" or (ct.dep == "det" and ct.lemma.lower() == "no") or (
                    ct.dep == "advmod" and ct.lemma.lower() in lex.words("almost")):
                return True
            if ct.dep == "aux" and (ct.lemma.lower() in modal or ct.text.lower() in modal):
                return True
            if j == verb and ct.dep == "advcl" and any(
                    tokens[g].dep == "mark" and tokens[g].lemma.lower() in condition - {"whether"}
                    and not (g > 0 and tokens[g - 1].text.lower() in ("as", "even")) for g in kids[c]):
                return True     # "will hold a vigil on Saturday if the vote goes against them" (not "will
                #                 decide on 14 October whether to overturn it")
    for j in chain:
        t = tokens[j]
        if j != i and t.lemma.lower() in irrealis:
            return True
        if t.dep == "ROOT" and t.tag == "VB" and t.lemma.lower() in ("let", "make", "give", "keep", "send") and not any(
                tokens[c].dep in ("nsubj", "nsubjpass", "aux", "auxpass") and tokens[c].sent == t.sent for c in kids[j]):
            return True     # "Let Kamala, Rupa and Sita retire to Valbrune": what the writer asks for
        for c in kids[j]:
            ct = tokens[c]
            if ct.dep == "mark" and ct.lemma.lower() in condition:
                return True
            if j != i and ct.dep == "aux" and (ct.lemma.lower() in modal or ct.text.lower() in modal):
                # "they should get back together", "would have married"
                if j == verb or tokens[j].lemma.lower() in ("get", "be", "have"):
                    return True
        # "going to marry"
        if j != i and t.lemma.lower() == "go" and tokens[i].dep == "xcomp" and any(
                tokens[c].dep == "aux" for c in kids[j]):
            return True
    return False


def _it_reporter(tokens, kids, i: int, reporting: frozenset[str]) -> int | None:
    """The subject of the reporting verb above the trigger at ``i`` when the trigger's own subject is "it" ("The
    board said it would review the decision", "Kestrel said it had dropped him"): a body speaking of itself."""
    verb = _clause_verb(tokens, i)
    if not any(tokens[c].dep in ("nsubj", "nsubjpass") and tokens[c].text.lower() == "it" for c in kids[verb]):
        return None
    if not _reported_clause(tokens, verb, reporting):
        return None
    return next((c for c in kids[tokens[verb].head] if tokens[c].dep == "nsubj"), None)


def _reported_would(tokens, kids, i: int, reporting: frozenset[str]) -> bool:
    """The clause of the trigger at ``i`` says "would" and is what a reporting verb reports ("said the group
    would hold a vigil on Saturday", "confirmed that it would announce its decision on 28 November"): the
    "will" of the words reported, told in the past."""
    verb = _clause_verb(tokens, i)
    would = any(tokens[c].dep == "aux" and tokens[c].text.lower() == "would" for c in kids[verb])
    return would and _reported_clause(tokens, verb, reporting)


def _reported_clause(tokens, verb: int, reporting: frozenset[str]) -> bool:
    """The clause at ``verb`` is what a reporting verb reports ("The board said [it would review ...]")."""
    return tokens[verb].dep == "ccomp" and tokens[tokens[verb].head].lemma.lower() in reporting


def _modal_above(tokens, kids, i: int, lex: EventLexicon) -> bool:
    """A modal ("would", "will", "could") on the trigger or on any verb it hangs from in its sentence, or an
    imperative above it ("go to the meetings and tell them")."""
    modal = lex.words("modal")
    for j in [i] + _ancestors(tokens, i):
        if any(tokens[c].dep == "aux" and (tokens[c].lemma.lower() in modal or tokens[c].text.lower() in modal)
               for c in kids[j]):
            return True
        if tokens[j].dep == "ROOT" and tokens[j].tag == "VB" and not any(
                tokens[c].dep in ("nsubj", "nsubjpass", "expl") for c in kids[j]):
            return True
    return False


def _span_head(tokens, i: int) -> int:
    """The noun a trigger's first word modifies ("public" -> "hearing" in "a public hearing")."""
    k = i
    while tokens[k].dep in ("amod", "compound") and k < tokens[k].head <= k + 3:
        k = tokens[k].head
    return k


def _is_reference(tokens, i: int, lex: EventLexicon) -> bool:
    """'after the divorce', 'a week after a public hearing': the sentence mentions the event to date something
    else."""
    t = tokens[_span_head(tokens, i)]
    if t.pos in ("NOUN", "PROPN") and t.dep == "pobj":
        prep = tokens[t.head].lemma.lower()
        return prep in lex.words("temporal_prep") and prep not in lex.words("same_time_prep")
    return False


def _skip_trigger(tokens, kids, i: int, j: int, kind: str, lex: EventLexicon | None = None) -> bool:
    """Trigger words in uses that are not the event ('wedding photographer', 'released from jail')."""
    t = tokens[i]
    if lex is not None and t.dep == "amod" and any(
            kind == vk and tokens[t.head].lemma.lower() in objs for vk, _, objs in lex.verb_objects):
        return False        # "a broken ankle": the adjective told with its object is the event
    if lex is not None:
        # the parser sometimes tags the noun a verb where it does a noun's job ("at the school board hearing on May
        # 13": an object of "at" with a determiner of its own)
        as_noun = t.pos == "NOUN" or (t.dep in ("pobj", "dobj", "nsubj", "nsubjpass") and t.tag in ("NN", "VBG")
                                      and any(tokens[c].dep == "det" for c in kids[i]))
        if j - i == 1 and not as_noun and (t.text.lower() in lex.words("noun_only")
                                           or t.lemma.lower() in lex.words("noun_only")):
            money = any(tokens[c].dep == "dobj" and tokens[c].ent_type == "MONEY" for c in kids[i]) or (
                t.dep == "relcl" and tokens[t.head].ent_type == "MONEY")
            if not (t.lemma.lower() == "offer" and money):
                return True     # "offered her condolences" is no offer; "offered £38 million" is a bid
        if kind.split("/")[0] in lex.words("no_infinitive") and any(
                tokens[c].dep == "xcomp" and any(tokens[g].dep == "aux" and tokens[g].text.lower() == "to"
                                                 for g in kids[c])
                for k in range(i, j) for c in kids[k]):
            return True     # "refused to comment": a refusal of nothing the timeline tells
    if j - i == 1:
        if t.pos == "PROPN" or t.ent_type in ("WORK_OF_ART", "ORG", "PERSON", "GPE", "FAC", "EVENT", "LAW"):
            return True
        if t.dep in ("compound", "amod") and t.pos != "VERB":
            return True
        if t.dep == "amod":
            return True
    lemma = t.lemma.lower()
    up = tokens[t.head]
    if lex is not None and t.head != i and up.dep == "prep" and up.lemma.lower() in ("from", "of") \
            and tokens[up.head].lemma.lower() in lex.words("near_miss"):
        return True          # "a fortnight from splitting up", "within days of closing": it did not happen
    kid_lemmas = {tokens[c].lemma.lower() for c in kids[i]}
    kid_deps = {(tokens[c].dep, tokens[c].lemma.lower()) for c in kids[i]}
    base = kind.split("/")[0]
    if base == "release" and ("from" in kid_lemmas):
        return True
    if base == "death" and lemma == "kill" and not (any(d == "auxpass" for d, _ in kid_deps) or t.dep == "acl"):
        return True          # "was killed", "a cyclist killed at the corner"; "the corner that killed her" names no one
    if base == "signing" and lemma == "join" and "from" not in kid_lemmas and (
            kid_lemmas & lex.words("join_not_objects") if lex else True):
        return True          # "joined the protest", "joined calls for": taking part, no event of its own
    if base == "bid" and t.dep == "pobj" and tokens[t.head].lemma.lower() == "in":
        return True          # "in a bid to save the branch": an attempt, no bid
    if base == "engagement" and ("prep", "in") in kid_deps:
        return True          # "engaged in talks"
    if base == "separation" and lemma == "split" and any(d == "dobj" for d, _ in kid_deps):
        return True          # "split the bill"
    if base == "separation" and lemma == "split" and any(
            d in ("auxpass", "aux") and w == "be" for d, w in kid_deps) or (up.lemma.lower() == "be" and t.dep == "acomp"):
        return True          # "her members are split right down the middle": divided, nobody parted
    if base == "signing" and ("prt", "up") in kid_deps:
        return True          # "sign up for the newsletter"
    if t.pos == "NOUN" and base in ("trade", "death") and any(
            tokens[c].dep == "compound" and tokens[c].pos == "NOUN" for c in kids[i]) and (
            base == "trade" or t.tag == "NNS"):
        return True          # "half my summer trade" is business; "traffic deaths" a count, nobody's death
    if base == "opening" and ("up" in kid_lemmas or any(
            d == "dobj" and w in (lex.words("opening_not_objects") if lex else {"fire"}) for d, w in kid_deps)):
        return True     # "opened up about", "opened fire", "open their season"
    if base == "closure" and lex is not None and any(
            (tokens[c].dep in ("nsubj", "nsubjpass") or (tokens[c].dep == "compound" and t.pos == "VERB"))
            and tokens[c].lemma.lower() in lex.words("closure_not_subjects") for c in kids[i]):
        return True     # "the transfer window closes on 1 September" (the parser may take the subject of "the
        #                 consultation closes" for a compound)
    if base in ("closure", "opening") and t.pos not in ("VERB", "NOUN"):
        return True
    if kind == "meeting" and t.pos != "VERB":
        return True          # "met" / "meet" as verbs only ("a track meet"); a public meeting is its own type
    if base in ("trade", "signing", "vote", "statement", "interview") and t.pos not in ("VERB", "NOUN"):
        return True
    return False


_CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "poss"})


def _verb_above(tokens, k: int, steps: int = 3) -> int | None:
    """The first verb above token ``k`` within ``steps`` heads ("with" under "set" under "on" under "collapsed")."""
    for _ in range(steps):
        h = tokens[k].head
        if h == k:
            return None
        k = h
        if tokens[k].pos == "VERB":
            return k
    return None


def _argument_tokens(tokens, kids, i: int, j: int, lex: EventLexicon, core: bool = False) -> list[int]:
    """Tokens that name who the event happened to: subject, object, possessor (``core``: only those)."""
    arg_deps = _CORE_DEPS if core else {"nsubj", "nsubjpass", "dobj", "dative", "attr", "agent", "poss", "appos"}
    temporal = lex.words("temporal_prep")
    heads = list(range(i, j))
    t = tokens[i]
    if t.dep in ("acomp", "xcomp", "oprd", "attr"):
        heads.append(t.head)      # "got engaged": the subject hangs from "got"
    elif t.dep == "dobj" and t.pos == "NOUN" and tokens[t.head].pos == "VERB":
        heads.append(t.head)      # "Ashford City put in a bid", "held a rally": who did the light verb did it
    elif tokens[j - 1].dep == "pobj" and tokens[j - 1].pos == "NOUN" \
            and tokens[tokens[j - 1].head].lemma.lower() == "with" \
            and (v := _verb_above(tokens, tokens[j - 1].head)) is not None:
        heads.append(v)   # "He collapsed on set with a heart attack": he had it
    elif tokens[j - 1].dep == "pobj" and tokens[j - 1].pos == "NOUN" \
            and tokens[tokens[j - 1].head].lemma.lower() in ("in", "into") \
            and (v := _verb_above(tokens, tokens[j - 1].head)) is not None \
            and tokens[v].lemma.lower() in ("end", "result", "culminate"):
        heads.append(v)   # "His marriage to Renée Castillo ended in divorce": the marriage's people divorced
    elif t.dep == "pcomp" and t.tag == "VBG" and tokens[t.head].dep == "prep" and tokens[t.head].head != t.head \
            and not any(tokens[c].dep in ("nsubj", "nsubjpass") for c in kids[i]):
        heads.append(tokens[t.head].head)   # "Varley, who left the band after walking off stage": Varley walked off
    gov = heads[-1] if heads[-1] not in range(i, j) else t.head
    out: list[int] = []
    for h in heads:
        for c in kids[h]:
            ct = tokens[c]
            if c in range(i, j):
                continue
            if ct.text.lower() == "whose":
                # "Hamish Drummond, 64, whose 2019 book ...": the owner is the name before it
                k = c - 1
                while k >= 0 and tokens[k].pos in ("PUNCT", "NUM"):
                    k -= 1
                if k >= 0 and tokens[k].pos in ("PROPN", "NOUN"):
                    out.append(k)
                continue
            if ct.dep == "poss" and _relative_noun(ct):
                out.append(c)     # "her husband's death": the husband's, whoever "her" is
            elif ct.dep in arg_deps:
                out.extend(_phrase(tokens, kids, c))
            elif not core and ct.dep == "prep" and ct.lemma.lower() not in temporal and ct.lemma.lower() not in ("in", "on", "at", "for"):
                for g in kids[c]:
                    if tokens[g].dep == "pobj":
                        out.extend(_subtree(kids, g))
        if tokens[h].dep == "relcl" and h in (i, t.head, gov) and (not core or _subject_relative(tokens, kids, h)):
            # the noun a relative clause hangs on; a core argument when the relative pronoun is the clause's
            # subject ("Valbrune, which opened in 2019": Valbrune opened; not "the house, where they sleep").
            # A name after "in" is where the noun before it is ("the museum in Port Sefa, which opened in
            # 2023": the museum opened)
            ante = tokens[h].head
            if core and _where_of_a_noun(tokens, ante):
                ante = tokens[tokens[ante].head].head
            out.append(ante)
            if tokens[tokens[h].head].dep == "appos":
                # "the Valbrune Elephant Sanctuary, a 40-hectare site that opened in 2019": the site is the name
                out.append(tokens[tokens[h].head].head)
    if t.dep == "acl" and t.tag == "VBN" and tokens[t.head].pos in ("NOUN", "PROPN") and t.head not in range(i, j):
        # "The prize, founded in 1994, ...", "the book, published in October 2024": the noun the participle
        # describes is what was founded or published
        stack = [t.head]
        while stack:
            k = stack.pop()
            out.append(k)
            stack.extend(c for c in kids[k] if c != i and tokens[c].dep not in ("relcl", "acl"))
    if t.dep == "conj" and not any(tokens[c].dep in ("nsubj", "nsubjpass") for c in kids[i]):
        for c in kids[t.head]:
            if tokens[c].dep in ("nsubj", "nsubjpass"):
                out.extend(_subtree(kids, c))
    return sorted(set(out))


@lru_cache(maxsize=None)
def _relative_words() -> frozenset[str]:
    return frozenset(w for ws in load_map("gendered_nouns").values() for w in ws)


def _relative_noun(t: Token) -> bool:
    """A person named by a relation or role (lexicon/gendered_nouns.txt: husband, mother, spokeswoman)."""
    return t.pos == "NOUN" and t.lemma.lower() in _relative_words()


def _unnamed_subject(tokens, kids, i: int) -> bool:
    """The trigger's clause has a subject that is a common noun ("the two trust boards voted"): the event's
    doers are that group, not whatever names the sentence holds elsewhere."""
    heads = [i]
    if tokens[i].dep in ("acomp", "xcomp", "oprd", "attr", "dobj") and tokens[i].head != i:
        heads.append(tokens[i].head)
    for h in heads:
        for c in kids[h]:
            if h == i and tokens[c].dep == "poss" and _relative_noun(tokens[c]):
                return True     # "her husband's death": somebody's relative, unnamed
            if tokens[c].dep not in ("nsubj", "nsubjpass"):
                continue
            if tokens[c].pos == "NOUN" or (tokens[c].pos == "PRON" and tokens[c].text.lower() in ("i", "we")):
                return True     # "the two boards voted"; "before I was born" with no byline in the cast
            # "a building that opened in 1964": the relative pronoun stands for the noun the clause hangs on
            ante = tokens[h].head
            if _where_of_a_noun(tokens, ante):
                ante = tokens[tokens[ante].head].head      # "the museum in Port Sefa, which opened"
            if tokens[c].text.lower() in ("that", "which") and tokens[h].dep == "relcl" and _common_noun(tokens[ante]) \
                    and not any(tokens[g].pos == "PROPN" and not tokens[g].text.islower()
                                and tokens[g].dep in ("compound", "poss") for g in kids[ante]):
                return True
    return False


def _counted_subject(tokens, kids, i: int) -> bool:
    """The trigger's subject is counted, not named: "more than 4,000 fish died", "two men were found dead"."""
    heads = [i] + ([tokens[i].head] if tokens[i].dep in ("acomp", "xcomp", "oprd") else [])
    return any(tokens[c].dep in ("nsubj", "nsubjpass") and tokens[c].pos in ("NOUN", "NUM")
               and (tokens[c].lemma.lower() in _COUNT_NOUNS
                    or any(tokens[g].dep == "nummod" and tokens[g].text.lower() not in ("one", "1") for g in kids[c]))
               for h in heads for c in kids[h])


_COUNT_NOUNS = frozenset(("dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
                          "score", "scores"))


def _resolve_pronouns(tokens, idxs: list[int], mentions: Sequence[Mention], kinds: dict, lex: EventLexicon,
                      subjects: Sequence[tuple[int, str]] = (), author: str | None = None,
                      text: str = "", known: dict[str, str] | None = None) -> list[str]:
    """he/she -> the last person named before; they/the couple -> the last two; it/its -> the thing (not a
    person) that was the subject of a sentence just before ("The Elm Street branch opened in 1962. It was closed
    for renovation in 2009"); I/my/me, outside quotation marks, -> ``author``, the cast member the byline names
    ("I worked at the works from 1984 until I retired in 2016")."""
    plural, singular = lex.words("plural"), lex.words("singular")
    out: list[str] = []
    genders: dict[str, str | None] = {}
    for k in idxs:
        t = tokens[k]
        word = t.text.lower()
        if word in ("i", "my", "me") and t.pos == "PRON":
            if author and text and not inside_quote(text, t.start):
                out.append(author)
            continue
        if word in ("it", "its") and t.pos in ("PRON", "DET"):
            before = [(at, mid) for at, mid in subjects if at < t.start and tokens[k].sent - 2 <= _sent_at(tokens, at)]
            if before:
                out.append(before[-1][1])
            continue
        if t.pos not in ("PRON", "NOUN", "DET") or word not in plural | singular:
            continue
        want = 2 if word in plural else 1
        if want == 2 and t.pos == "PRON" and _plural_subject_before(tokens, k, mentions):
            continue    # "Two of the posts cracked when they were moved": the posts, not the last two people
        # "He collapsed on set": never a woman the text names as one (a given name almost always a woman's)
        g = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}.get(word)
        people: list[str] = []
        at = -1
        for m in sorted(mentions, key=lambda m: m.start, reverse=True):
            if m.end > t.start:
                continue
            if kinds and kinds.get(m.member) != "person":
                continue
            if g and m.member not in genders:
                genders[m.member] = (known or {}).get(m.member) or _member_gender(m.member, mentions)
            if g and genders[m.member] not in (None, g):
                continue
            if m.member not in people:
                people.append(m.member)
                at = m.start
            if len(people) == want:
                break
        subject_side = t.dep in ("nsubj", "nsubjpass") or (t.dep == "poss"
                                                          and tokens[t.head].dep in ("nsubj", "nsubjpass"))
        if want == 2 and t.pos in ("PRON", "DET") and subject_side:
            # "Saltmarsh Radio formed in 2009; their most recent album ...": a band, a club or a board named as a
            # subject since the second of the last two people is what "they" and "their" stand for, on the subject's
            # side of the clause ("debates their future" leaves the future to whoever it was)
            group = [(a, mid) for a, mid in subjects if a < t.start and tokens[k].sent - 1 <= _sent_at(tokens, a)]
            if group and (len(people) < 2 or (group[-1][0] > at
                                              and not _two_people_since(tokens, k, group[-1][0], mentions, kinds))):
                out.append(group[-1][1])
                continue
        if len(people) == want:
            out.extend(people)
    return out


_PERSONAL = frozenset(("he", "him", "his", "she", "her", "hers"))


def _two_people_since(tokens, k: int, since: int, mentions: Sequence[Mention], kinds: dict) -> bool:
    """Between the character offset ``since`` and the pronoun at ``k``, two people are named or taken up by
    he/she ("Kestrel gave him the show. He married Jeanette in 1988; they divorced in 2003": the couple, not the
    channel)."""
    named = {m.member for m in mentions if since < m.start and m.end <= tokens[k].start
             and (not kinds or kinds.get(m.member) == "person")}
    said = False
    x = k - 1
    while x >= 0 and tokens[x].start > since and not said:
        said = tokens[x].text.lower() in _PERSONAL and tokens[x].pos == "PRON"
        x -= 1
    return len(named) + said >= 2


def _plural_subject_before(tokens, k: int, mentions: Sequence[Mention]) -> bool:
    """Earlier in the sentence of the pronoun at ``k``, a plural common noun is a subject ("The posts", "Two of
    the posts"), and nobody is named between it and the pronoun."""
    x = k - 1
    while x >= 0 and tokens[x].sent == tokens[k].sent:
        t = tokens[x]
        if t.tag == "NNS" and t.pos == "NOUN":
            subject = t.dep in ("nsubj", "nsubjpass") or (
                t.dep == "pobj" and tokens[t.head].lemma.lower() == "of"
                and tokens[tokens[t.head].head].dep in ("nsubj", "nsubjpass"))
            if subject:
                return not any(t.end <= m.start and m.end <= tokens[k].start for m in mentions)
        x -= 1
    return False


def _member_gender(member: str, mentions: Sequence[Mention]) -> str | None:
    """"f" or "m" when the member's mentions open with a given name of one gender only, else None."""
    found = {given_name_gender(m.text.split()[0]) for m in mentions if m.member == member and " " in m.text.strip()}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


_BODY_NOUNS = {"board": "board", "trustee": "trustees", "trustees": "trustees", "governor": "governors",
               "governors": "governors", "director": "directors", "directors": "directors", "panel": "panel",
               "committee": "committee", "cabinet": "cabinet"}
_BODY_AFTER = re.compile(r"(?:['\u2019]s?)?[ ]+(?:(?!(?i:the|a|an|and|or)[ ])[A-Za-z-]+[ ]+)?"
                         r"((?i:board|trustees|governors|directors|panel|committee|cabinet))\b")
_BODY_BEFORE = re.compile(r"\b(board|trustees|governors|directors|panel|committee|cabinet)\s+of\s+(?:the\s+)?$",
                          re.IGNORECASE)


def body_links(text: str, mentions: Sequence[Mention], kinds: dict) -> list[tuple[int, str, str]]:
    """(offset, "board"/"trustees"/..., cast id) for each organisation the text names with its governing body:
    "the board of the Dunmere Zoological Society", "the Wrenfield trustees", "Kestrel's board"."""
    out = []
    for m in mentions:
        if kinds.get(m.member) != "organization":
            continue
        after = _BODY_AFTER.match(text, m.end)
        before = _BODY_BEFORE.search(text, max(0, m.start - 40), m.start)
        for hit in (after, before):
            if hit:
                out.append((m.start, hit.group(1).lower(), m.member))
    return out


def _body_member(links: Sequence[tuple[int, str, str]], t, bodies: dict[str, str] | None) -> str | None:
    """The organisation "the board" / "the trustees" at token ``t`` stands for: the one the article last named with
    that body before it (``links``: its ``body_links``), else the one the story names with it (``bodies``)."""
    noun = _BODY_NOUNS.get(t.text.lower())
    if noun is None:
        return None
    before = [member for at, n, member in links if n == noun and at < t.start]
    if before:
        return before[-1]
    return (bodies or {}).get(noun)


def _described_things(tokens, kids, idxs: list[int], mentions: Sequence[Mention], kinds: dict,
                      starts: Sequence[int], links: Sequence[tuple[int, str, str]] | None = None,
                      bodies: dict[str, str] | None = None) -> list[str]:
    """Organisations and places named earlier in the article and taken up again by a description: "the museum"
    after "the Kelso Museum", "the national museum" after "the National Museum of the Keth Islands" — only
    when one of them fits the head noun and every word before it; a bare class noun ("the company", "the firm",
    lexicon/organisation_nouns.txt) takes up the organisation named last before it (``starts``: each token's start
    offset)."""
    out: list[str] = []
    generic = load_words("organisation_nouns")
    class_nouns = generic | load_words("business_nouns")
    for k in idxs:
        t = tokens[k]
        if t.pos != "NOUN" or not any(tokens[c].dep == "det" and tokens[c].text.lower() == "the" for c in kids[k]):
            continue
        if any(m.start < t.end and m.end > t.start for m in mentions):
            continue
        mods = [tokens[c].text.lower() for c in kids[k] if tokens[c].dep in ("amod", "compound") and c < k]
        own = any(tokens[c].dep == "prep" and tokens[c].lemma.lower() == "of" for c in kids[k])
        body = _body_member(links, t, bodies) if links is not None and not mods and not own else None
        if body is not None:
            out.append(body)     # "the trustees" after "the trustees of the Wrenfield Prize"
            continue
        words_of: dict[str, set[str]] = {}
        for m in mentions:
            if m.end <= t.start and kinds.get(m.member, "person") != "person":
                words_of.setdefault(m.member, set()).update(w.lower() for w in re.findall(r"[\w'-]+", m.text))
        fits = [mid for mid, words in words_of.items()
                if t.text.lower() in words and all(w in words for w in mods)]
        if not fits and not mods and t.lemma.lower() not in class_nouns:
            # "the chef was declared bankrupt" after "The television chef Alasdair Delahaye": the one person the
            # article introduced with that word
            named = {m.member for m in mentions if m.end <= t.start and kinds.get(m.member) == "person"
                     and _introduced_as(tokens, starts, m, t.lemma.lower())}
            fits = list(named) if len(named) == 1 else []
        if not fits and not mods and t.lemma.lower() in class_nouns:
            # "the restaurant" after "opened his restaurant Hearth & Salt": the organisation the article introduced
            # with that noun; else "the company" after "the Teague Pigment Works": the organisation named last
            earlier = [m for m in sorted(mentions, key=lambda m: -m.start)
                       if m.end <= t.start and kinds.get(m.member) in ("organization", "place")]
            # (a restaurant or a shop is a place as well as a business)
            named = next((m for m in earlier if _introduced_as(tokens, starts, m, t.lemma.lower())), None)
            last = named or next((m for m in earlier if kinds.get(m.member) == "organization"
                                  and not _modifier_only(tokens, starts, m) and t.lemma.lower() in generic), None)
            fits = [last.member] if last is not None else []
        if len(fits) == 1:
            out.append(fits[0])
    return out


def _introduced_as(tokens, starts: Sequence[int], m: Mention, noun: str) -> bool:
    """The name comes straight after ``noun`` ("his restaurant Hearth & Salt") or has it in apposition ("Hearth &
    Salt, the restaurant he opened")."""
    k = bisect.bisect_right(starts, m.start) - 1
    if 0 < k and tokens[k - 1].lemma.lower() == noun:
        return True
    end = bisect.bisect_left(starts, m.end) - 1
    return any(tokens[x].lemma.lower() == noun and tokens[x].dep == "appos" and k <= tokens[x].head <= end
               for x in range(end + 1, min(end + 6, len(tokens))))


def _modifier_only(tokens, starts: Sequence[int], m: Mention) -> bool:
    """The name only qualifies a noun after it ("forty-one Eastbank families") or says where ("in Eastbank")
    (``starts``: each token's start offset)."""
    k = bisect.bisect_left(starts, m.end) - 1
    if not 0 <= k < len(tokens):
        return False
    if tokens[k].dep == "compound" and tokens[tokens[k].head].pos == "NOUN":
        # ... unless that noun says what the name is: "the Room to Roam campaign", "the Safe Streets group"
        return tokens[tokens[k].head].lemma.lower() not in load_words("group_nouns")
    first = bisect.bisect_left(starts, m.start)
    return 0 < first <= k and tokens[first - 1].text.lower() in ("in", "at", "near", "across", "around", "from") \
        and tokens[k].dep == "pobj"


def _at_the_scene(tokens, kids, i: int) -> bool:
    """The trigger's clause says it happened "at the scene" (of what the sentence before told)."""
    return any(tokens[c].dep == "prep" and tokens[c].lemma.lower() == "at"
               and any(tokens[g].dep == "pobj" and tokens[g].lemma.lower() == "scene"
                       and any(tokens[d].text.lower() == "the" for d in kids[g]) for g in kids[c])
               for c in kids[i])


def _common_noun(t: Token) -> bool:
    """A common noun, counting a lower-case word the tagger calls a proper noun ("the national museum")."""
    return t.pos == "NOUN" or (t.pos == "PROPN" and t.text.islower())


def _subject_relative(tokens, kids, r: int) -> bool:
    """The relative clause headed by ``r`` has "that", "which" or "who" as its subject ("which opened in 2019";
    not "where they sleep")."""
    return any(tokens[c].dep in ("nsubj", "nsubjpass") and tokens[c].text.lower() in ("that", "which", "who")
               for c in kids[r])


def _where_of_a_noun(tokens, k: int) -> bool:
    """Token ``k`` says where a common noun is: "the museum in Port Sefa"."""
    if tokens[k].dep != "pobj" or tokens[tokens[k].head].lemma.lower() not in ("in", "at"):
        return False
    return _common_noun(tokens[tokens[tokens[k].head].head])


def _place_is_argument(tokens, starts: Sequence[int], m: Mention, kids=None, trigger: int | None = None) -> bool:
    """The place is the subject, object or possessor, or names the thing that is ("The Elm Street branch
    opened"), or is what a relative clause's subject stands for ("places at Valbrune, a site that opened in
    2019") — not a word inside another name ("Former Portland Pioneers forward Marcus Delaney").
    ``starts``: each token's start offset; ``kids``: each token's children; ``trigger``: the event word, whose
    own clause the relative clause must be."""
    k = bisect.bisect_left(starts, m.end) - 1     # the mention's last token
    if k < 0:
        return False
    first = bisect.bisect_left(starts, m.start)
    # "Hearth & Salt": the name's own head is the word whose head lies outside it ("Salt" hangs on "Hearth")
    k = next((x for x in range(first, k + 1) if not first <= tokens[x].head <= k or tokens[x].head == x), k)
    if tokens[k].dep == "compound" and tokens[k].head != k:
        k = tokens[k].head
    if tokens[k].dep in _CORE_DEPS:
        return True
    if kids is None or trigger is None:
        return False
    # "the museum in Port Sefa, which opened in 2023": the museum opened, not the town
    heads = ([] if _where_of_a_noun(tokens, k) else [k]) + [c for c in kids[k] if tokens[c].dep == "appos"]
    return any(tokens[r].dep == "relcl" and r in (trigger, tokens[trigger].head) and _subject_relative(tokens, kids, r)
               for h in heads for r in kids[h])


def _sent_at(tokens, offset: int) -> int:
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    return tokens[min(lo, len(tokens) - 1)].sent


def _subject_things(tokens, mentions: Sequence[Mention], kinds: dict, starts: Sequence[int]) -> list[tuple[int, str]]:
    """(offset, member) of the places and organisations that are, or name, a clause's subject (``starts``: each
    token's start offset)."""
    out = []
    for m in mentions:
        if kinds.get(m.member, "person") == "person":
            continue
        k = bisect.bisect_left(starts, m.end) - 1   # the mention's last token
        if k < 0:
            continue
        for _ in range(4):   # "the Elm Street branch": up the compound chain to the head noun
            if tokens[k].dep != "compound" or tokens[k].head == k:
                break
            k = tokens[k].head
        if tokens[k].dep in ("nsubj", "nsubjpass"):
            out.append((m.start, m.member))
    return out


def _date_owner(tokens, kids, date_tokens: list[int], triggers: list[tuple[int, int, str]],
                refs: frozenset[int] = frozenset()) -> int | None:
    """Index into ``triggers`` of the trigger the date belongs to, by the parse (``refs``: triggers that only
    name an event to date another, "three days before the hearing", which a clause's date does not go to)."""
    if not date_tokens:
        return None
    top = _date_top(tokens, date_tokens)
    owner_of = {k: n for n, (i, j, _) in enumerate(triggers) for k in range(i, j)}
    t = tokens[top]
    if _names_a_thing(tokens, date_tokens):
        # a year before a noun names that thing ("the 2019 wedding", "the 2025 budget"): it dates the noun
        # when the noun is an event, and nothing else
        return owner_of.get(t.head)
    # "about 2016, when the unit was downgraded", "since 1981, when the museum turned down their request",
    # "on June 11, when the council is expected to take a vote": the clause hung on the date by "when" is what
    # happens then
    for k in date_tokens:
        for c in kids[k]:
            if tokens[c].dep == "relcl" and any(tokens[g].text.lower() == "when" for g in kids[c]):
                if c in owner_of:
                    return owner_of[c]
                inside = set(_subtree(kids, c))
                inner = [n for n, (i, _, _) in enumerate(triggers) if i in inside]
                if len(inner) == 1:
                    return inner[0]
    verb = _clause_verb(tokens, tokens[top].head)
    # climb only to the date's own clause: a conjoined or embedding clause is another event
    conjunct = None
    for a in _ancestors(tokens, top):
        if a in owner_of:
            return owner_of[a]
        if a == verb:
            break
        if conjunct is None and tokens[a].dep == "conj":
            conjunct = a
    # "was killed by a truck while riding her bicycle on Sept. 23": a clause opened by "while" or "as" with no
    # event of its own happens when the event it hangs on does
    if tokens[verb].dep == "advcl" and tokens[verb].head in owner_of and any(
            tokens[c].dep == "mark" and tokens[c].text.lower() in ("while", "as") for c in kids[verb]):
        inside = set(_subtree(kids, verb))
        if not any(i in inside for i, _, _ in triggers):
            return owner_of[tokens[verb].head]
    same = [n for n, (i, _, _) in enumerate(triggers) if _clause_verb(tokens, i) == verb and n not in refs]
    # "shouting about his divorce six years ago, and about the bankruptcy a year after that": a date inside one
    # conjunct dates that conjunct's event, never one told in the other (the parser makes the second "about" a
    # conjunct, or a sibling of the first with "and" between them)
    if conjunct is not None:
        inside = set(_subtree(kids, conjunct))
        same = [n for n in same if triggers[n][0] in inside]
    same = [n for n in same if not _apart_by_and(tokens, kids, top, triggers[n][0], verb)]
    if len(same) > 1:
        # "spoke at a public hearing on the proposal on May 15": the event nearest the clause's verb, when one is
        # (the proposal only says what the hearing was about)
        depth = {n: _steps_up(tokens, triggers[n][0], verb) for n in same}
        near = min(depth.values())
        same = [n for n in same if depth[n] == near]
    return same[0] if len(same) == 1 else None


_NOT_THE_SAME = frozenset(("first", "second", "third", "next", "last", "latest", "previous", "another", "earlier",
                           "later", "new", "final", "other", "second-round", "follow-up", "further", "one"))


def _told_as_known(tokens, kids, i: int, j: int) -> bool:
    """A noun trigger told as the one the reader already knows ("At the meeting in Lydford Village Hall on January
    21", "the trustees' meeting"): "the" or a possessive, and no word that makes it another one ("the next
    meeting", "the first hearing")."""
    head = j - 1
    if tokens[head].pos not in ("NOUN", "PROPN") and tokens[head].dep not in ("pobj", "dobj", "nsubj", "nsubjpass"):
        return False
    mods = [tokens[c] for k in range(i, j) for c in kids[k] if c not in range(i, j)]
    if any(m.lemma.lower() in _NOT_THE_SAME or m.text.lower() in _NOT_THE_SAME or m.pos == "NUM" for m in mods):
        return False
    return any((m.dep == "det" and m.text.lower() == "the") or m.dep == "poss" for m in mods)


_SUBORDINATE = frozenset(("advcl", "ccomp"))


def _in_other_clause(tokens, starts: Sequence[int], m: Mention, i: int, reporting: frozenset[str]) -> bool:
    """The name stands in a clause of its own opened by "before", "because", "although"… that the trigger is not
    in, and that clause does not report ("long before anybody had heard of Niamh Corrigan"; but "..., Odom said"
    reports, and "with Delaney giving evidence" opens with no such word)."""
    k = bisect.bisect_right(starts, m.start) - 1
    if not 0 <= k < len(tokens):
        return False
    v = _clause_verb(tokens, k)
    if v == _clause_verb(tokens, i) or tokens[v].lemma.lower() in reporting:
        return False
    return (tokens[v].dep in _SUBORDINATE and any(tokens[c].dep == "mark" and tokens[c].head == v
                                                   for c in range(max(0, v - 12), v))
            and i not in _ancestors(tokens, v) and v not in _ancestors(tokens, i))


def _counted_back(tokens, kids, verb: int, triggers, owned) -> "DateMention | None":
    """The date of the clause at ``verb`` when it hangs on a dated trigger by "N years/months after" or
    "before": the trigger's date moved back (after) or on (before) by that much, at the precision it allows."""
    t = tokens[verb]
    if t.dep != "advcl" or not 0 <= t.head < len(tokens):
        return None
    found = _counted_mark(tokens, kids, verb)
    if found is None:
        return None
    mark, unit, count, n = found
    dates = [d for k, (a, _, _) in enumerate(triggers) if a == t.head or _clause_verb(tokens, a) == t.head
             for d in owned.get(k, []) if d.value and not d.end_value and not d.future]
    if not dates:
        return None
    return _moved(tokens, dates[0], unit, count, -n if mark == "after" else n, mark)


def _counted_ahead(tokens, kids, verb: int, mine: Sequence["DateMention"]) -> "DateMention | None":
    """When the clause at ``verb`` opens with its own "N years/months before" or "after" and every date hung on it
    is written before those words, the one date moved by that much: it dates what the clause is counted from."""
    found = _counted_mark(tokens, kids, verb)
    if found is None:
        return None
    mark, unit, count, n = found
    opens = min([tokens[unit].start] + [tokens[c].start for c in count])
    if not mine or any(d.end > opens or not d.value or d.end_value or d.future for d in mine):
        return None
    return _moved(tokens, mine[-1], unit, count, -n if mark == "after" else n, mark)


def _counted_on(tokens, kids, verb: int, dates: Sequence["DateMention"]) -> "DateMention | None":
    """The date of the clause at ``verb`` when a clause hung on it by "N years/months after" or "before" is dated
    ("founded the group a month after her son spent four days in hospital in August 2021": September 2021)."""
    for a in kids[verb]:
        if tokens[a].dep != "advcl":
            continue
        found = _counted_mark(tokens, kids, a)
        if found is None:
            continue
        mark, unit, count, n = found
        inside = {tokens[k].start for k in _subtree(kids, a)}
        there = [d for d in dates if d.start in inside and d.value and not d.end_value and not d.future]
        if there:
            return _moved(tokens, there[0], unit, count, n if mark == "after" else -n, mark)
    return None


def _counted_to_later_date(tokens, kids, text: str, verb: int, i: int, dates: Sequence["DateMention"], hi: int
                           ) -> "DateMention | None":
    """"founded the group a month after her son Rhys, then 11, spent four days in hospital in August 2021", parsed
    with "after" taking only "her son": the first date later in the same clause, moved by the count, when no
    "and", "but" or ";" comes between."""
    for k in kids[verb]:
        if tokens[k].dep != "prep" or tokens[k].lemma.lower() not in ("after", "before") or k < i:
            continue
        found = _counted_unit(tokens, kids, [k], ("year", "month"))
        if found is None:
            continue
        unit, count, n = found
        later = [d for d in dates if d.start > tokens[k].end and d.value and not d.end_value and not d.future]
        if not later or later[0].start > tokens[hi - 1].end:
            return None
        between = text[tokens[k].end:later[0].start]
        if ";" in between or re.search(r"\b(?:and|but)\b", between):
            return None
        mark = tokens[k].lemma.lower()
        return _moved(tokens, later[0], unit, count, n if mark == "after" else -n, mark)
    return None


_UNIT_DAYS = {"day": 1, "week": 7}


def _counted_before_clause(tokens, kids, i: int, dates: Sequence["DateMention"], lo: int, hi: int
                           ) -> "DateMention | None":
    """The date of a trigger named after "N days/weeks/months/years after" (or "before") in a clause the sentence
    dates: "the company said on Wednesday, a week after a public hearing" - the hearing was the Wednesday before.
    The clause's date is one hung on the same verb as "after"; a day moved by days or weeks stays a day, moved by
    months it is a month, by years a year."""
    h = _span_head(tokens, i)
    if tokens[h].dep != "pobj":
        return None
    p = tokens[h].head
    mark = tokens[p].lemma.lower()
    if mark not in ("after", "before"):
        return None
    found = _counted_unit(tokens, kids, [p], ("day", "week", "month", "year"))
    if found is None:
        return None
    unit, count, n = found
    verb = tokens[p].head
    for d in dates:
        if not d.value or d.end_value or d.future:
            continue
        dtoks = [k for k in range(lo, hi) if tokens[k].start < d.end and tokens[k].end > d.start]
        if not dtoks:
            continue
        top = _date_top(tokens, dtoks)
        up = _ancestors(tokens, top)[:2]        # the date itself, or by a preposition ("on Wednesday")
        if verb not in up or p in up:
            continue
        moved = _moved(tokens, d, unit, count, -n if mark == "after" else n, tokens[p].text)
        if moved is not None and moved.value is not None:
            return moved._replace(end=tokens[p].end, relative=True)
    return None


def _counted_unit(tokens, kids, heads: Sequence[int], units: Sequence[str]) -> tuple[int, list[int], int] | None:
    """(the unit's token, the count's tokens, the count) of "a year", "three weeks" hung on one of ``heads``."""
    unit = next((c for h in heads for c in kids[h] if tokens[c].dep == "npadvmod"
                 and tokens[c].lemma.lower() in units), None)
    if unit is None:
        return None
    count = [c for c in kids[unit] if tokens[c].dep in ("nummod", "det")]
    n = _number(tokens[count[0]].text) if count else None
    return (unit, count, n) if n else None


def _counted_mark(tokens, kids, verb: int) -> tuple[str, int, list[int], int] | None:
    """(after/before, the unit's token, the count's tokens, the count) of a clause opened by "a year after",
    "three months before" (the count hangs on the clause's verb or on "after" itself)."""
    marks = [c for c in kids[verb] if tokens[c].dep == "mark"]
    if not marks or tokens[marks[0]].lemma.lower() not in ("after", "before"):
        return None
    found = _counted_unit(tokens, kids, [verb, marks[0]], ("year", "month"))
    return (tokens[marks[0]].lemma.lower(), *found) if found else None


def _moved(tokens, d: "DateMention", unit: int, count: list[int], step: int, mark: str) -> "DateMention | None":
    """``d`` moved by ``step`` of the unit at token ``unit`` (days or weeks when ``d`` names a day, years, or
    months when ``d`` names a month), as the date the words ``count`` + unit + ``mark`` give ("a year after")."""
    y = int(d.value[:4])
    lemma = tokens[unit].lemma.lower()
    if lemma in _UNIT_DAYS:
        if len(d.value) != 10:
            return None
        value, precision = _iso_of(date.fromisoformat(d.value) + timedelta(days=step * _UNIT_DAYS[lemma])), "day"
    elif lemma == "year":
        value, precision = _iso(y + step), "year"
    elif len(d.value) >= 7:
        y2, m2 = _shift_months(y, int(d.value[5:7]), step)
        value, precision = _iso(y2, m2), "month"
    else:
        return None
    lo = tokens[count[0]].start if count else tokens[unit].start
    words = " ".join([tokens[k].text for k in count] + [tokens[unit].text, mark])
    return DateMention(lo, tokens[unit].end, words, value, precision)


def _same_scene(tokens, kids, verb: int, date_verb: int | None) -> bool:
    """``verb`` is joined by "and" to ``date_verb``, after it, with no subject of its own: the same person's next
    act ("walked on to the stage on 8 March, and sang")."""
    if date_verb is None or verb == date_verb or verb < date_verb:
        return False
    t = tokens[verb]
    return (t.dep == "conj" and t.head == date_verb and t.pos == "VERB"
            and not any(tokens[c].dep in ("nsubj", "nsubjpass") for c in kids[verb]))


def _date_top(tokens, date_tokens: list[int]) -> int:
    """The date's head token: the first whose head lies outside the date."""
    inside = set(date_tokens)
    return next((k for k in date_tokens if tokens[k].head not in inside or tokens[k].head == k), date_tokens[0])


def _apart_by_and(tokens, kids, k: int, i: int, verb: int) -> bool:
    """Tokens ``k`` and ``i`` hang on ``verb`` by two different branches with "and" between them ("shouting about
    his divorce, and about the bankruptcy a year after that")."""
    if not 0 <= verb < len(kids):
        return False
    a, b = _branch_below(tokens, k, verb), _branch_below(tokens, i, verb)
    return a is not None and b is not None and a != b and any(
        tokens[c].dep == "cc" and min(a, b) < c < max(a, b) for c in kids[verb])


def _branch_below(tokens, i: int, top: int) -> int | None:
    """The child of ``top`` on the way up from ``i`` (``i`` itself when its head is ``top``); None when ``top`` is
    not above ``i``."""
    steps = 0
    while tokens[i].head != top:
        if tokens[i].head == i or steps > 50:
            return None
        i, steps = tokens[i].head, steps + 1
    return i if i != top else None


def _steps_up(tokens, i: int, top: int) -> int:
    """How many heads up from token ``i`` to token ``top`` (a large number when ``top`` is not above it)."""
    steps = 0
    while i != top and tokens[i].head != i and steps < 50:
        i, steps = tokens[i].head, steps + 1
    return steps if i == top else 99


_DETERMINED_YEAR = re.compile(r"(?:\b(?:the|a|an|his|her|its|their|our|my|your|whose|this|that)|'s|\u2019s)\s+$", re.I)


def _year_on_a_noun(chunk: str, m: re.Match) -> bool:
    """A year the recogniser counted as a number but written as a label of one thing ("whose 2023 petition",
    "the 2019 review"): a determiner or possessive before it and a singular word after it (not "the 2000 fans")."""
    nxt = re.match(r"\s+([a-z]+)\b", chunk[m.end():])
    return bool(_DETERMINED_YEAR.search(chunk[:m.start()])) and nxt is not None and not nxt.group(1).endswith("s")


def _names_a_thing(tokens, date_tokens: list[int]) -> bool:
    """A year written before a noun ("his 2019 book", "the 2025 budget"): a label of the thing."""
    if len(date_tokens) != 1:
        return False
    k = date_tokens[0]
    t = tokens[k]
    if k > 0 and tokens[k - 1].pos == "ADP":
        return False    # "opened in 2013 thanks to a donation": a preposition's year, the parser's slip
    return re.fullmatch(r"1[5-9]\d\d|20\d\d", t.text) is not None \
        and t.dep in ("compound", "nummod", "amod", "nmod") and t.head > date_tokens[0] \
        and tokens[t.head].pos in ("NOUN", "PROPN")


def _dates_the_noun(tokens, kids, i: int, d: "DateMention") -> bool:
    """``d`` is written on the noun ``i`` itself: "the 2019 book", "a report (published) in 2024", "the
    memoir of 2015"."""
    near = {i} | {c for c in kids[i]} | {g for c in kids[i] for g in kids[c]} \
        | {g for c in kids[i] if tokens[c].dep == "acl" for g in _subtree(kids, c)}
    v = tokens[i].head
    if tokens[i].dep in ("nsubj", "nsubjpass") and tokens[v].lemma.lower() in load_words("event_appearing"):
        # "their debut album, "Tidewater", came out in 2011": the date of its coming out is the noun's
        near |= {g for c in kids[v] if tokens[c].dep in ("prep", "npadvmod") for g in _subtree(kids, c)}
    return any(tokens[k].start < d.end and tokens[k].end > d.start for k in near)


_AFTER_BEFORE = re.compile(r"\b(?:after|before)\b", re.IGNORECASE)


def _sentence_noun_anchors(tokens: Sequence[Token], idx: list[int], dates: Sequence["DateMention"],
                           lex: EventLexicon) -> dict[str, "DateMention"]:
    """Each one-word trigger of an event type told in this sentence with a date written right after it ("married
    on 14 May 2016") -> that date, for a later "a month after the wedding" in the same sentence."""
    out: dict[str, DateMention] = {}
    dated = [d for d in dates if d.value and not d.future and not d.relative]
    for i, j, kind in match_triggers(tokens, idx[0], idx[-1] + 1, lex):
        d = next((d for d in dated if _follows_in_clause(tokens, j, [k for k in idx if tokens[k].start >= d.start
                                                                      and tokens[k].end <= d.end][:1])), None)
        if d is None:
            continue
        for words, k in lex.triggers:
            if len(words) == 1 and k.split("/")[0] == kind.split("/")[0]:
                out.setdefault(words[0], d)
    return out


def _noun_anchors(found: Sequence[EventMention], lex: EventLexicon) -> dict[str, DateMention]:
    """Each one-word trigger of an event type ("wedding", "separation") → the last date given to such an event."""
    dated = {em.type: em.date for em in found if em.date is not None and em.date.value is not None}
    return {words[0]: dated[kind.split("/")[0]] for words, kind in lex.triggers
            if len(words) == 1 and kind.split("/")[0] in dated}


def byline_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` that is a byline or dateline (what ingest reads the author and
    publication date from: "By Ann Lee, sports editor | Published: 2025-08-08", "Published 2025-08-08",
    "August 8, 2025" alone on its line)."""
    from .ingest import parse_byline

    out, at = [], 0
    for line in text.split("\n"):
        if line.strip() and len(line) < 200 and parse_byline(line):
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


_DEICTIC_DAY = re.compile(r"(?:earlier\s+|later\s+)?today|yesterday|tonight|this\s+(?:morning|afternoon|evening)"
                          r"|last\s+night", re.IGNORECASE)


def find_events(
    article: Article,
    annotation: Annotation,
    mentions: Sequence[Mention] = (),
    lexicon: EventLexicon | None = None,
    kinds: dict[str, str] | None = None,
    reporting: frozenset[str] = frozenset(),
    author_id: str | None = None,
    genders: dict[str, str] | None = None,
    bodies: dict[str, str] | None = None,
) -> list[EventMention]:
    """Event mentions in one article: a trigger, its participants and its date (``author_id``: the cast member
    who wrote it, where the cast holds the byline's name, for "I retired in 2016"; ``genders``: {cast id: "f" or
    "m"} where the story's words say so, for "she" and "he"; ``bodies``: {"board": cast id, ...}, the organisation
    whose board or trustees the story's articles name, for "the trustees" in an article that does not say)."""
    lex = lexicon or load_event_lexicon()
    kinds = kinds or {}
    text = article.text
    anchor = parse_anchor(article.published)
    tokens = annotation.tokens
    if not tokens:
        return []
    kids = children(tokens)
    doc_mentions = sorted((m for m in mentions if m.doc == article.id), key=lambda m: (m.start, m.end))
    links = body_links(text, doc_mentions, kinds)    # "the board of X": what "the board" takes up later
    starts = [t.start for t in tokens]
    subjects = _subject_things(tokens, doc_mentions, kinds, starts)
    by_sent: dict[int, list[int]] = {}
    for k, t in enumerate(tokens):
        by_sent.setdefault(t.sent, []).append(k)
    undated_ok = lex.words("undated_ok")
    finalized_words = lex.words("finalized")
    once = lex.words("once")
    topic_verbs = lex.words("object_is_topic")
    object_names_event = lex.words("object_names_event")
    bylines = byline_spans(text)
    # the cast member who wrote it: the byline's name, where the cast holds it
    # ("Posted by Keith Barlow | 13 September 2025 | Pipe Dreams: notes ...": the name after "by" on a masthead line)
    mast = masthead_lines(text)
    author = author_id or next((m.member for m in doc_mentions if kinds.get(m.member) == "person" and (
        (article.author and " ".join(m.text.split()) == " ".join(article.author.split()))
        or (any(a <= m.start < b for a, b in mast) and re.search(r"\bby\s+$", text[max(0, m.start - 4):m.start], re.I)))),
        None)
    out: list[EventMention] = []
    last_date: DateMention | None = None   # what "two years later" counts from
    last_day: DateMention | None = None    # what "the same day" names
    sent_days: list[DateMention] = []      # the days the sentence before named ("She died at the scene")
    for si, (s0, s1) in enumerate(annotation.sentences):
        # the dates of earlier events only matter to "… after/before the wedding"
        named = _noun_anchors(out, lex) if _AFTER_BEFORE.search(text, s0, s1) else None
        dates = [d for d in find_dates(text, (s0, s1), anchor, annotation.entities, last_date, named, last_day,
                                       tokens)
                 if not d.timex or d.value is not None]   # "recently", "now" date no event
        if named is not None and by_sent.get(si):
            # "married on 14 May 2016, and a month after the wedding ...": the event named is dated in this sentence
            extra = _sentence_noun_anchors(tokens, by_sent[si], dates, lex)
            if any(k not in named for k in extra):
                dates = [d for d in find_dates(text, (s0, s1), anchor, annotation.entities, last_date,
                                               {**extra, **named}, last_day, tokens)
                         if not d.timex or d.value is not None]
        # a byline or dateline ("By Ann Lee | Published: 2025-08-08", a date alone under the headline) gives the
        # publication date, never an event nor an event's date
        dates = [d for d in dates if not any(a <= d.start and d.end <= b for a, b in bylines)]
        # "on Tuesday 4 November", "Thursday, 12 June": the weekday is part of the day written after it
        dates = [d for d in dates if not (_is_weekday(d.text) and any(
            e.precision == "day" and 0 <= e.start - d.end <= 2 and text[d.end:e.start].strip(" ,") == ""
            for e in dates if e is not d))]
        known = [d for d in dates if d.value is not None and not d.future]
        before_days, sent_days = sent_days, [d for d in known if d.precision == "day"]
        last_date = _span_end(known[-1]) if known else last_date
        last_day = next((d for d in reversed(known) if d.precision == "day" and not _next_part_of_day(d)), last_day)
        idx = by_sent.get(si)
        if not idx:
            continue
        lo, hi = idx[0], idx[-1] + 1
        sentence = text[s0:s1]
        if sentence.rstrip(" \"'”’)").endswith("?"):
            continue
        matched = match_triggers(tokens, lo, hi, lex)
        triggers = [(i, j, _retyped(tokens, kids, i, kind, lex)) for i, j, kind in matched
                    if not _skip_trigger(tokens, kids, i, j, kind, lex)
                    and not any(a <= tokens[i].start and tokens[j - 1].end <= b for a, b in bylines)]
        # "eight months after the separation": a trigger inside a date names that date's anchor, not an event —
        # unless nothing dated that anchor and the clause's own date does ("bankrupt in 2020, a year after his
        # divorce": the divorce was in 2019)
        triggers = [(i, j, kind) for i, j, kind in triggers
                    if not any(d.start <= tokens[i].start and tokens[j - 1].end <= d.end and (
                        d.value is not None or _counted_before_clause(tokens, kids, i, dates, lo, hi) is None)
                               for d in dates)]
        # "postponed a decision", "amended her proposal", "withdrew its application": the event is what was done
        # to the thing the trigger names (a decision put off is no decision)
        triggers = [_topic_of(tokens, i, j, kind, lex.nominals, topic_verbs) for i, j, kind in triggers]
        # "signed the settlement in 1989": the event is the settlement the signing is of
        heads_of = {i: kind for i, j, kind in triggers if j - i == 1}
        triggers = [(i, j, kind) for i, j, kind in triggers
                    if not (kind.split("/")[0] in object_names_event and any(
                        tokens[c].dep == "dobj" and c in heads_of and heads_of[c] != kind for c in kids[i]))]
        # dated verbs no trigger names come after the listed triggers, so that index 0 is still a listed one
        # (a trigger word set aside above — "open their season" — is no dated verb of its own either)
        generic = [g for g in generic_triggers(tokens, kids, lo, hi, dates, triggers, lex, reporting)
                   if not any(i <= g[0] < j for i, j, _ in matched)]
        n_listed = len(triggers)
        triggers = triggers + generic
        out.extend(_state_starts(article, text, dates, doc_mentions, kinds, s0, s1, anchor))
        out.extend(_dated_works(article, text, dates, doc_mentions, kinds, s0, s1, anchor))
        if not triggers:
            continue
        owned: dict[int, list[DateMention]] = {}
        unowned: list[DateMention] = []
        refs = frozenset(n for n, (i, _, _) in enumerate(triggers) if _is_reference(tokens, i, lex))
        for d in dates:
            dtoks = [k for k in range(lo, hi) if tokens[k].start < d.end and tokens[k].end > d.start]
            n = _date_owner(tokens, kids, dtoks, triggers, refs)
            if n is None:
                unowned.append((d, dtoks))
            else:
                owned.setdefault(n, []).append(d)
        if (n_listed == 1 and len(unowned) == 1 and not owned
                and not _names_a_thing(tokens, unowned[0][1])):
            d, dtoks = unowned[0]
            top_heads = [tokens[k].head for k in dtoks] + [a for k in dtoks[:1] for a in _ancestors(tokens, k)]
            # ...unless the date has a verb of its own: "born in Vancouver and moved to Israel in 2006"
            own_verb = _clause_verb(tokens, tokens[dtoks[0]].head) if dtoks else None
            other_verb = (own_verb is not None and tokens[own_verb].pos == "VERB"
                          and _clause_verb(tokens, triggers[0][0]) != own_verb
                          and not _free_relative_of(tokens, kids, own_verb, triggers[0][0]))
            if dtoks and _apart_by_and(tokens, kids, _date_top(tokens, dtoks), triggers[0][0],
                                       _clause_verb(tokens, triggers[0][0])):
                pass    # the date is in the other conjunct ("his divorce, and the bankruptcy a year after 2019")
            elif not other_verb and not any(tokens[h].lemma.lower() in reporting for h in top_heads[:4]):
                owned[0] = [d]
            elif _follows_in_clause(tokens, triggers[0][1], dtoks):
                # a name the parser took for a clause of its own ("who founded the group Reach My Kid in 2021,
                # said ...": "Reach" parsed as a verb under "said") does not take the date from the trigger
                owned[0] = [d]
            elif d.precision == "day" and triggers[0][2] not in once \
                    and _same_scene(tokens, kids, _clause_verb(tokens, triggers[0][0]), own_verb):
                # "walked on to the stage on Saturday, 8 March, and sang": one subject's acts joined by "and"
                # after a day share it ("born in 1980 and moved to Israel" gives a year, and shares nothing; a
                # marriage or a death is not taken to fall on the day of whatever act comes before it)
                owned[0] = [d]
        # "a public consultation opens on Monday", "the consultation that opens on Monday", "the hearing opened":
        # the opening of an event is that event; its closing ("the consultation closes on 30 May") no closure
        starts_of: set[int] = set()
        for n, (i, j, kind) in enumerate(triggers):
            if kind.split("/")[0] not in ("opening", "closure"):
                continue
            for m, (a, b, other) in enumerate(triggers):
                subj = tokens[b - 1].head == i and tokens[b - 1].dep in ("nsubj", "nsubjpass")
                rel = tokens[i].dep == "relcl" and tokens[i].head == b - 1
                if m != n and (subj or rel):
                    if kind.split("/")[0] == "opening":
                        owned[m] = owned.get(m, []) + owned.pop(n, [])
                    else:
                        owned.pop(n, None)
                    starts_of.add(n)
                    break
        # "a lantern vigil organised by the campaign last Saturday", "held a vigil on Saturday": the date of the
        # organising verb is the named event's, and the verb no event of its own
        organised = lex.words("organised")
        organisers: dict[int, int] = {}
        for n in range(n_listed, len(triggers)):
            i = triggers[n][0]
            if tokens[i].lemma.lower() not in organised:
                continue
            near = {tokens[i].head} if tokens[i].dep in ("acl", "relcl") else set()
            near |= {c for c in kids[i] if tokens[c].dep in ("dobj", "nsubjpass")}
            m = next((m for m, (a, b, _) in enumerate(triggers[:n_listed]) if b - 1 in near), None)
            if m is not None:
                owned[m] = owned.get(m, []) + owned.pop(n, [])
                starts_of.add(n)
                organisers[m] = i      # whoever organised it took part in it
        # "released in 2022, a year after she was arrested": the clause hung on a dated event by "a year after"
        # happened a year before it ("two years before he retired": two years after)
        for n, (i, j, kind) in enumerate(triggers):
            if any(d.value for d in owned.get(n, [])):
                # "her husband's father did, in 1921, eleven years before she was born", parsed with "in 1921" on
                # "born": a date written before the trigger's own "eleven years before" dates the other clause
                ahead = _counted_ahead(tokens, kids, _clause_verb(tokens, i), owned[n])
                if ahead is not None:
                    owned[n] = [ahead]
                continue
            verb = _clause_verb(tokens, i)
            back = (_counted_back(tokens, kids, verb, triggers, owned) or _counted_on(tokens, kids, verb, dates)
                    or _counted_to_later_date(tokens, kids, text, verb, i, dates, hi))
            if back is not None:
                owned[n] = [back]
        sent_all = [m for m in doc_mentions if m.start >= s0 and m.end <= s1]
        sent_mentions = [m for m in sent_all if kinds.get(m.member) != "place"]
        seen: dict[str, int] = {}
        for n, (i, j, kind) in enumerate(triggers):
            if n in starts_of:
                continue
            reference = _is_reference(tokens, i, lex)
            mine = owned.get(n, [])
            if not mine and len(before_days) == 1 and not dates and _at_the_scene(tokens, kids, i):
                # "... when a box truck struck her on Sept. 23. She died at the scene.": that day
                mine = list(before_days)
            if reference:
                sub = set(_subtree(kids, _span_head(tokens, i)))
                mine = [d for d in mine if any(tokens[k].start < d.end and tokens[k].end > d.start for k in sub)]
                counted = None if mine else _counted_before_clause(tokens, kids, i, dates, lo, hi)
                if counted is not None:
                    mine = [counted]
            if j - i == 1 and tokens[i].lemma.lower() in lex.words("dated_only"):
                # "his 2019 book" is a publication; "the book" in a sentence dated otherwise is not
                mine = [d for d in mine if _dates_the_noun(tokens, kids, i, d)]
                if not mine:
                    continue
            ahead = [d for d in mine if d.future or _after_publication(d, anchor)]
            to_come = bool(ahead) and len(ahead) == len(mine)
            if ahead and not to_come:
                # "voted on Tuesday to stop paying from 31 March next year": the day it happened dates it; the
                # day to come is what it decided
                mine = [d for d in mine if d not in ahead]
            date_m = max(mine, key=lambda d: (_PRECISION_RANK[d.precision], -abs(d.start - tokens[i].start)),
                         default=None)
            scheduled = False
            if to_come:
                # dated after the report: an event on the calendar ("the board will decide on 4 March", "is
                # expected to rule in September", "a walk on February 15") — never a wish, a condition or a plan
                allow = lex.words("scheduled")
                if tokens[i].dep == "dobj" and tokens[tokens[i].head].lemma.lower() in lex.words("organised"):
                    allow = allow | {tokens[tokens[i].head].lemma.lower()}   # "plans a rally on June 8"
                if _reported_would(tokens, kids, i, reporting):
                    allow = allow | {"would"}      # "said the group would hold a vigil on Saturday": will, reported
                if (date_m.value is None
                        or _deadline(tokens, starts, date_m)
                        or _is_irrealis(tokens, kids, i, lex, allow=allow)):
                    continue
                scheduled = True
            elif _is_irrealis(tokens, kids, i, lex):
                continue
            args = _argument_tokens(tokens, kids, i, j, lex)
            reporter = _it_reporter(tokens, kids, i, reporting)
            if reporter is not None and reporter not in args and not any(
                    kinds.get(m.member) == "person" and m.start < tokens[reporter].end and tokens[reporter].start < m.end
                    for m in sent_all):
                args = args + [reporter]     # "The board said it would review the decision in 2027": the board
            if n in organisers:
                args = args + [k for k in _argument_tokens(tokens, kids, organisers[n], organisers[n] + 1, lex)
                               if k not in args and not i <= k < j]
            spans = [(tokens[k].start, tokens[k].end) for k in args]
            people = [m.member for m in sent_mentions if any(a < m.end and b > m.start for a, b in spans)]
            # a place counts when it is the subject, object or possessor ("The Elm Street branch opened"),
            # never for standing after "in" or "to"
            core = [(tokens[k].start, tokens[k].end) for k in _argument_tokens(tokens, kids, i, j, lex, core=True)]
            people += [m.member for m in sent_all if kinds.get(m.member) == "place"
                       and any(a < m.end and b > m.start for a, b in core) and _place_is_argument(tokens, starts, m, kids, i)]
            people += _resolve_pronouns(tokens, args, doc_mentions, kinds, lex, subjects, author, text, genders)
            people += _described_things(tokens, kids, args, doc_mentions, kinds, starts, links, bodies)
            # "founded the parents' group Reach My Kid in 2021": a name straight after a common noun of the event
            # is that noun's name, however the parser took it ("Reach" read as a verb)
            after_noun = {tokens[k + 1].start for k in args if tokens[k].pos == "NOUN" and k + 1 < len(tokens)
                          and tokens[k + 1].sent == tokens[k].sent}
            people += [m.member for m in sent_all if m.start in after_noun]
            if n >= n_listed and not people:
                continue        # a dated verb no trigger names is an event only with somebody named doing it
            if not people and not reference and not _unnamed_subject(tokens, kids, i):
                # no argument names anyone: the sentence's names stand in ("The wedding was in 2009,
                # Odom said"), unless the trigger's subject is somebody unnamed ("the two boards voted")
                # — not a name inside a clause of its own that is no report ("long before anybody had heard of
                # Niamh Corrigan")
                people = [m.member for m in sent_mentions if kinds.get(m.member) != "work"
                          and not _in_other_clause(tokens, starts, m, i, reporting)]
            participants = tuple(sorted(set(people), key=_id_key))
            if not participants and kind in once and _unnamed_subject(tokens, kids, i):
                if kind != "death" or date_m is None or not _counted_subject(tokens, kids, i):
                    continue    # "her husband's death in 1975": the death of somebody unnamed is no row of the timeline
                # "more than 4,000 fish died at Pennock Weir on 19 July 2023", "two men were killed": deaths
                # counted, not named — an incident, at the place the sentence names
                kind = "deaths"
                participants = tuple(sorted({m.member for m in sent_all if kinds.get(m.member) == "place"},
                                            key=_id_key))
            attach_only = False
            if date_m is None and (reference or not participants or kind not in undated_ok):
                # "Maddox has handed in a transfer request", "after the vote": no row of its own, but another
                # source of the one event of that type (and those people) that other sources date
                if scheduled or not participants or _modal_above(tokens, kids, i, lex):
                    continue    # "would ask to address the meeting": a meeting still to come
                attach_only = True
            finalized = any(tokens[k].lemma.lower() in finalized_words for k in range(lo, hi))
            em = EventMention(article.id, kind, s0, s1, sentence, text[tokens[i].start:tokens[j - 1].end],
                              participants, date_m, finalized, trigger_span=(tokens[i].start, tokens[j - 1].end),
                              published=_iso_of(anchor) if anchor else None, scheduled=scheduled,
                              known=_told_as_known(tokens, kids, i, j), attach_only=attach_only,
                              sentence_years=frozenset(d.value[:4] for d in dates if d.value) if attach_only
                              else frozenset(),
                              spoken=date_m is not None and bool(_DEICTIC_DAY.fullmatch(date_m.text))
                              and inside_quote(text, date_m.start))
            if kind in seen:
                prev = out[seen[kind]]
                if attach_only:
                    continue        # the sentence tells it already; an undated second mention adds nobody
                if prev.attach_only:
                    out[seen[kind]] = em
                elif prev.date is None and date_m is not None:
                    em.participants = tuple(sorted(set(prev.participants) | set(participants), key=_id_key))
                    out[seen[kind]] = em
                else:
                    prev.participants = tuple(sorted(set(prev.participants) | set(participants), key=_id_key))
                continue
            seen[kind] = len(out)
            out.append(em)
    return out


_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)


def _state_starts(article: Article, text: str, dates: Sequence[DateMention], mentions: Sequence[Mention],
                  kinds: dict, s0: int, s1: int, anchor: date | None) -> list[EventMention]:
    """"Julian Stroud, chief executive since 2019", "The Aske Bridge has carried traffic since March 1968": a
    state that began on a date names no event of its own, but the start of that state may be an event another
    sentence tells (an appointment, an opening). Each such date with the sentence's names becomes a mention that
    ``merge_events`` adds as a source to the one event of a kind that starts a state (``state_start``), with one of
    those names and the same date, if there is exactly one."""
    out = []
    for d in dates:
        if not d.value or d.end_value or d.future or d.relative or not _SINCE.search(text, max(s0, d.start - 12), d.start):
            continue
        names = tuple(sorted({m.member for m in mentions if s0 <= m.start and m.end <= s1
                              and kinds.get(m.member) != "work"}, key=_id_key))
        if names:
            out.append(EventMention(article.id, "since", s0, s1, text[s0:s1], text[d.start:d.end], names, d,
                                    published=_iso_of(anchor) if anchor else None, attach_only=True))
    return out


_WORK_YEAR = re.compile(r"[\"\u201d\u2019')]*,?\s*(?:\(|in\s+)$")


def _dated_works(article: Article, text: str, dates: Sequence[DateMention], mentions: Sequence[Mention],
                 kinds: dict, s0: int, s1: int, anchor: date | None) -> list[EventMention]:
    """"every record she has made, from “Tidewater” in 2011 to “Glass Weather” in 2022", "“Last Orders” (2018)": a
    work named with a year names no event, but it is another source of the one release or publication of that work
    that year (``merge_events``, ``work_event`` in lexicon/event_rules.txt)."""
    out = []
    works = [m for m in mentions if s0 <= m.start and m.end <= s1 and kinds.get(m.member) == "work"]
    for d in dates:
        if not d.value or d.end_value or d.future or d.relative:
            continue
        m = next((m for m in works if 0 <= d.start - m.end <= 8 and _WORK_YEAR.fullmatch(text, m.end, d.start)), None)
        if m is not None:
            out.append(EventMention(article.id, "work", s0, s1, text[s0:s1], text[m.start:d.end], (m.member,), d,
                                    published=_iso_of(anchor) if anchor else None, attach_only=True))
    return out


def _started_by(clusters: Sequence["_Cluster"], em: EventMention, starts: frozenset[str]) -> "_Cluster | None":
    """The one event of a kind in ``starts`` that shares a name with ``em`` (a "since" mention, or a work named with
    a year), is dated to the same year (and month, where both give one) and has no source in ``em``'s document yet."""
    v = em.date.value
    same = [c for c in clusters if c.kind.split("/")[0] in starts and c.participants & set(em.participants)
            and not any(m.doc == em.doc for m in c.members)
            and any(w.startswith(v) or v.startswith(w) for w in c.dated())]
    return same[0] if len(same) == 1 else None


def _topic_of(tokens: Sequence[Token], i: int, j: int, kind: str, nominals: dict,
              topic_verbs: frozenset[str]) -> tuple[int, int, str]:
    """The trigger of an event noun that is the object of a verb in ``topic_verbs`` (``object_is_topic``:
    "postponed a decision") becomes that verb, named by ``nominals`` (event_nouns.txt: postponement) or its lemma."""
    t = tokens[j - 1]
    h = t.head
    if h == j - 1 or not 0 <= h < len(tokens) or t.dep not in ("dobj", "nsubjpass") or tokens[h].pos != "VERB":
        return i, j, kind
    lemma = tokens[h].lemma.lower()
    if lemma not in topic_verbs:
        return i, j, kind
    return h, h + 1, nominals.get(lemma, lemma)


def _retyped(tokens: Sequence[Token], kids, i: int, kind: str, lex: "EventLexicon | None" = None) -> str:
    """"joined Rovers from Dunmore Athletic" is a signing (a transfer); "joined the band in 2020" a joining;
    "opened a formal review in February" or "launched an investigation" is that review or investigation
    (``opened_processes``)."""
    if lex is not None and kind.split("/")[0] in ("opening", "launch") and tokens[i].pos == "VERB":
        processes = dict(w.split("=", 1) for w in lex.words("opened_processes") if "=" in w)
        obj = next((tokens[c].lemma.lower() for c in kids[i] if tokens[c].dep in ("dobj", "nsubjpass")), None)
        if obj is None and tokens[i].dep == "acl" and tokens[i].tag == "VBN":
            obj = tokens[tokens[i].head].lemma.lower()      # "the trustees' review, opened a week after ..."
        if obj == "it":
            # "who has led the review since the Commission opened it in February": the process named before
            obj = next((tokens[k].lemma.lower() for k in range(i - 1, -1, -1)
                        if tokens[k].sent == tokens[i].sent and tokens[k].lemma.lower() in processes), None)
        if obj in processes:
            return processes[obj]
    if kind == "signing" and tokens[i].lemma.lower() == "join" and not any(
            tokens[c].lemma.lower() == "from" for c in kids[i]):
        return "joining"
    return kind


def _follows_in_clause(tokens: Sequence[Token], end: int, dtoks: Sequence[int]) -> bool:
    """The date comes after the trigger (which ends at token ``end``) in the same stretch of words: nothing but
    names, nouns and small words between them — no verb and no comma, colon, dash or bracket."""
    if not dtoks or dtoks[0] < end:
        return False
    return all(tokens[k].pos not in ("VERB", "AUX") and tokens[k].text not in (",", ";", ":", "\u2014", "\u2013",
                                                                               "-", "(", ")")
               for k in range(end, dtoks[0]))


def _deadline(tokens: Sequence[Token], starts: Sequence[int], d: DateMention) -> bool:
    """The date is an end ("signed until 2027", "save £18m by 2028"), not the day something happens."""
    k = bisect.bisect_left(starts, d.start)
    if k >= len(tokens) or tokens[k].start != d.start:
        return False
    head = tokens[k].head
    word = tokens[head].text.lower() if 0 <= head < len(tokens) else ""
    before = tokens[k - 1].text.lower() if k > 0 else ""
    return word in ("until", "till", "through", "by") or before in ("until", "till", "through", "by")


def _after_publication(d: DateMention, anchor: date | None) -> bool:
    """The date lies wholly after the publication day ("2026" or "2025-09" in a report of 2025-06-24)."""
    if anchor is None or not d.value:
        return False
    return d.value > _iso_of(anchor)[:len(d.value)]


def _id_key(member_id: str) -> tuple:
    m = re.match(r"([^\d]*)(\d+)$", member_id)
    return (m[1], int(m[2]), "") if m else (member_id, 0, member_id)


# --- merge --------------------------------------------------------------------

@dataclass
class _Cluster:
    kind: str
    participants: set = field(default_factory=set)
    members: list = field(default_factory=list)

    def dated(self) -> list[str]:
        return [m.date.value for m in self.members if m.date and m.date.value]


def _joins(c: _Cluster, em: EventMention, once: frozenset[str], kindred: frozenset[str] = frozenset(),
           kinds: dict[str, str] | None = None) -> bool:
    if c.kind != em.kind:
        if not (c.kind in kindred and em.kind in kindred and c.dated()):
            return False
        if not (em.date is not None and em.date.value):
            # undated, of a kindred type: the founding of the institution whose opening is dated ("Dr Voss, who
            # founded Valbrune" and "Valbrune, which opened in 2019") — by the institution, not a person alone
            # (somebody who founded a group and opened a cafe)
            shared = c.participants & set(em.participants)
            if not kinds or not any(kinds.get(p) not in (None, "person") for p in shared):
                return False
    if c.participants and em.participants:
        if not c.participants & set(em.participants):
            return False
    elif c.participants or em.participants:
        return False
    value = em.date.value if em.date else None
    if value is None or not c.dated():
        return True
    if em.kind in once and not (em.scheduled or any(m.scheduled for m in c.members)):
        return True     # told twice with two dates: one event, a date conflict (a plan moved is no conflict)
    return not any(dates_conflict(value, v) for v in c.dated())


def _sides(participants, kinds: dict[str, str]) -> set[str]:
    """"person" and/or "other": whether the participants are people, or organisations and places."""
    return {"person" if kinds.get(p) == "person" else "other" for p in participants}


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _misdated_same_event(c: _Cluster, em: EventMention, days: int, one_off: frozenset[str] = frozenset()) -> bool:
    """``em`` tells the event of ``c`` with a date a few days off: one to report as a date conflict.

    Same type; the participants overlap or one side names nobody ("the vote on April 9" in a blog, "the
    council voted on Tuesday" in a report); no source of ``c`` is ``em``'s own document; every date of
    ``c`` that disagrees with ``em``'s is a day, as ``em``'s is, at most ``days`` apart (a wrong weekday,
    a slipped day — not two votes months apart, nor a yearly event); and both days had passed when each
    of the disagreeing sources was published (a later report of a newer meeting is another meeting) —
    for a type in ``one_off`` (not repeated within days by the same people), only that each source tells
    its day as past; so too when ``em`` is told as the event the reader knows ("the meeting") and shares a
    participant with ``c``.
    Dates at coarser precision (two months, two years) never merge this way. A source naming nobody
    whose date agrees with every date of ``c`` joins it too.
    """
    value = em.date.value if em.date else None
    if c.kind != em.kind or not value or em.scheduled or any(m.scheduled for m in c.members):
        return False    # a day moved on the calendar is not a date conflict
    if c.participants and em.participants and not c.participants & set(em.participants):
        return False
    if any(m.doc == em.doc for m in c.members):
        return False
    dated = [m for m in c.members if m.date and m.date.value]
    off = [m for m in dated if dates_conflict(m.date.value, value)]
    if not dated or not off:
        # nothing to disagree with: only a source naming nobody joins here (the strict rule took the rest)
        return bool(dated) and not (c.participants and em.participants)
    if len(value) != 10 or any(len(m.date.value) != 10 or _days_apart(m.date.value, value) > days for m in off):
        return False
    if c.kind in one_off or c.kind.split("/")[0] in one_off or not em.participants \
            or (em.known and c.participants & set(em.participants)):
        # not repeated within days (an application, a transfer request), or told by a source that names
        # nobody and so points back at the event the others tell ("four days after the two boards voted
        # on 11 March"), or told as the one the reader knows, with the same people or place ("at the meeting
        # in Lydford Village Hall on January 21"): each source need only tell its day as past
        return all(not m.published or m.date.value <= m.published for m in off + [em])
    pubs = [p for p in [em.published] + [m.published for m in off] if p]
    latest = max([value] + [m.date.value for m in off])
    return not pubs or latest <= min(pubs)


def _attached_to(clusters: Sequence[_Cluster], em: EventMention, kindred: frozenset = frozenset()) -> _Cluster | None:
    """The one event that an undated mention of a type needing a date tells again, if there is exactly one.

    Same type, or kindred types (a founding and an opening told of one institution); some source dates it; none of its sources is ``em``'s document already; the participants
    overlap; and, when ``em``'s sentence gives years to other things ("in 2016, when births moved to
    Stonebridge, the chief executive told a public meeting"), one of them is the event's year. Two candidates
    (two signings of the same player) attach it to neither.
    """
    # a kindred event its own document dates ("who founded Valbrune" beside "Valbrune, a site that opened in
    # 2019"): the founding is that opening, told again
    same = [c for c in clusters if c.dated() and (
                (c.kind == em.kind and not any(m.doc == em.doc for m in c.members))
                or (c.kind != em.kind and em.kind in kindred and c.kind in kindred))
            and c.participants & set(em.participants)]
    if em.sentence_years:
        same = [c for c in same if any(v[:4] in em.sentence_years for v in c.dated())]
    return same[0] if len(same) == 1 else None


def choose_date(members: Sequence[EventMention]) -> DateValue:
    """The date most sources agree with; the more precise of equally supported ones."""
    dated = [m.date for m in members if m.date and m.date.value]
    if not dated:
        texts = [m.date for m in members if m.date]
        if texts:
            return DateValue(value=None, precision="unknown", text=texts[0].text)
        return DateValue(value=None, precision="unknown")

    def support(d: DateMention):
        agree = sum(1 for o in dated if not dates_conflict(d.value, o.value))
        exact = sum(1 for o in dated if o.value == d.value)
        return (agree, exact, _PRECISION_RANK[d.precision], not d.relative)

    best = max(dated, key=support)   # max keeps the first of equals: corpus order
    return best.to_value()


def _names(participants: Sequence[str], names: dict[str, str]) -> str:
    ns = [names.get(p, p) for p in participants]
    if len(ns) <= 1:
        return "".join(ns)
    return ", ".join(ns[:-1]) + " and " + ns[-1]


def summarize_event(kind: str, participants: Sequence[str], date: DateValue, names: dict[str, str],
                    lexicon: EventLexicon | None = None, finalized: bool = False, scheduled: bool = False) -> str:
    """'Marcus Delaney and Renée Castillo married (July 2011)' — names, what happened, when; an event still
    to come is told as due: 'Vote involving Harwick Town Council (scheduled: April 16, 2024)'."""
    lex = lexicon or load_event_lexicon()
    key = "divorce/finalized" if kind == "divorce" and finalized else kind
    phrase = (lex.phrases.get(key) or lex.phrases.get(kind.split("/")[0]) or ("~" + kind.split("/")[0],))[0]
    if scheduled and not phrase.startswith("~"):
        phrase = "~" + kind.split("/")[0]   # no past tense for what has not happened
    who = _names(participants, names)
    if phrase.startswith("~"):
        # a noun phrase where a verb would give roles we do not know ("X and Y traded")
        phrase = phrase[1:]
        head = phrase[:1].upper() + phrase[1:] + (f" involving {who}" if who else "")
    else:
        head = f"{who} {phrase}" if who else phrase[:1].upper() + phrase[1:]
    if date.value is None and not date.text:
        return head
    if date.text and (any(ch.isdigit() for ch in date.text) or date.value is None):
        when = date.text
    else:
        when = format_date(date.value)
    return f"{head} ({'scheduled: ' if scheduled else ''}{when})"


def agreed_participants(members: Sequence[EventMention]) -> set[str]:
    """Participants named by at least half the sources that name anyone.

    One source's pronoun resolved to the wrong person ("they" → the radio host)
    must not put that person into the event everyone else tells.
    """
    named = [set(m.participants) for m in members if m.participants]
    if not named:
        return set()
    votes: dict[str, int] = {}
    for ps in named:
        for p in ps:
            votes[p] = votes.get(p, 0) + 1
    return {p for p, v in votes.items() if v * 2 >= len(named)}


def drop_agreeing_copies(members: Sequence[EventMention], originals: dict[str, str]) -> list[EventMention]:
    """The members without those from a copy whose original tells the event with the same date.

    A syndicated copy agreeing with its original is not a second source: it must
    not outvote anyone when the date is chosen, nor be listed twice. A copy that
    gives another date stays, so the disagreement is still seen.
    """
    def value(m: EventMention):
        return m.date.value if m.date else None

    told = {(m.doc, value(m)) for m in members}
    return [m for m in members
            if originals.get(m.doc, m.doc) == m.doc or (originals[m.doc], value(m)) not in told]


def merge_events(
    event_mentions: Sequence[EventMention],
    names: dict[str, str] | None = None,
    lexicon: EventLexicon | None = None,
    originals: dict[str, str] | None = None,
    kinds: dict[str, str] | None = None,
) -> list[Event]:
    """One Event per event told, every source kept with the date it gave; date order, undated last.

    ``originals`` ({doc: the doc it is a copy of}) counts a copy and its original once. ``kinds`` ({cast id:
    person, organization, ...}) lets a source naming only the organisation and one naming only the people
    who did it for the organisation tell one event, on the same date.
    """
    lex = lexicon or load_event_lexicon()
    names = names or {}
    once = lex.words("once")
    days = int(next(iter(lex.rules.get("same_event_days", ("0",)))))
    one_off = lex.words("one_off")
    kindred = lex.words("kindred")
    clusters: list[_Cluster] = []
    for em in event_mentions:
        if em.attach_only:
            continue
        target = next((c for c in clusters if _joins(c, em, once, kindred, kinds)), None)
        if target is None and not em.participants and em.kind in once:
            # "the divorce was finalized in 2017" with nobody named: the one divorce of the story
            same = [c for c in clusters if c.kind == em.kind]
            target = same[0] if len(same) == 1 else None
        if target is None and not em.participants and em.date is not None and em.date.value:
            # nobody named ("these two met in June 2011"): the one event of that kind told with the same date
            same = [c for c in clusters if c.kind == em.kind
                    and any(m.date is not None and m.date.value == em.date.value for m in c.members)]
            target = same[0] if len(same) == 1 else None
        if target is None and em.scheduled and em.date is not None and em.date.precision == "day":
            # on the calendar, an event is known by its day: "the budget hearing on June 11", "the council's
            # hearing on June 11" and "come to the June 11 hearing at Town Hall" are one hearing
            same = [c for c in clusters if c.kind == em.kind and all(m.scheduled for m in c.members)
                    and any(m.date is not None and m.date.value == em.date.value for m in c.members)]
            target = same[0] if len(same) == 1 else None
        if target is None and em.kind not in once and em.date is not None and em.date.precision == "day" \
                and em.date.value and not em.scheduled:
            # "the public hearing on Sept. 16" in a report and "the hearing at City Hall on September 16" in a blog:
            # two sources telling an event of one type on the same day tell one event, whoever each names
            same = [c for c in clusters if c.kind == em.kind and not any(m.doc == em.doc for m in c.members)
                    and not any(m.scheduled for m in c.members)
                    and any(m.date is not None and m.date.precision == "day" and m.date.value == em.date.value
                            for m in c.members)]
            target = same[0] if len(same) == 1 else None
        if target is None and em.kind not in once and em.date is not None and em.date.precision == "day" \
                and em.date.value:
            # "the group would hold a vigil on Saturday" in a report before it, "about 300 people attended a
            # vigil last Saturday" in one after: the event on the calendar is the one that then happened
            same = [c for c in clusters if c.kind == em.kind and not any(m.doc == em.doc for m in c.members)
                    and any(m.scheduled != em.scheduled for m in c.members)
                    and any(m.date is not None and m.date.precision == "day" and m.date.value == em.date.value
                            for m in c.members)]
            target = same[0] if len(same) == 1 else None
        if target is None and kinds and em.participants and em.date is not None and em.date.value \
                and em.date.precision in ("month", "day"):
            # "his goals won promotion in May 2024" and "helped Rovers win promotion in May 2024": the player and
            # the club, one promotion — when one side names only people and the other only organisations
            mine = _sides(em.participants, kinds)
            same = [c for c in clusters if c.kind == em.kind and c.participants and len(mine) == 1
                    and len(_sides(c.participants, kinds)) == 1 and _sides(c.participants, kinds) != mine
                    and all(m.date is not None and m.date.value == em.date.value for m in c.members)]
            target = same[0] if len(same) == 1 else None
        if target is None and em.date is not None and em.date.value:
            # the same event told with a day a little off, or by a source naming nobody: one event, a date conflict
            near = [c for c in clusters if _misdated_same_event(c, em, days, one_off)]
            target = near[0] if len(near) == 1 else None
        if target is None:
            target = _Cluster(em.kind)
            clusters.append(target)
        target.members.append(em)
        target.participants |= set(em.participants)
    starts, work_events = lex.words("state_start"), lex.words("work_event")
    for em in event_mentions:
        if em.attach_only:
            if em.kind in ("since", "work"):
                target = _started_by(clusters, em, starts if em.kind == "since" else work_events)
            else:
                target = _attached_to(clusters, em, kindred)
            if target is not None:
                target.members.append(em)
    events: list[Event] = []
    used: set[str] = set()
    for c in clusters:
        if originals:
            c.members = drop_agreeing_copies(c.members, originals)
        # a source attached without a date lists the event again; who took part and whether it is still to
        # come are what the dating sources say
        telling = [m for m in c.members if not m.attach_only]
        # "the people who marched today," a spokesperson said: a quoted "today" is the day the words were spoken,
        # which the report's own day may not be (a blog posted the morning after). Where other sources give the
        # day, one within two days of theirs adds no date of its own and no conflict.
        firm = [m.date.value for m in telling if m.date and m.date.value and not m.spoken]
        loose = {id(m) for m in telling if m.spoken and m.date and m.date.value and len(m.date.value) == 10
                 and any(len(v) == 10 and _days_apart(v, m.date.value) <= 2 for v in firm)}
        if loose:
            telling = [m for m in telling if id(m) not in loose] + [
                replace(m, date=None) for m in telling if id(m) in loose]
        if len({m.kind for m in telling}) > 1:
            # kindred types told of one event: the word most of its sources use names it (a tie: the first told)
            told = [m.kind for m in telling]
            c.kind = max(dict.fromkeys(told), key=told.count)
        participants = tuple(sorted(agreed_participants(telling), key=_id_key))
        when = choose_date(telling)
        finalized = any(m.finalized for m in telling)
        scheduled = all(m.scheduled for m in telling)
        sources, seen = [], set()
        for m in c.members:
            key = (m.doc, m.sent_start)
            if key in seen:
                continue
            seen.add(key)
            sources.append(EventSource(
                doc=m.doc, start=m.sent_start, end=m.sent_end, text=m.text,
                date_value=m.date.value if m.date and id(m) not in loose else None,
                date_text=m.date.text if m.date else None,
                trigger_start=m.trigger_span[0] if m.trigger_span else None,
                trigger_end=m.trigger_span[1] if m.trigger_span else None,
            ))
        eid = "e" + short_hash(c.kind, *participants, when.value or "")
        if eid in used:
            eid = "e" + short_hash(c.kind, *participants, when.value or "", sources[0].doc, str(sources[0].start))
        used.add(eid)
        events.append(Event(
            id=eid, type=c.kind.split("/")[0],
            summary=summarize_event(c.kind, participants, when, names, lex, finalized, scheduled),
            participants=participants, date=when, sources=tuple(sources), scheduled=scheduled,
        ))
    order = {id(e): n for n, e in enumerate(events)}
    return sorted(events, key=lambda e: (e.date.value is None, e.date.value or "", order[id(e)]))


def run(story: Story, res) -> Story:
    lex = load_event_lexicon()
    kinds = {c.id: c.kind for c in story.cast}
    names = {c.id: c.name for c in story.cast}
    reporting = load_words("reporting_verbs")
    found: list[EventMention] = []
    genders = story.genders  # what the quote stage read: "she" is never the man the story calls her husband
    bodies = story_bodies(story, kinds)
    for art in story.articles:
        ann = story.annotations.get(art.id)
        if ann is None:
            continue
        author = " ".join((art.author or "").split())
        author_id = next((c.id for c in story.cast if c.kind == "person" and author and c.name == author), None)
        found.extend(find_events(art, ann, story.mentions, lex, kinds, reporting, author_id, genders, bodies))
    originals = {a.id: a.copy_of for a in story.articles if a.copy_of}
    events = merge_events(found, names, lex, originals, kinds)
    if british_spelling([a.text for a in story.articles]):
        events = [british_words(e) for e in events]
    return story.model_copy(update={"events": tuple(events)})


def story_bodies(story: Story, kinds: dict[str, str]) -> dict[str, str]:
    """{"board": cast id, "trustees": ...}: for each governing body, the one organisation the story's articles name
    with it (none where they name two)."""
    seen: dict[str, set[str]] = {}
    by_doc: dict[str, list[Mention]] = {}
    for m in story.mentions:
        by_doc.setdefault(m.doc, []).append(m)
    for art in story.articles:
        for _, noun, member in body_links(art.text, by_doc.get(art.id, []), kinds):
            seen.setdefault(noun, set()).add(member)
    return {noun: next(iter(ms)) for noun, ms in seen.items() if len(ms) == 1}


@lru_cache(maxsize=1)
def _spelling_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, dict[str, str]]:
    m = load_map("spellings")
    stems = [re.compile(r"\b(?:" + "|".join(map(re.escape, m[k])) + r")(?:e|es|ed|ing|ation|ations)\b", re.I)
             for k in ("british", "american")]
    words = [re.compile(r"\b(?:" + "|".join(map(re.escape, m[k])) + r")(?:s|ed|ing)?\b", re.I)
             for k in ("british_other", "american_other")]
    table = {k: v[0] for k, v in m.items() if k not in ("british", "american", "british_other", "american_other")}
    return stems[0], stems[1], words[0], words[1], table


@lru_cache(maxsize=64)
def _day_first(text: str) -> bool:
    """Whether "7/8/07" is the 7th of August in this article: it spells the British way."""
    return british_spelling([text])


def british_spelling(texts: Sequence[str]) -> bool:
    """The articles spell the British way: more -ise than -ize verbs ("organised", "apologised"); where they have
    neither, more -our and -re words ("colour", "centre") than American ones. Oxford spelling (-ize with -our)
    counts as American for the words Counterpoint writes."""
    uk, us, uk_other, us_other, _ = _spelling_patterns()
    a = sum(len(uk.findall(t)) for t in texts)
    b = sum(len(us.findall(t)) for t in texts)
    if a or b:
        return a > b
    return sum(len(uk_other.findall(t)) for t in texts) > sum(len(us_other.findall(t)) for t in texts)


def british_words(e: Event) -> Event:
    """``e`` with its type and summary words spelled the British way (lexicon/spellings.txt)."""
    table = _spelling_patterns()[4]
    summary = re.sub(r"[a-z]+", lambda m: table.get(m.group(0), m.group(0)), e.summary)
    return e.model_copy(update={"type": table.get(e.type, e.type), "summary": summary})
