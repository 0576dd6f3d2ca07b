"""The whole pipeline on three held-out stories we wrote by hand, scored against answer keys fixed in advance.

    .venv/bin/python bench/unseen_stories.py [--timeline] [--quotes] [bench/stories/NAME ...]

Each folder under bench/stories/ holds 4-5 articles (txt, html, jsonl) and a gold.json written and committed
before this script existed or the pipeline ever ran on them (bench/stories/README.md). Every story is analysed
twice, in-process: once WITH the gold claim (as `--claim` would pass it) and once WITHOUT (Counterpoint proposes
one). Gold is read only for scoring; the only thing of it the pipeline ever sees is the claim, in the first run.

What is scored (lenient where the names of things are ours, strict where the answer is not):

- stance: document labels against the written-as labels, beside the majority class (neutral). A proposed claim
  may state the other side ('... should refuse the wind farm'), so the proposed-claim run is also scored with
  for and against swapped, and the better of the two readings per story is given as an oracle figure;
- people: a gold group is `ok` when every one of its spellings is the name or an alias of ONE cast member and that
  member holds no spelling of another gold person (exact, case-insensitive);
- events: a gold event is found when a timeline event has the same type, a date in the same year, and a
  participant whose name or an alias contains the gold name, or is contained in it as whole words (at least
  two words, or a person's surname); source recall is over the found events (the best matching event each);
- date conflicts: found when a `date_conflict` check names both of the gold's conflicting sources (the type of
  the event the check refers to is printed beside it, not required to match);
- cast B-cubed: every occurrence of a gold person's spellings in the analysed text, clustered by the cast member
  whose mention overlaps it (none: a singleton), against the gold person; the person entries of the cast that
  overlap no occurrence are listed by name (noise, or people the gold does not list: bylines, passers-by);
- key points: per side, the share of the supporting sentences the dossier gives that side which come from
  articles whose gold stance is that side (purity), with the number of key points and sentences;
- quotes (only stories whose gold.json has `quotes` and `not_quotes`; the run with the gold claim): each gold
  quote is located in its article's extracted text (whitespace runs and curly/straight quote marks normalised;
  the k-th of identical quotes in one file is the k-th occurrence, and one right after a quotation mark is
  preferred), and one that cannot be is reported as 'not located' and counts as missed. Predicted quotes are
  matched to gold one to one, greedily by best overlap, when their spans (edge punctuation, quote marks and spaces
  stripped from both) share at least half the characters of the longer; recall, precision (over the quotes in the
  story's articles) and F1, and how many `not_quotes` (scare quotes, titles, headlines) were output as quotes
  (same overlap). Speakers, over matched quotes: a gold null is right when no speaker is given; a gold person
  when the speaker's cast member holds (name or alias, exact, case-insensitive) a spelling of that gold person;
  an organisation when its name matches the member as events' participants do. With --quotes every gold quote
  is listed (located, matched, gold and predicted speaker, cue), then the predicted quotes that match none.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

STORIES = ROOT / "bench" / "stories"


def norm(s: str) -> str:
    s = s.replace("\u2019", "'").lower()
    s = re.sub(r"^the\s+", "", s.strip())
    s = re.sub(r"'s$", "", s)
    return re.sub(r"\s+", " ", s)


def file_of(source: str) -> str:
    """The file name an article came from (JSONL articles are 'path:id' or 'path:line')."""
    return Path(re.sub(r"(\.jsonl):[^/]*$", r"\1", source)).name


def names_of(member) -> set[str]:
    return {norm(member.name), *(norm(a) for a in member.aliases)}


def name_matches(gold: str, member) -> bool:
    g = norm(gold)
    gw = f" {g} "
    for n in names_of(member):
        if not n:
            continue
        if n == g or gw in f" {n} ":
            return True
        if f" {n} " in gw and (len(n.split()) >= 2 or (member.kind == "person" and g.endswith(" " + n))):
            return True
    return False


def run(folder: Path, claim: str | None, res):
    from counterpoint.pipeline import analyze

    gold_files = set(json.loads((folder / "gold.json").read_text())["stances"])
    inputs = sorted(str(p) for p in folder.iterdir() if p.name in gold_files)
    t = time.perf_counter()
    story = analyze(inputs, claim=claim, res=res)
    return story, time.perf_counter() - t


SWAP = {"for": "against", "against": "for", "neutral": "neutral"}


def score_stance(story, gold, swap=False):
    """Labels against gold; with ``swap``, against gold read for the opposite claim (for <-> against)."""
    rows, right = [], 0
    fid = {a.id: file_of(a.source) for a in story.articles}
    for a in story.articles:
        g = gold["stances"][fid[a.id]]
        g = SWAP[g] if swap else g
        got = story.stances.get(a.id)
        label, conf = (got.label, got.confidence) if got else ("(none)", float("nan"))
        right += label == g
        rows.append((a.id, fid[a.id], g, label, conf))
    return rows, right, len(story.articles)


def score_people(story, gold):
    people = [m for m in story.cast]
    out = []
    for group in gold["people"]:
        others = {norm(v) for grp in gold["people"] if grp is not group for v in grp}
        where = {}
        for v in group:
            where[v] = [m for m in people if norm(v) in names_of(m)]
        missing = [v for v, ms in where.items() if not ms]
        ids = {m.id for ms in where.values() for m in ms}
        merged = sorted({v for m in people if m.id in ids for v in others if v in names_of(m)})
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if len(ids) > 1:
            parts.append(f"split over {len(ids)} members")
        if merged:
            parts.append("merged with " + ", ".join(merged))
        verdict = "; ".join(parts) or "ok"
        shown = sorted({m.name for ms in where.values() for m in ms})
        out.append((" / ".join(group), verdict, "; ".join(shown) or "-"))
    return out


def score_people_b3(story, gold):
    """B-cubed of the cast over every occurrence of a gold person's spellings in the analysed texts (longest
    spelling first, whole words, case-insensitive); an occurrence no cast mention overlaps is a singleton.
    Also the person entries of the cast that overlap no occurrence: noise, or people the gold does not list
    (bylines, passers-by) - printed by name so a reader can tell."""
    spellings = sorted(((v, k) for k, grp in enumerate(gold["people"]) for v in grp), key=lambda x: -len(x[0]))
    occ = []   # (gold person index, predicted cluster)
    touched: set[str] = set()
    for a in story.articles:
        taken: list[tuple[int, int]] = []
        mentions = [m for m in story.mentions if m.doc == a.id]
        for v, k in spellings:
            for m in re.finditer(rf"(?<!\w){re.escape(v)}(?!\w)", a.text, re.I):
                if any(x < m.end() and m.start() < y for x, y in taken):
                    continue
                taken.append((m.start(), m.end()))
                own = [mm.member for mm in mentions if mm.start < m.end() and m.start() < mm.end]
                occ.append((k, own[0] if own else f"unfound:{a.id}:{m.start()}"))
                touched.update(own)
    def b3(key_of_gold: bool) -> float:
        total = 0.0
        for g, p_ in occ:
            same_pred = [x for x in occ if x[1] == p_]
            same_gold = [x for x in occ if x[0] == g]
            if key_of_gold:
                total += sum(x[0] == g for x in same_pred) / len(same_pred)
            else:
                total += sum(x[1] == p_ for x in same_gold) / len(same_gold)
        return total / len(occ) if occ else 0.0
    prec, rec = b3(True), b3(False)
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    persons = [c for c in story.cast if c.kind == "person"]
    unmatched = [c.name for c in persons if c.id not in touched]
    return prec, rec, f, len(occ), len(persons), unmatched


def score_events(story, gold):
    fid = {a.id: file_of(a.source) for a in story.articles}
    cast = {m.id: m for m in story.cast}
    rows = []
    for ge in gold["events"]:
        best, best_rec = None, -1.0
        for ev in story.events:
            if ev.type.lower() != ge["type"].lower():
                continue
            if not ev.date.value or ev.date.value[:4] != str(ge["year"]):
                continue
            if not any(p in cast and name_matches(ge["participant"], cast[p]) for p in ev.participants):
                continue
            docs = {fid.get(s.doc, s.doc) for s in ev.sources}
            rec = len(docs & set(ge["sources"])) / len(ge["sources"])
            if rec > best_rec:
                best, best_rec = ev, rec
        rows.append((ge, best, best_rec if best else None))
    return rows


def score_conflicts(story, gold):
    fid = {a.id: file_of(a.source) for a in story.articles}    # a .jsonl file may hold several articles
    types = {e.id: e.type for e in story.events}
    found = []
    for gc in gold["date_conflicts"]:
        want = set(gc["sources"])
        hits = [c for c in story.checks if c.kind == "date_conflict" and want <= {fid.get(d) for d in c.docs}]
        about = sorted({types[r] for c in hits for r in c.refs if r in types})
        found.append((gc, bool(hits), about))
    n_all = sum(c.kind == "date_conflict" for c in story.checks)
    return found, n_all


def score_keypoints(story, gold, swap=False):
    fid = {a.id: file_of(a.source) for a in story.articles}
    out = {}
    for side in ("for", "against"):
        kps = [k for k in story.arguments if k.side == side]
        sup = [s for k in kps for s in k.support]
        want = SWAP[side] if swap else side
        pure = sum(gold["stances"].get(fid.get(s.doc, ""), "") == want for s in sup)
        out[side] = (len(kps), len(sup), pure)
    return out


STRAIGHT = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
            "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'"}
EDGE = " \t\r\n.,;:!?'\"()[]-\u2013\u2014\u2026" + "".join(STRAIGHT)


def flat(s: str) -> tuple[str, list[int]]:
    """``s`` with curly quote marks made straight and each run of whitespace one space, and where each character
    of the result stands in ``s``."""
    out, at = [], []
    for i, ch in enumerate(s):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(STRAIGHT.get(ch, ch))
        at.append(i)
    return "".join(out), at


def locate(text: str, words: str, nth: int = 0) -> tuple[int, int] | None:
    """The span in ``text`` of the ``nth`` occurrence of ``words`` (whitespace and quote marks normalised),
    preferring occurrences that open right after a quotation mark."""
    hay, at = flat(text)
    needle = flat(words.strip())[0]
    if not needle:
        return None
    hits, i = [], hay.find(needle)
    while i >= 0:
        hits.append(i)
        i = hay.find(needle, i + 1)
    marked = [i for i in hits if i > 0 and hay[i - 1] in "\"'"]
    hits = marked or hits
    if not hits:
        return None
    i = hits[min(nth, len(hits) - 1)]
    return at[i], at[i + len(needle) - 1] + 1


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without punctuation, quote marks and spaces at its edges."""
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Shared characters over the length of the longer span."""
    longest = max(a[1] - a[0], b[1] - b[0])
    return max(0, min(a[1], b[1]) - max(a[0], b[0])) / longest if longest > 0 else 0.0


def locate_all(story, items: list[dict]) -> list[tuple[str, int, int] | None]:
    """(doc, start, end) of each gold item in its article's text, trimmed, or None when it cannot be found. The
    k-th of several identical items in one file is the k-th occurrence."""
    by_file: dict[str, list] = {}
    for a in story.articles:     # a .jsonl file may hold several articles
        by_file.setdefault(file_of(a.source), []).append(a)
    seen: dict[tuple[str, str], int] = {}
    out = []
    for it in items:
        key = (it["file"], flat(it["text"].strip())[0])
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        found = None
        for art in by_file.get(it["file"], []):
            span = locate(art.text, it["text"], nth)
            if span:
                found = (art.id, *trim(art.text, *span))
                break
        out.append(found)
    return out


def match_spans(gold: list[tuple[str, int, int] | None], preds: list[tuple[str, int, int]]) -> dict[int, int]:
    """Gold index -> predicted index, one to one, greedily by best overlap (at least 0.5)."""
    pairs = sorted(((overlap(g[1:], p[1:]), gi, pi) for gi, g in enumerate(gold) if g
                    for pi, p in enumerate(preds) if p[0] == g[0]), reverse=True)
    out: dict[int, int] = {}
    used: set[int] = set()
    for r, gi, pi in pairs:
        if r < 0.5:
            break
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def speaker_right(gold_speaker: str | None, q, cast: dict, people: list[list[str]]) -> bool:
    """Gold null wants no speaker; a gold person wants the cast member holding one of that person's spellings; an
    organisation wants a member whose name matches it."""
    if gold_speaker is None:
        return q.speaker is None
    member = cast.get(q.speaker) if q.speaker else None
    if member is None:
        return False
    group = next((g for g in people if norm(gold_speaker) in {norm(v) for v in g}), None)
    if group is not None:
        return bool(names_of(member) & {norm(v) for v in group})
    return name_matches(gold_speaker, member)


def score_quotes(story, gold):
    """Detection and speakers of the dossier's quotes against gold ``quotes``; gold ``not_quotes`` output as quotes."""
    fid = {a.id: file_of(a.source) for a in story.articles}
    texts = {a.id: a.text for a in story.articles}
    cast = {m.id: m for m in story.cast}
    preds = [q for q in story.quotes if q.doc in fid]
    pspans = [(q.doc, *trim(texts[q.doc], q.start, q.end)) for q in preds]
    spans = locate_all(story, gold["quotes"])
    hit = match_spans(spans, pspans)
    rows = []
    for gi, gq in enumerate(gold["quotes"]):
        q = preds[hit[gi]] if gi in hit else None
        right = speaker_right(gq["speaker"], q, cast, gold["people"]) if q else None
        rows.append((gq, spans[gi] is not None, q, right))
    nq_spans = locate_all(story, gold["not_quotes"])
    alarms = [nq for nq, s in zip(gold["not_quotes"], nq_spans)
              if s and any(p[0] == s[0] and overlap(s[1:], p[1:]) >= 0.5 for p in pspans)]
    lost_nq = [nq for nq, s in zip(gold["not_quotes"], nq_spans) if s is None]
    spare = [q for pi, q in enumerate(preds) if pi not in set(hit.values())]
    return rows, len(preds), alarms, lost_nq, spare


def quote_counts(rows, n_pred: int, alarms: list) -> dict[str, int]:
    matched = [(gq, q, r) for gq, _, q, r in rows if q is not None]
    named = [(gq, q, r) for gq, q, r in matched if gq["speaker"] is not None]
    return {"gold": len(rows), "located": sum(loc for _, loc, _, _ in rows), "pred": n_pred,
            "matched": len(matched), "right": sum(r for _, _, r in matched),
            "named": len(named), "named_right": sum(r for _, _, r in named),
            "null": len(matched) - len(named), "null_right": sum(r for gq, _, r in matched if gq["speaker"] is None),
            "none_for_named": sum(q.speaker is None for _, q, _ in named),
            "wrong_person": sum(q.speaker is not None and not r for _, q, r in named),
            "alarms": len(alarms)}


def f1(c: dict[str, int]) -> str:
    p = c["matched"] / c["pred"] if c["pred"] else 0.0
    r = c["matched"] / c["gold"] if c["gold"] else 0.0
    return f"{100 * 2 * p * r / (p + r):.0f}%" if p + r else "0%"


def print_quote_counts(c: dict[str, int], n_not: int) -> None:
    print(f"quote recall {pct(c['matched'], c['gold'])}; precision {pct(c['matched'], c['pred'])}; F1 {f1(c)} "
          f"({c['located']}/{c['gold']} gold quotes located in the article text)")
    print(f"not_quotes (scare quotes, titles, headlines) output as quotes: {pct(c['alarms'], n_not)}")
    print(f"speaker accuracy on matched quotes {pct(c['right'], c['matched'])}; gold names someone "
          f"{pct(c['named_right'], c['named'])}; gold null {pct(c['null_right'], c['null'])}; "
          f"predicted None where gold names someone: {c['none_for_named']}; wrong person: {c['wrong_person']}")


def speaker_shown(q, cast: dict) -> str:
    if q.speaker and q.speaker in cast:
        return cast[q.speaker].name
    return f"None ({q.speaker_name})" if q.speaker_name else "None"


def pct(a, b):
    return f"{a}/{b} = {100 * a / b:.0f}%" if b else "0/0"


def main(argv: list[str]) -> int:
    from counterpoint.resources import Resources

    flags = {a for a in argv if a.startswith("--")}
    folders = [Path(a) for a in argv if not a.startswith("--")] or sorted(p for p in STORIES.iterdir() if (p / "gold.json").exists())
    res = Resources()
    t0 = time.perf_counter()
    tot = {"docs": 0, "acc_claim": 0, "acc_auto": 0, "majority": 0, "people": 0, "people_ok": 0,
           "events": 0, "events_found": 0, "src_hit": 0.0, "conflicts": 0, "conflicts_found": 0,
           "acc_swapped": 0, "acc_best": 0, "conflict_checks": 0, "q": {}, "q_stories": 0, "not_quotes": 0,
           "kp": {r: {s: [0, 0, 0] for s in ("for", "against")} for r in ("claim", "auto", "auto-swapped")}}
    for folder in folders:
        gold = json.loads((folder / "gold.json").read_text())
        with_claim, t1 = run(folder, gold["claim"], res)
        auto, t2 = run(folder, None, res)
        print(f"\n### {folder.name}  ({len(with_claim.articles)} articles; {t1:.1f} s with claim, {t2:.1f} s without)\n")
        print(f"gold claim:     {gold['claim']}")
        print(f"proposed claim: {auto.claim.text if auto.claim else '(none)'}")
        for alt in (auto.claim.alternatives if auto.claim else ())[:3]:
            print(f"            or: {alt}")
        fid_c = {a.id: file_of(a.source) for a in with_claim.articles}
        rows_c, right_c, n = score_stance(with_claim, gold)
        rows_a, right_a, _ = score_stance(auto, gold)
        _, right_s, _ = score_stance(auto, gold, swap=True)
        maj = sum(v == "neutral" for v in gold["stances"].values())
        print("\n| doc | file | gold | with claim | conf. | proposed claim | conf. |\n|---|---|---|---|---|---|---|")
        for (d, f, g, l1, c1), (_, _, _, l2, c2) in zip(rows_c, rows_a):
            print(f"| {d} | {f} | {g} | {l1}{'' if l1 == g else ' ✗'} | {c1:.2f} | {l2}{'' if l2 == g else ' ✗'} | {c2:.2f} |")
        print(f"\nstance accuracy: with claim {pct(right_c, n)}; proposed claim {pct(right_a, n)}; "
              f"majority class (neutral) {pct(maj, n)}")
        print(f"proposed claim read as the OPPOSITE of the gold claim (for <-> against): {pct(right_s, n)}")

        ppl = score_people(with_claim, gold)
        print("\n| gold person (spellings) | verdict | cast member(s) holding them |\n|---|---|---|")
        for g, v, shown in ppl:
            print(f"| {g} | {v} | {shown} |")
        bp, br, bf, n_occ, n_persons, unmatched = score_people_b3(with_claim, gold)
        print(f"cast B-cubed over {n_occ} occurrences of gold people's spellings: P {100 * bp:.1f} R {100 * br:.1f} "
              f"F1 {100 * bf:.1f}; person entries overlapping no gold person: {len(unmatched)}/{n_persons} "
              f"({', '.join(unmatched) or 'none'})")
        tot["b3"] = tot.get("b3", []) + [(bp, br, bf, n_occ)]
        tot["persons"] = tot.get("persons", 0) + n_persons
        tot["unmatched"] = tot.get("unmatched", 0) + len(unmatched)
        variants = [c.message for c in with_claim.checks if c.kind == "name_variant"]
        print(f"name_variant checks ({len(variants)}): " + (" | ".join(variants) if variants else "none"))

        evs = score_events(with_claim, gold)
        print("\n| gold event | year | participant | found as | sources |\n|---|---|---|---|---|")
        for ge, ev, rec in evs:
            found = f"{ev.id} {ev.date.value} \"{ev.summary[:60]}\"" if ev else "-"
            src = f"{rec * len(ge['sources']):.0f}/{len(ge['sources'])}" if ev else "-"
            print(f"| {ge['type']} | {ge['year']} | {ge['participant']} | {found} | {src} |")
        types = {}
        for ev in with_claim.events:
            types[ev.type] = types.get(ev.type, 0) + 1
        print(f"timeline: {len(with_claim.events)} events, types: "
              + ", ".join(f"{k} {v}" for k, v in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))))
        n_found = sum(ev is not None for _, ev, _ in evs)
        src_hit = sum(rec * len(ge["sources"]) for ge, ev, rec in evs if ev)
        src_all = sum(len(ge["sources"]) for ge, ev, _ in evs if ev)
        print(f"event recall {pct(n_found, len(evs))}; source recall on found events "
              f"{pct(round(src_hit), src_all)}")

        conf, n_checks = score_conflicts(with_claim, gold)
        for gc, hit, about in conf:
            said = f"found (the check's event: {', '.join(about) or '?'})" if hit else "MISSED"
            print(f"date conflict ({gc['event']}: {' vs '.join(gc['sources'])}): {said}")
        print(f"date_conflict checks raised: {n_checks}")
        for c in with_claim.checks:
            if c.kind == "date_conflict":
                print(f"  - {c.message} [{', '.join(c.docs)}]")

        print("\n| key points | side | key points | sentences | from gold-side articles |\n|---|---|---|---|---|")
        for run_name, st, swap in (("claim", with_claim, False), ("auto", auto, False), ("auto-swapped", auto, True)):
            kp = score_keypoints(st, gold, swap)
            shown = {"claim": "with claim", "auto": "proposed claim", "auto-swapped": "proposed, read as opposite"}
            for side, (k, s, p) in kp.items():
                print(f"| {shown[run_name]} | {side} | {k} | {s} | {pct(p, s)} |")
                for i, x in enumerate((k, s, p)):
                    tot["kp"][run_name][side][i] += x

        if "quotes" in gold and "not_quotes" in gold:
            qrows, n_pred, alarms, lost_nq, spare = score_quotes(with_claim, gold)
            qc = quote_counts(qrows, n_pred, alarms)
            print()
            print_quote_counts(qc, len(gold["not_quotes"]))
            for gq, located, _, _ in qrows:
                if not located:
                    print(f"  not located: gold quote in {gq['file']}: \"{gq['text']}\"")
            for nq in lost_nq:
                print(f"  not located: not_quote in {nq['file']}: \"{nq['text']}\"")
            for nq in alarms:
                print(f"  output as a quote: not_quote in {nq['file']}: \"{nq['text']}\"")
            if "--quotes" in flags:
                cast = {m.id: m for m in with_claim.cast}
                print("\n| file | gold quote | located | matched | gold speaker | predicted speaker | cue |\n"
                      "|---|---|---|---|---|---|---|")
                for gq, located, q, right in qrows:
                    said = "-" if q is None else speaker_shown(q, cast) + ("" if right else " ✗")
                    text = gq["text"] if len(gq["text"]) <= 70 else gq["text"][:67] + "..."
                    print(f"| {gq['file']} | {text} | {'yes' if located else 'NOT LOCATED'} | "
                          f"{'yes' if q else 'no'} | {gq['speaker'] or '(null)'} | {said} | {q.cue if q else '-'} |")
                print(f"\npredicted quotes matching no gold quote ({len(spare)}):")
                for q in spare:
                    print(f"  - {fid_c[q.doc]} [{q.start}:{q.end}] \"{q.text[:80]}\" "
                          f"speaker {speaker_shown(q, cast)}, cue {q.cue}")
            for k, v in qc.items():
                tot["q"][k] = tot["q"].get(k, 0) + v
            tot["q_stories"] += 1
            tot["not_quotes"] += len(gold["not_quotes"])

        if "--timeline" in flags:
            names = {m.id: m.name for m in with_claim.cast}
            print("\ntimeline (with claim):")
            for ev in with_claim.events:
                docs = sorted({fid_c[x.doc] for x in ev.sources})
                print(f"  {ev.type:<10} {ev.date.value or '-':<10} {', '.join(names.get(p, p) for p in ev.participants) or '-'}"
                      f"  [{', '.join(docs)}]  date text: {ev.date.text!r}")

        tot["docs"] += n
        tot["acc_claim"] += right_c
        tot["acc_auto"] += right_a
        tot["acc_swapped"] += right_s
        tot["acc_best"] += max(right_a, right_s)
        tot["majority"] += maj
        tot["people"] += len(ppl)
        tot["people_ok"] += sum(v == "ok" for _, v, _ in ppl)
        tot["events"] += len(evs)
        tot["events_found"] += n_found
        tot["src_hit"] += src_hit
        tot["src_all"] = tot.get("src_all", 0) + src_all
        tot["conflicts"] += len(conf)
        tot["conflicts_found"] += sum(h for _, h, _ in conf)
        tot["conflict_checks"] += n_checks

    wall = time.perf_counter() - t0
    print(f"\n### Overall ({len(folders)} stories, {tot['docs']} articles)\n")
    print(f"| measure | result |\n|---|---|")
    print(f"| stance accuracy, gold claim given | {pct(tot['acc_claim'], tot['docs'])} |")
    print(f"| stance accuracy, claim proposed | {pct(tot['acc_auto'], tot['docs'])} |")
    print(f"| stance accuracy, claim proposed, read as the opposite claim | {pct(tot['acc_swapped'], tot['docs'])} |")
    print(f"| stance accuracy, claim proposed, better reading per story (oracle) | {pct(tot['acc_best'], tot['docs'])} |")
    print(f"| stance, majority class (neutral) | {pct(tot['majority'], tot['docs'])} |")
    print(f"| people: spellings in one member, not merged | {pct(tot['people_ok'], tot['people'])} |")
    occ_all = sum(n for *_, n in tot.get("b3", []))
    if occ_all:
        wp = sum(p_ * n for p_, _, _, n in tot["b3"]) / occ_all
        wr = sum(r * n for _, r, _, n in tot["b3"]) / occ_all
        wf = 2 * wp * wr / (wp + wr) if wp + wr else 0.0
        print(f"| cast B-cubed over gold people's occurrences (stories weighted by occurrences) | P {100 * wp:.1f} "
              f"R {100 * wr:.1f} F1 {100 * wf:.1f} ({occ_all} occurrences) |")
        print(f"| person entries overlapping no gold person (noise, or people the gold does not list) | "
              f"{pct(tot['unmatched'], tot['persons'])} |")
    print(f"| events found (type + year + participant) | {pct(tot['events_found'], tot['events'])} |")
    print(f"| source recall on found events | {pct(round(tot['src_hit']), tot.get('src_all', 0))} |")
    print(f"| planted date conflicts found | {pct(tot['conflicts_found'], tot['conflicts'])} "
          f"({tot['conflict_checks']} date_conflict checks raised in all) |")
    for run_name in ("claim", "auto", "auto-swapped"):
        for side in ("for", "against"):
            k, s, p = tot["kp"][run_name][side]
            label = {"claim": "gold claim", "auto": "proposed claim",
                     "auto-swapped": "proposed claim read as opposite"}[run_name]
            src = SWAP[side] if run_name == "auto-swapped" else side
            print(f"| key points {side} ({label}): sentences from {src} articles | {pct(p, s)} ({k} key points) |")
    if tot["q_stories"]:
        c = tot["q"]
        print(f"| quotes ({tot['q_stories']} stories with quote gold): recall | {pct(c['matched'], c['gold'])} "
              f"({c['gold'] - c['located']} gold quotes not located) |")
        print(f"| quotes: precision | {pct(c['matched'], c['pred'])} |")
        print(f"| quotes: F1 | {f1(c)} |")
        print(f"| quotes: not_quotes (scare quotes, titles, headlines) output as quotes | "
              f"{pct(c['alarms'], tot['not_quotes'])} |")
        print(f"| quote speakers: accuracy on matched quotes | {pct(c['right'], c['matched'])} |")
        print(f"| quote speakers: gold names someone | {pct(c['named_right'], c['named'])} "
              f"({c['none_for_named']} predicted None, {c['wrong_person']} wrong person) |")
        print(f"| quote speakers: gold null (unnamed source) | {pct(c['null_right'], c['null'])} |")
    print(f"\ncores: {os.cpu_count()}; wall time {wall:.1f} s for {2 * len(folders)} analyses "
          f"(models loaded once, included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
