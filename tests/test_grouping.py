"""Grouping and copies: pure functions on hand-built articles and signals; copies counted once."""
from __future__ import annotations

import numpy as np
import pytest

from counterpoint.grouping import (
    GroupingParams, Signals, cluster_average, count_sources, find_copies, find_names, group_articles,
    mark_copies, original_of, pair_similarity,
)
from counterpoint.model import Annotation, Article, Entity, SentenceStance
from counterpoint.stages.arguments import Candidate, build_key_points
from counterpoint.stages.checks import find_date_conflicts
from counterpoint.stages.timeline import DateMention, EventMention, merge_events

WIRE = ("The town council voted five to two on Tuesday to keep the Riverside library branch open for another "
        "year, after a campaign by parents and students who packed the meeting hall. Council member Jo Park said "
        "the branch was the only quiet place many students had. Opponents said the money would be better spent "
        "on road repairs, and the mayor promised a review of the budget in the spring.")
OTHER = ("A fire broke out at the harbour warehouse on Sunday night and burned until dawn. Firefighters from three "
         "towns fought the blaze, and the owner said the building had been empty for a year. Nobody was hurt, "
         "according to the fire chief, who said the cause was not yet known.")


def art(i, text, **kw):
    return Article(id=f"d{i}", source=f"s{i}.txt", text=text, **kw)


# --- copies -------------------------------------------------------------------

@pytest.mark.parametrize("second,is_copy", [
    (WIRE, True),                                                     # same wire text, another masthead
    (WIRE.replace("Tuesday", "Tuesday evening"), True),               # lightly edited
    (WIRE.rsplit(" Opponents", 1)[0], True),                          # trimmed: the first sentences only
    ("Reprinted from the Courier. " + WIRE + " Share this story.", True),  # wrapper lines around it
    (OTHER, False),                                                   # another story
    (" ".join(WIRE.split()[::-1]), False),                            # the same words, not the same text
    (WIRE[:60], False),                                               # a short fragment: not enough evidence
])
def test_grouping_find_copies(second, is_copy):
    copies = find_copies([WIRE, second])
    assert (copies == {1: 0}) is is_copy or (copies == {0: 1}) is is_copy
    if is_copy:
        assert copies == {1: 0}  # the first holds the second whole; when each holds the other, input order


def test_grouping_original_is_the_fullest_text_whatever_the_order():
    trimmed = WIRE.rsplit(" Opponents", 1)[0]
    assert find_copies([trimmed, WIRE, OTHER]) == {0: 1}
    assert find_copies([WIRE, trimmed, OTHER]) == {1: 0}
    # equal texts: the earliest published, then the first in input order is the original
    assert find_copies([OTHER, WIRE, WIRE, WIRE]) == {2: 1, 3: 1}
    assert find_copies([WIRE, WIRE], dates=["2024-05-02", "2024-05-01"]) == {0: 1}
    assert find_copies([WIRE, WIRE], dates=[None, "2024-05-01"]) == {0: 1}


def test_grouping_mark_copies_sets_copy_of_and_counts_once():
    arts = mark_copies([art(1, WIRE), art(2, OTHER), art(3, WIRE)])
    assert [a.copy_of for a in arts] == [None, None, "d1"]
    orig = original_of(arts)
    assert count_sources(["d1", "d3"], orig) == 1
    assert count_sources(["d1", "d2", "d3"], orig) == 2


def test_grouping_no_copies_leaves_articles_unchanged():
    arts = [art(1, WIRE), art(2, OTHER)]
    assert mark_copies(arts) == tuple(arts)


# --- signals and grouping --------------------------------------------------------

def unit(*xs):
    v = np.array(xs + (0.0,) * (8 - len(xs)), dtype=np.float32)
    return v / np.linalg.norm(v)


def sig(vec, names=(), published=None):
    return Signals(lead=vec, body=vec, names=frozenset(names), published=published)


def test_grouping_find_names_folds_and_adds_surnames():
    ann = Annotation(doc="d1", sentences=(), tokens=(), entities=(
        Entity(0, 9, "PERSON", "Jo Park's"), Entity(10, 20, "ORG", "the Council"), Entity(21, 25, "DATE", "2020"),
    ))
    assert find_names(ann) == {"jo park", "park", "council"}


def test_grouping_two_stories_and_a_loner():
    library, fire, moon = unit(1, 0.1), unit(0.1, 1), unit(0, 0, 1)
    signals = [
        sig(library, {"jo park", "riverside"}), sig(fire, {"harbour"}), sig(unit(1, 0.2), {"riverside"}),
        sig(unit(0.15, 1), {"harbour"}), sig(moon),
    ]
    assert group_articles(signals) == [[0, 2], [1, 3], [4]]


def test_grouping_is_deterministic_and_keeps_copies_with_their_original():
    signals = [sig(unit(1, 0.1)), sig(unit(0, 1)), sig(unit(0, 0, 1))]
    # 2 is a copy of 0 although its vector (a trimmed text) points elsewhere
    stories = group_articles(signals, {2: 0})
    assert stories == [[0, 2], [1]]
    assert group_articles(signals, {2: 0}) == stories


def test_grouping_dates_far_apart_split_a_story():
    v = unit(1, 0.1)
    params = GroupingParams(max_days=14)
    near = [sig(v, published="2024-03-01"), sig(v, published="2024-03-08")]
    far = [sig(v, published="2024-03-01"), sig(v, published="2024-09-01")]
    unknown = [sig(v, published="2024-03-01"), sig(v)]
    assert group_articles(near, params=params) == [[0, 1]]
    assert group_articles(far, params=params) == [[0], [1]]
    assert group_articles(unknown, params=params) == [[0, 1]]


def test_grouping_shared_names_pull_together():
    a, b = unit(1, 0.9), unit(0.9, 1)  # similar, not quite enough alone
    no_names = GroupingParams(w_lead=0.5, w_body=0.5, w_names=0.0, threshold=0.995)
    with_names = GroupingParams(w_lead=0.45, w_body=0.45, w_names=0.1, threshold=0.99)
    assert group_articles([sig(a, {"kyiv"}), sig(b, {"kyiv"})], params=no_names) == [[0], [1]]
    assert group_articles([sig(a, {"kyiv"}), sig(b, {"kyiv"})], params=with_names) == [[0, 1]]


def test_grouping_average_linkage_does_not_chain():
    # 0~1 and 1~2 are close, 0 and 2 are not: single linkage would chain them into one
    sim = np.array([[1, .8, .1], [.8, 1, .8], [.1, .8, 1]])
    assert cluster_average(sim, 0.7) == [[0, 1], [2]]
    assert pair_similarity([sig(unit(1)), sig(unit(1))]).shape == (2, 2)


def test_grouping_empty():
    assert group_articles([]) == [] and find_copies([]) == {}


# --- copies counted once by the stages -------------------------------------------

ARTS = (
    Article(id="d1", source="a.html", title="Ring Side", text="x" * 200),
    Article(id="d2", source="b.html", title="Fan blog", text="x" * 200),
    Article(id="d3", source="c.html", title="Ring Side (syndicated)", text="x" * 200, copy_of="d1"),
)
NAMES = {"p1": "Marcus Delaney"}


def em(doc, value, start=0):
    d = DateMention(start, start + 4, value, value, {4: "year", 7: "month"}[len(value)])
    return EventMention(doc, "divorce", start, start + 40, f"sentence in {doc}", "divorce", ("p1",), d)


def test_grouping_timeline_copy_agreeing_with_original_is_not_a_second_source():
    originals = {"d3": "d1"}
    # d1 and its copy d3 say 2016, d2 says 2017 twice... no: once. Without dedup 2016 would win 2 to 1 by copies alone
    mentions = [em("d2", "2017"), em("d1", "2016"), em("d3", "2016")]
    (ev,) = merge_events(mentions, NAMES, originals=originals)
    assert [s.doc for s in ev.sources] == ["d2", "d1"]
    assert ev.date.value == "2017"  # one source each: the first told wins, as without copies
    (plain,) = merge_events(mentions, NAMES)
    assert plain.date.value == "2016" and len(plain.sources) == 3


def test_grouping_timeline_copy_disagreeing_with_original_stays():
    (ev,) = merge_events([em("d1", "2016"), em("d3", "2015")], NAMES, originals={"d3": "d1"})
    assert [s.doc for s in ev.sources] == ["d1", "d3"]
    assert [c.docs for c in find_date_conflicts([ev], ARTS)] == [("d1", "d3")]


def test_grouping_checks_date_conflict_names_a_copy_once():
    (ev,) = merge_events([em("d1", "2016"), em("d3", "2016"), em("d2", "2017")], NAMES)  # no dedup upstream
    (check,) = find_date_conflicts([ev], ARTS)
    assert check.docs == ("d1", "d2")
    assert "d3" not in check.message


def st(doc, text, start=0):
    return SentenceStance(doc=doc, start=start, end=start + len(text), text=text, label="for", score=0.9,
                          p_for=0.9, p_against=0.05, relevance=0.8)


def test_grouping_key_point_prevalence_counts_a_copy_once():
    text = "The branch gives hundreds of families a quiet place to learn every week."
    cands = [Candidate(st(d, text), "for", 0.9) for d in ("d1", "d3", "d2")]
    vecs = np.tile(unit(1, 0.2), (3, 1))
    side_docs = {"for": {"d1", "d2", "d3", "d4"}, "against": set()}
    (kp,) = build_key_points(cands, vecs, side_docs, {"d3": "d1"})
    assert kp.documents == ("d1", "d2")
    assert kp.prevalence == round(2 / 3, 3)  # d1 (= d3), d2, d4
    (plain,) = build_key_points(cands, vecs, side_docs)
    assert plain.documents == ("d1", "d2", "d3") and plain.prevalence == 0.75
