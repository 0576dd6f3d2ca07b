"""Dates on MEANTIME (English): the timeline's date finder against gold TIMEX3.

    .venv/bin/python bench/timex_meantime.py [--data ../shared/data] [--join detok|space] [--errors]

For each of the 120 MEANTIME English documents (intra-doc annotation, CAT XML)
the text is rebuilt from the gold tokens, one gold sentence per line (a blank
line after the title and after the dateline, blocks of their own on the page),
with a token -> character offset map. By default punctuation is re-attached
("March 06, 2008", "Apple's"), as in a real article; ``--join space`` joins
every token with one space ("March 06 , 2008") instead. The document creation
time (``functionInDocument="CREATION_TIME"``) is the anchor (``published``);
where it is missing (2 files) or not ISO (1 file, "03-02-2009") the dateline
is read instead. Predictions on the dateline are not scored (reported apart).
The text goes through spaCy (``stages.language.annotate``) and
``stages.timeline.find_dates`` runs on every spaCy sentence with spaCy's
entities and the last date (and day) found before (what "two years later"
and "the same day" count from), as ``find_events`` calls it in the pipeline; each date is scored on its TIMEX3 value
(``DateMention.timex_value()``: the week, quarter, season, part of day or
PRESENT_REF / PAST_REF / FUTURE_REF the finder gives, else the calendar value
the timeline uses), compared as a string to the gold value as TempEval-3 does;
a span the timeline keeps whole ("from 2009 to 2011") is scored as its two ends
(``DateMention.timex_units()``), which TIMEX3 marks apart. MEANTIME annotates only the title, the dateline
and the four sentences after it (gold sentences 0-5), so only predictions
there are scored (the whole text is still parsed).

Scoring (TempEval-3 convention, UzZaman et al. 2013), gold = TIMEX3 of type DATE
other than the creation time:
  * span P/R/F1, strict (exact character span) and relaxed (any overlap,
    one-to-one, largest overlap first);
  * value on relaxed matches: "exact" = our value string equals the gold value;
    "compatible" = the gold date lies inside the interval our value names (the
    gold truncated to our precision equals ours: ours 2008-03 vs gold 2008-03-06
    is compatible, not exact). Weeks, weekends, quarters, seasons, fiscal years,
    decades, times of day and 2011-06-XX are compared through the calendar
    interval they name (never exact). PRESENT_REF / PAST_REF / FUTURE_REF /
    XXXX-XX-XX and P... values name no calendar date: left out of value accuracy,
    in value F1 right only where our TIMEX3 value is the same string (as in
    TempEval-3: the finder must say PRESENT_REF; a calendar value for "now" is wrong);
  * value F1 = relaxed matches with the exact value / predicted and / gold.
Predictions overlapping the dateline (the creation time's own tokens) or a gold
TIME are left out of DATE precision and reported apart; predictions overlapping
a gold DURATION or SET count as false positives and are reported apart.
Nothing is written; ``--errors`` prints every miss, false positive and wrong value.
"""
from __future__ import annotations

import argparse
import calendar
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?)\]}%]+|'[A-Za-z]{0,2}|n't|'s|’s)$")
NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``"}
# MEANTIME annotates only the title (sentence 0), the dateline (1) and sentences 2-5;
# every TIMEX3 lies there, so predictions after sentence 5 are not scored.
ANNOTATED_SENTENCES = 5


# --- corpus -------------------------------------------------------------------

@dataclass
class Timex:
    start: int
    end: int
    type: str
    value: str
    dct: bool


@dataclass
class Doc:
    id: str
    topic: str
    text: str
    anchor: str | None
    timexes: list[Timex]
    scored_end: int             # end of the annotated part: title, dateline and the next four sentences
    tokenless: int = 0          # non-DCT TIMEX3 with no tokens (not scorable)
    anchor_from: str = "creation time"


def read_doc(path: Path, join: str) -> Doc:
    root = ET.parse(path).getroot()
    toks = sorted(root.iter("token"), key=lambda t: int(t.get("t_id")))
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos, prev_sent, prev_tok, scored_end, dateline = 0, None, None, 0, None
    for t in toks:
        word = t.text or ""
        sent = t.get("sentence")
        if prev_sent is not None:
            if sent != prev_sent:
                # title and dateline are blocks of their own on the page; then one sentence a line
                sep = "\n\n" if prev_sent in ("0", "1") else "\n"
            elif join == "detok" and (NO_SPACE_BEFORE.match(word) or prev_tok in NO_SPACE_AFTER):
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep)
        offsets[t.get("t_id")] = (pos, pos + len(word))
        if sent == "1":
            dateline = (dateline[0] if dateline else pos, pos + len(word))
        if int(sent) <= ANNOTATED_SENTENCES:
            scored_end = pos + len(word)
        parts.append(word)
        pos += len(word)
        prev_sent, prev_tok = sent, word
    text = "".join(parts)
    timexes: list[Timex] = []
    anchor, tokenless = None, 0
    markables = root.find("Markables")
    for m in (markables.iter("TIMEX3") if markables is not None else ()):
        ids = [a.get("t_id") for a in m.findall("token_anchor")]
        dct = m.get("functionInDocument") == "CREATION_TIME"
        if dct:
            anchor = m.get("value")
        if not ids:
            tokenless += not dct
            continue
        spans = [offsets[i] for i in ids]
        timexes.append(Timex(min(a for a, _ in spans), max(b for _, b in spans), m.get("type"), m.get("value"), dct))
    anchor_from = "creation time"
    if not (anchor and re.fullmatch(r"\d{4}-\d\d-\d\d", anchor)) and dateline:
        # 2 files have no creation time, 1 has "03-02-2009": read the dateline ("February 03, 2009")
        line = re.sub(r"\s+,", ",", text[dateline[0]:dateline[1]])
        anchor_from = "dateline (creation time " + ("not ISO)" if anchor else "missing)")
        anchor = datetime.strptime(line, "%B %d, %Y").date().isoformat()
        if not any(x.dct for x in timexes):
            timexes.append(Timex(dateline[0], dateline[1], "DATE", anchor, True))
    return Doc(path.stem, path.parent.name.removeprefix("corpus_"), text, anchor, timexes, scored_end, tokenless,
               anchor_from)


# --- values -------------------------------------------------------------------

def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def interval(value: str | None) -> tuple[date, date] | None:
    """The calendar days a TIMEX3 / our value names, first and last; None if none."""
    if not value:
        return None
    v = value.split("T")[0] if re.match(r"\d{4}-\d\d-\d\dT", value) else value
    try:
        if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", v):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d\d)(?:-XX)?", v):
            return date(int(m[1]), int(m[2]), 1), _month_end(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(?:FY)?(\d{4})", v):      # fiscal year taken as the calendar year
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(\d{3})", v):              # decade: "200" = the 2000s
            return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", v):
            q = int(m[2])
            return date(int(m[1]), 3 * q - 2, 1), _month_end(int(m[1]), 3 * q)
        if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", v):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return (monday + timedelta(days=5), monday + timedelta(days=6)) if m[3] else \
                (monday, monday + timedelta(days=6))
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v):  # meteorological seasons
            y, first = int(m[1]), {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[m[2]]
            last_y, last_m = (y + 1, 2) if first == 12 else (y, first + 2)
            return date(y, first, 1), _month_end(last_y, last_m)
    except ValueError:
        return None
    return None


def value_class(value: str) -> str:
    v = value
    if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
        return "day"
    if re.fullmatch(r"\d{4}-\d\d", v):
        return "month"
    if re.fullmatch(r"\d{4}", v):
        return "year"
    for name, pat in (("day+time", r"\d{4}-\d\d-\d\dT.*"), ("month, day XX", r"\d{4}-\d\d-XX"),
                      ("week", r"\d{4}-W\d\d"), ("weekend", r"\d{4}-W\d\d-WE"), ("quarter", r"\d{4}-Q\d"),
                      ("season", r"\d{4}-(SP|SU|FA|WI)"), ("fiscal year", r"FY\d{4}"), ("decade", r"\d{3}"),
                      ("*_REF", r"(PRESENT|PAST|FUTURE)_REF"), ("XXXX-XX-XX", r"XXXX.*"), ("P... (duration)", r"P.*")):
        if re.fullmatch(pat, v):
            return name
    return "other"


def compatible(ours: str | None, gold: str) -> bool:
    a, g = interval(ours), interval(gold)
    return bool(a and g and a[0] <= g[0] and g[1] <= a[1])


# --- scoring ------------------------------------------------------------------

@dataclass
class Tally:
    docs: int = 0
    gold: int = 0
    pred: int = 0                # counted in DATE precision
    strict: int = 0
    relaxed: int = 0
    val_exact: int = 0           # relaxed matches, exact value (all gold DATE)
    val_n: int = 0               # relaxed matches whose gold names a calendar interval
    val_n_exact: int = 0
    val_n_compat: int = 0
    coarser: int = 0             # compatible but less precise than gold
    finer: int = 0               # ours inside gold but more precise
    no_value: int = 0            # relaxed matches where we gave no value (anchor missing)
    extra: Counter = field(default_factory=Counter)

    def add(self, o: "Tally") -> None:
        for k, v in vars(o).items():
            if isinstance(v, Counter):
                self.extra.update(v)
            else:
                setattr(self, k, getattr(self, k) + v)


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match(preds, golds) -> list[tuple[int, int]]:
    """One-to-one relaxed matching, largest overlap first (ties: exact span, then order)."""
    pairs = sorted(((overlap(p.start, p.end, g.start, g.end), (p.start, p.end) == (g.start, g.end), -i, -j, i, j)
                    for i, p in enumerate(preds) for j, g in enumerate(golds)
                    if overlap(p.start, p.end, g.start, g.end)), reverse=True)
    used_p, used_g, out = set(), set(), []
    for *_, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def score_doc(doc: Doc, preds, t: Tally, log: dict) -> None:
    t.extra["predictions after the annotated part"] += sum(p.start >= doc.scored_end for p in preds)
    preds = [p for p in preds if p.start < doc.scored_end]
    golds = [g for g in doc.timexes if g.type == "DATE" and not g.dct]
    others = [g for g in doc.timexes if g.type != "DATE" or g.dct]
    t.docs += 1
    t.gold += len(golds)
    pairs = match(preds, golds)
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    excluded = set()
    for i, p in enumerate(preds):
        if i in matched_p:
            continue
        hit = [g for g in others if overlap(p.start, p.end, g.start, g.end)]
        kinds = {"DCT" if g.dct else g.type for g in hit}
        if "DCT" in kinds:
            excluded.add(i)
            g = next(g for g in hit if g.dct)
            t.extra["dateline found"] += 1
            t.extra["dateline value exact"] += p.value == g.value[:len(p.value or "")] and bool(p.value)
        elif "TIME" in kinds:
            excluded.add(i)
            g = next(g for g in hit if g.type == "TIME")
            t.extra["on TIME"] += 1
            t.extra["on TIME, date compatible"] += compatible(p.value, g.value)
        elif "DURATION" in kinds:
            t.extra["FP on DURATION"] += 1
            log["fp_duration"].append((doc.id, p.text, p.value, next(g.value for g in hit if g.type == "DURATION")))
        elif "SET" in kinds:
            t.extra["FP on SET"] += 1
            log["fp_other"].append((doc.id, p.text, p.value, "SET"))
        else:
            log["fp_other"].append((doc.id, p.text, p.value, "matched DATE" if any(
                overlap(p.start, p.end, g.start, g.end) for g in golds) else "-"))
    for g in others:
        if g.type == "DURATION" and any(i not in matched_p and overlap(p.start, p.end, g.start, g.end)
                                        for i, p in enumerate(preds)):
            t.extra["gold DURATION output as date"] += 1
    t.extra["gold DURATION"] += sum(g.type == "DURATION" for g in others)
    t.pred += len(preds) - len(excluded)
    for i, j in pairs:
        p, g = preds[i], golds[j]
        if (p.start, p.end) == (g.start, g.end):
            t.strict += 1
        else:
            log["span"].append((doc.id, doc.text[g.start:g.end], p.text))
        t.relaxed += 1
        exact = p.value == g.value
        t.val_exact += exact
        if p.value is None:
            t.no_value += 1
        if interval(g.value) is None:
            t.extra["matched, gold has no calendar value"] += 1
            log["val_excluded"].append((doc.id, doc.text[g.start:g.end], g.value, p.value))
            continue
        t.val_n += 1
        t.val_n_exact += exact
        comp = compatible(p.value, g.value)
        t.val_n_compat += comp
        if comp and not exact:
            t.coarser += 1
        elif not comp and compatible(g.value, p.value):
            t.finer += 1
        if not exact:
            log["val_wrong"].append((doc.id, doc.text[g.start:g.end], p.text, g.value, p.value,
                                     "coarser" if comp else "finer" if compatible(g.value, p.value) else "wrong"))
    for j, g in enumerate(golds):
        if j not in matched_g:
            log["missed"].append((doc.id, doc.text[g.start:g.end], g.value))


# --- main ---------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="date finder vs MEANTIME English TIMEX3")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--join", choices=("detok", "space"), default="detok")
    ap.add_argument("--errors", action="store_true", help="print every miss, false positive and wrong value")
    args = ap.parse_args(argv)
    t_all = time.perf_counter()

    from counterpoint.model import Article
    from counterpoint.resources import Resources
    from counterpoint.stages.language import annotate
    from counterpoint.stages.timeline import find_dates, parse_anchor

    files = sorted((args.data / "timex" / "meantime-en" / "intra-doc_annotation").glob("corpus_*/*.xml"))
    if not files:
        print(f"no MEANTIME files under {args.data / 'timex' / 'meantime-en'}", file=sys.stderr)
        return 1
    docs = [read_doc(f, args.join) for f in files]

    t = time.perf_counter()
    nlp = Resources().nlp
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    anns = annotate([Article(id=d.id, source=d.id, text=d.text, published=d.anchor) for d in docs], nlp)
    spacy_s = time.perf_counter() - t

    t = time.perf_counter()
    per_topic: dict[str, Tally] = defaultdict(Tally)
    log: dict[str, list] = defaultdict(list)
    n_sent = 0
    for d in docs:
        ann = anns[d.id]
        anchor = parse_anchor(d.anchor)
        preds, last_date, last_day = [], None, None
        for span in ann.sentences:
            found = find_dates(d.text, span, anchor, ann.entities, last_date, None, last_day)
            # as find_events does: "two years later", "the same day" count from the last date given before
            known = [m for m in found if m.value is not None and not m.future]
            last_date = known[-1] if known else last_date
            last_day = next((m for m in reversed(known) if m.precision == "day"), last_day)
            # scored on the TIMEX3 value (a week, a quarter, PRESENT_REF where the finder gives one)
            # a span's two ends are two TIMEX3 ("from [2009] to [2011]")
            preds.extend(u._replace(value=u.timex_value()) for m in found for u in m.timex_units())
        n_sent += len(ann.sentences)
        score_doc(d, preds, per_topic[d.topic], log)
    find_s = time.perf_counter() - t

    total = Tally()
    for tally in per_topic.values():
        total.add(tally)
    types = Counter(x.type for d in docs for x in d.timexes if not x.dct)
    classes = Counter(value_class(x.value) for d in docs for x in d.timexes if x.type == "DATE" and not x.dct)
    n_dct = len(docs)
    words = sum(len(d.text.split()) for d in docs)

    print(f"MEANTIME English (intra-doc), {len(docs)} documents, {words} tokens, {n_sent} spaCy sentences; "
          f"text rebuilt from tokens ({'punctuation re-attached' if args.join == 'detok' else 'space-joined'}), "
          "anchor: " + ", ".join(f"{k} {v}" for k, v in Counter(d.anchor_from for d in docs).most_common()))
    print(f"machine: {os.cpu_count()} cores; runtime {time.perf_counter() - t_all:.1f} s "
          f"(spaCy load {load_s:.1f} s, annotate {spacy_s:.1f} s, find_dates + scoring {find_s:.2f} s)")
    print("gold TIMEX3 with tokens, creation times apart: " + ", ".join(f"{k} {v}" for k, v in types.most_common())
          + f" ({sum(d.tokenless for d in docs)} more have no tokens, not scorable); scored: DATE")
    print(f"scored part: gold sentences 0-{ANNOTATED_SENTENCES} (title, dateline, 4 sentences), where every TIMEX3 lies; "
          f"{total.extra['predictions after the annotated part']} predictions after it not scored")
    print("gold DATE values: " + ", ".join(f"{k} {v}" for k, v in classes.most_common()))
    print("  plain day/month/year: exact or compatible by string; week/weekend/quarter/season/fiscal year/decade/"
          "day+time/month-XX: compared by calendar interval (never exact); *_REF/XXXX/P...: no value accuracy")
    print()
    head = (f"{'topic':8} {'docs':>4} {'gold':>4} {'pred':>4} | {'strict P':>8} {'R':>5} {'F1':>5} | "
            f"{'relax P':>7} {'R':>5} {'F1':>5} | {'val n':>5} {'exact':>5} {'compat':>6} | {'value F1':>8}")
    print(head)
    print("-" * len(head))
    for name, tl in sorted(per_topic.items()) + [("overall", total)]:
        sp, sr, sf = prf(tl.strict, tl.pred, tl.gold)
        rp, rr, rf = prf(tl.relaxed, tl.pred, tl.gold)
        _, _, vf = prf(tl.val_exact, tl.pred, tl.gold)
        ve = tl.val_n_exact / tl.val_n if tl.val_n else 0.0
        vc = tl.val_n_compat / tl.val_n if tl.val_n else 0.0
        print(f"{name:8} {tl.docs:>4} {tl.gold:>4} {tl.pred:>4} | {100 * sp:8.1f} {100 * sr:5.1f} {100 * sf:5.1f} | "
              f"{100 * rp:7.1f} {100 * rr:5.1f} {100 * rf:5.1f} | {tl.val_n:>5} {100 * ve:5.1f} {100 * vc:6.1f} | "
              f"{100 * vf:8.1f}")
    print()
    x = total.extra
    print(f"value on {total.relaxed} relaxed matches: exact {total.val_exact}; {x['matched, gold has no calendar value']} "
          f"have a gold without calendar value (*_REF, XXXX, P...); of the other {total.val_n}: exact "
          f"{total.val_n_exact}, compatible {total.val_n_compat} (ours coarser than gold {total.coarser}), "
          f"ours finer than gold {total.finer}, no value from us {total.no_value}")
    print(f"value F1 (TempEval-3 style, exact value / pred {total.pred} and / gold DATE {total.gold}): "
          f"{100 * prf(total.val_exact, total.pred, total.gold)[2]:.1f}  "
          f"(context: HeidelTime 77.6 on TempEval-3 platinum, all types; project goal 85)")
    all_gold = sum(types.values())
    print(f"  same over all {all_gold} gold types (DATE+TIME+DURATION+SET, as TempEval-3 counts; TIME-overlapping "
          f"predictions back in): {100 * prf(total.val_exact, total.pred + x['on TIME'], all_gold)[2]:.1f}")
    print(f"false positives: {total.pred - total.relaxed}, of which on a gold DURATION {x['FP on DURATION']} "
          f"({x['gold DURATION output as date']} of {x['gold DURATION']} gold DURATIONs output as dates), "
          f"on a gold SET {x['FP on SET']}")
    print(f"left out of precision: {x['on TIME']} predictions on a gold TIME (date part compatible "
          f"{x['on TIME, date compatible']}); dateline (creation time) found in {x['dateline found']} of {n_dct} "
          f"documents, value agreeing {x['dateline value exact']}")
    print(f"misses: {total.gold - total.relaxed} gold DATE with no overlapping prediction; by gold value class: "
          + ", ".join(f"{k} {v}" for k, v in Counter(value_class(v) for _, _, v in log['missed']).most_common()))

    if args.errors:
        for title, key in (("missed (doc, gold text, gold value)", "missed"),
                           ("relaxed but not strict span (doc, gold text, our text)", "span"),
                           ("wrong value (doc, gold text, our text, gold, ours, kind)", "val_wrong"),
                           ("matched, gold has no calendar value (doc, gold text, gold, ours)", "val_excluded"),
                           ("false positive on DURATION (doc, our text, ours, gold)", "fp_duration"),
                           ("other false positives (doc, our text, ours, overlaps)", "fp_other")):
            print(f"\n{title}:")
            for row in log[key]:
                print("   " + " | ".join(map(str, row)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
