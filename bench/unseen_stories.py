"""The whole pipeline on three held-out stories we wrote by hand, scored against answer keys fixed in advance.

    .venv/bin/python bench/unseen_stories.py [--timeline] [bench/stories/NAME ...]

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
- key points: per side, the share of the supporting sentences the dossier gives that side which come from
  articles whose gold stance is that side (purity), with the number of key points and sentences.
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
    ids = {file_of(a.source): a.id for a in story.articles}
    types = {e.id: e.type for e in story.events}
    found = []
    for gc in gold["date_conflicts"]:
        want = {ids.get(s) for s in gc["sources"]}
        hits = [c for c in story.checks if c.kind == "date_conflict" and want <= set(c.docs)]
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
           "acc_swapped": 0, "acc_best": 0, "conflict_checks": 0,
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
    print(f"\ncores: {os.cpu_count()}; wall time {wall:.1f} s for {2 * len(folders)} analyses "
          f"(models loaded once, included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
