"""The SemEval-2015 Task 4 scorer in bench/timeline_semeval.py, on toy timelines (pure, no data, no models)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "timeline_semeval.py"
_spec = importlib.util.spec_from_file_location("bench_timeline_semeval", _PATH)
sem = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = sem
_spec.loader.exec_module(sem)

GOLD_TEXT = """Airbus
0\tXXXX-XX-XX\t1-2-owned
1\t2003-XX-XX\t1-4-sold
2\t2004-05-01\t1-5-built\t2-3-made
3\t2005-XX-XX\t2-7-ordered
3\t2005-XX-XX\t3-1-delivered
"""


def gold():
    return sem.parse_timeline(GOLD_TEXT)[1]


def test_parse_keeps_rows_and_coreferring_mentions():
    entity, rows = sem.parse_timeline(GOLD_TEXT)
    assert entity == "Airbus"
    assert rows[2] == (2, "2004-05-01", ("1-5-built", "2-3-made"))
    assert sem.parse_timeline(sem.format_timeline(entity, rows)) == (entity, rows)


def test_identical_timelines_score_one():
    assert sem.score(gold(), gold()) == pytest.approx((1.0, 1.0, 1.0))


def test_empty_system_scores_zero():
    p, r, f = sem.score([], gold())
    assert (p, r, f) == (0.0, 0.0, 0.0)
    assert sem.score_timeline([], gold()).r_den > 0


def test_swapped_pair_lowers_precision():
    swapped = [
        (1, "2003-XX-XX", ("1-5-built", "2-3-made")),
        (2, "2004-05-01", ("1-4-sold",)),
        (3, "2005-XX-XX", ("2-7-ordered", "3-1-delivered")),
    ]
    p, r, f = sem.score(swapped, gold())
    assert p < 1.0 and r < 1.0
    assert f < sem.score(gold(), gold())[2]


def test_closure_gives_transitive_before_and_reduced_is_smaller():
    g = sem.timeline_graph(gold())
    clo, red = sem.closure(g), sem.reduced(g)
    assert ("BEFORE", "1-4-sold", "3-1-delivered") in clo     # 1 < 2 < 3
    assert ("BEFORE", "1-4-sold", "3-1-delivered") not in red
    assert ("SIM", "2-7-ordered", "3-1-delivered") in clo      # same order number
    assert ("AT", "2-3-made", "2004-05-01") in clo             # anchor spreads to co-referring mentions
    assert red <= clo


def test_unplaced_rows_relate_only_inside_the_row():
    rows = [(0, "XXXX-XX-XX", ("a-1-x", "a-2-y")), (0, "XXXX-XX-XX", ("b-1-z",)), (1, "2001", ("c-1-w",))]
    clo = sem.closure(sem.timeline_graph(rows))
    assert clo == {("SIM", "a-1-x", "a-2-y"), ("AT", "c-1-w", "2001")}


def test_a_correct_subset_has_full_precision():
    part = [(1, "2003-XX-XX", ("1-4-sold",)), (2, "2004-05-01", ("1-5-built",))]
    p, r, _ = sem.score(part, gold())
    assert p == 1.0 and 0.0 < r < 1.0


def test_micro_average_sums_counts():
    a = sem.Counts(1, 2, 1, 4)
    b = sem.Counts(3, 4, 0, 4)
    p, r, _ = a.add(b).prf()
    assert p == pytest.approx(4 / 6) and r == pytest.approx(1 / 8)


def test_order_rows_by_date_and_undated_last_at_zero():
    rows = sem.order_rows([("2009-05-14", ["x-1-a"]), (None, ["x-2-b"]), ("2009", ["x-3-c"]), ("2009-05-14", ["x-4-d"])])
    assert rows == [(0, "XXXX-XX-XX", ("x-2-b",)), (1, "2009-XX-XX", ("x-3-c",)),
                    (2, "2009-05-14", ("x-1-a",)), (2, "2009-05-14", ("x-4-d",))]


def test_name_key_folds_loosely():
    assert sem.name_key("airbus_a380") == sem.name_key("Airbus A380")
    assert sem.name_key("S&P 500") == sem.name_key("s_and_p_500")
