"""Cast: cross-document merging of names, B-cubed against MEANTIME's gold entity chains.

    cd /work/main && .venv/bin/python bench/cast_meantime.py [--data ../shared/data] [--types PER,ORG,LOC]

Data: ``timex/meantime-en/intra_cross-doc_annotation`` (NewsReader MEANTIME, English,
CC BY 4.0; Minard et al. 2016): 120 Wikinews articles in 4 topic folders (airbus, apple,
gm, stock). Each ``ENTITY_MENTION`` (token anchors) is linked by a ``REFERS_TO`` relation
to an ``ENTITY``; an entity with an ``instance_id`` is one cross-document instance (the
same id in every file of the corpus), one without is local to its document.

What runs: each topic folder is one story. Every document's text is rebuilt from its
tokens (space-joined, one sentence per line; a char-offset map is kept), all documents of
the folder go through ``annotate`` -> ``build_cast`` together, exactly as the pipeline
does for the articles of one story. Nothing is copied into the repository.

Which gold mentions are scored (the "named gold mentions"):
* mentions whose entity has ``ent_type`` in --types (default PER, ORG, LOC; PRO products,
  FIN financial objects and MIX are left out: the cast is about people, organisations and
  places);
* and that are names: annotated ``syntactic_type`` NAM or PRE.NAM, or, when the annotators
  left the type out or empty (about a third of the cross-doc mentions) or marked it APP,
  the span's head token (the token of the span whose spaCy head lies outside it) is a
  proper noun (PROPN). Nominals ("the company"), pronouns and conjunctions are not scored;
  the cast stage only follows names.

Matching: a gold mention is found when one of our cast mentions (``build_cast``'s
mentions, alias matches included) overlaps its HEAD token; the overlapping mention with
the largest character overlap with the whole span gives the predicted cluster (the cast
member id). A gold mention we did not find is its own singleton cluster in the prediction
(it costs recall, never precision).

Figures, per topic and over all topics (micro-average over mentions; topics never share
clusters):
* mention recall: found / named gold mentions (also: any overlap with the span, not only
  the head, and per entity type);
* B-cubed P / R / F1 over all named gold mentions (unfound = predicted singletons);
* B-cubed P / R / F1 over the found mentions only (how well we cluster what we find);
* the same on found mentions for a baseline that merges only identical surface strings
  (case- and accent-folded), to show what the merging rules add;
* our cast mentions that overlap no gold entity mention of any type. This is NOT a
  false-alarm rate: MEANTIME does not mark every mention of an entity (many later
  "Apple" mentions in the Apple articles are unmarked), so read it as an upper bound.

Known approximations: the head token comes from our own spaCy parse; spaCy tags some
role words PROPN ("Apple CEO" then counts as a named PER mention with head "CEO").
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

NAMED = {"NAM", "PRE.NAM"}
CHECK_HEAD = {None, "", "APP"}


@dataclass
class GoldMention:
    doc: str
    start: int
    end: int
    entity: str        # cross-doc instance id, or doc:m_id for a document-local entity
    ent_type: str
    syn: str | None


@dataclass
class Doc:
    id: str
    name: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)   # all linked entity mentions, any type


def load_doc(path: Path, doc_id: str) -> Doc:
    root = ET.parse(path).getroot()
    sent_tokens: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for t in root.iter("token"):
        sent_tokens[int(t.get("sentence"))].append((t.get("t_id"), t.text or ""))
    parts, pos = [], 0
    spans: dict[str, tuple[int, int]] = {}
    for si, s in enumerate(sorted(sent_tokens)):
        if si:
            parts.append("\n")
            pos += 1
        for ti, (tid, tok) in enumerate(sent_tokens[s]):
            if ti:
                parts.append(" ")
                pos += 1
            parts.append(tok)
            spans[tid] = (pos, pos + len(tok))
            pos += len(tok)
    doc = Doc(doc_id, path.stem, "".join(parts))
    markables = root.find("Markables")
    mentions = {}
    for m in markables.findall("ENTITY_MENTION"):
        anchors = [spans[a.get("t_id")] for a in m.findall("token_anchor") if a.get("t_id") in spans]
        if anchors:
            mentions[m.get("m_id")] = (min(a for a, _ in anchors), max(b for _, b in anchors), m.get("syntactic_type"))
    entities = {e.get("m_id"): e for e in markables.findall("ENTITY")}
    seen = set()
    for rel in root.find("Relations").findall("REFERS_TO"):
        target = rel.find("target")
        e = entities.get(target.get("m_id")) if target is not None else None
        if e is None:
            continue
        ent = e.get("instance_id") or f"{doc_id}:{e.get('m_id')}"
        for s in rel.findall("source"):
            mid = s.get("m_id")
            if mid in mentions and mid not in seen:   # two links on one mention: keep the first
                seen.add(mid)
                a, b, syn = mentions[mid]
                doc.mentions.append(GoldMention(doc_id, a, b, ent, e.get("ent_type") or "", syn))
    return doc


def head_token(ann, start: int, end: int):
    toks = [(i, t) for i, t in enumerate(ann.tokens) if t.start < end and start < t.end]
    if not toks:
        return None
    inside = {i for i, _ in toks}
    heads = [t for i, t in toks if t.head not in inside or t.head == i]
    return heads[-1] if heads else toks[-1][1]


def b_cubed(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    """B-cubed over items with gold and predicted cluster labels (same order)."""
    if not gold:
        return 0.0, 0.0, 0.0
    g_members, p_members = defaultdict(set), defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred)):
        g_members[g].add(i)
        p_members[p].add(i)
    p_sum = r_sum = 0.0
    for i, (g, p) in enumerate(zip(gold, pred)):
        common = len(g_members[g] & p_members[p])
        p_sum += common / len(p_members[p])
        r_sum += common / len(g_members[g])
    p, r = p_sum / len(gold), r_sum / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fold(s: str) -> str:
    from counterpoint.stages.cast import fold_name
    return fold_name(s)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="cross-document cast merging on MEANTIME (B-cubed)")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--types", default="PER,ORG,LOC", help="gold ent_type values to score")
    args = ap.parse_args(argv)
    types = set(args.types.split(","))

    from counterpoint.model import Article
    from counterpoint.resources import Resources
    from counterpoint.stages.cast import build_cast
    from counterpoint.stages.language import annotate

    base = args.data / "timex" / "meantime-en" / "intra_cross-doc_annotation"
    t0 = time.perf_counter()
    res = Resources()
    res.nlp  # noqa: B018
    load_s = time.perf_counter() - t0

    rows = []
    totals = defaultdict(list)   # name -> list of (gold, pred) label pairs, topic-prefixed
    counts = Counter()
    type_found: Counter = Counter()
    type_all: Counter = Counter()
    lang_s = cast_s = 0.0
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        topic = folder.name.removeprefix("corpus_")
        docs = [load_doc(p, f"d{i + 1}") for i, p in enumerate(sorted(folder.glob("*.xml")))]
        articles = [Article(id=d.id, source=d.name, text=d.text) for d in docs]
        t = time.perf_counter()
        anns = annotate(articles, res.nlp)
        lang_s += time.perf_counter() - t
        t = time.perf_counter()
        cast, mentions = build_cast(articles, anns)
        cast_s += time.perf_counter() - t
        by_doc = defaultdict(list)
        for m in mentions:
            by_doc[m.doc].append(m)

        gold_all, pred_all, gold_found, pred_found, base_found = [], [], [], [], []
        n_named = n_found = n_any = 0
        for d in docs:
            ann = anns[d.id]
            for k, g in enumerate(d.mentions):
                if g.ent_type not in types:
                    continue
                head = head_token(ann, g.start, g.end)
                if g.syn in NAMED:
                    named = True
                elif g.syn in CHECK_HEAD:
                    named = head is not None and head.pos == "PROPN"
                else:
                    named = False
                if not named:
                    continue
                n_named += 1
                type_all[g.ent_type] += 1
                hs, he = (head.start, head.end) if head else (g.start, g.end)
                over = [m for m in by_doc[d.id] if m.start < he and hs < m.end]
                n_any += any(m.start < g.end and g.start < m.end for m in by_doc[d.id])
                gold_all.append(g.entity)
                if over:
                    best = max(over, key=lambda m: (min(m.end, g.end) - max(m.start, g.start), -m.start))
                    n_found += 1
                    type_found[g.ent_type] += 1
                    pred_all.append(best.member)
                    gold_found.append(g.entity)
                    pred_found.append(best.member)
                    base_found.append(fold(best.text))
                else:
                    pred_all.append(f"unfound:{d.id}:{k}")
        # our mentions overlapping no gold entity mention of any type
        stray = sum(1 for m in mentions
                    if not any(g.start < m.end and m.start < g.end for g in next(x for x in docs if x.id == m.doc).mentions))
        counts["docs"] += len(docs)
        counts["cast"] += len(cast)
        counts["our_mentions"] += len(mentions)
        counts["stray"] += stray
        ent_n = len(set(gold_all))
        row = dict(topic=topic, docs=len(docs), cast=len(cast), ours=len(mentions), stray=stray,
                   named=n_named, entities=ent_n, found=n_found, any=n_any,
                   all=b_cubed(gold_all, pred_all), fnd=b_cubed(gold_found, pred_found),
                   base=b_cubed(gold_found, base_found))
        rows.append(row)
        totals["gold_all"] += [f"{topic}/{x}" for x in gold_all]
        totals["pred_all"] += [f"{topic}/{x}" for x in pred_all]
        totals["gold_found"] += [f"{topic}/{x}" for x in gold_found]
        totals["pred_found"] += [f"{topic}/{x}" for x in pred_found]
        totals["base_found"] += [f"{topic}/{x}" for x in base_found]
        counts["named"] += n_named
        counts["found"] += n_found
        counts["any"] += n_any
        counts["entities"] += ent_n
    total_s = time.perf_counter() - t0

    pc = lambda x: f"{100 * x:5.1f}"  # noqa: E731
    f3 = lambda t: f"{pc(t[0])} {pc(t[1])} {pc(t[2])}"  # noqa: E731
    print(f"MEANTIME English, cross-doc annotation: {counts['docs']} documents in {len(rows)} topics; "
          f"scored gold types {','.join(sorted(types))}, named mentions only")
    print("B3 = P R F1 (%). 'all': every named gold mention, unfound ones as predicted singletons; "
          "'found': only mentions whose head token one of our cast mentions overlaps; "
          "'exact-string': found mentions clustered by folded surface string only")
    print(f"{'topic':<8}{'docs':>5}{'cast':>6}{'gold':>6}{'ents':>6}{'found':>7}{'recall':>8}   "
          f"{'B3 all (P R F1)':<19}  {'B3 found (P R F1)':<19}  {'exact-string (P R F1)':<19}")
    for r in rows:
        print(f"{r['topic']:<8}{r['docs']:>5}{r['cast']:>6}{r['named']:>6}{r['entities']:>6}{r['found']:>7}"
              f"{100 * r['found'] / max(r['named'], 1):>7.1f}%   {f3(r['all'])}  {f3(r['fnd'])}  {f3(r['base'])}")
    all_ = b_cubed(totals["gold_all"], totals["pred_all"])
    fnd = b_cubed(totals["gold_found"], totals["pred_found"])
    bas = b_cubed(totals["gold_found"], totals["base_found"])
    print(f"{'overall':<8}{counts['docs']:>5}{counts['cast']:>6}{counts['named']:>6}{counts['entities']:>6}{counts['found']:>7}"
          f"{100 * counts['found'] / max(counts['named'], 1):>7.1f}%   {f3(all_)}  {f3(fnd)}  {f3(bas)}")
    print(f"mention recall: {counts['found']}/{counts['named']} = {100 * counts['found'] / max(counts['named'], 1):.1f} % by head token; "
          f"{counts['any']}/{counts['named']} = {100 * counts['any'] / max(counts['named'], 1):.1f} % by any overlap with the span; "
          "per type: " + ", ".join(f"{k} {type_found[k]}/{n} ({100 * type_found[k] / n:.1f} %)" for k, n in sorted(type_all.items())))
    print(f"our cast mentions: {counts['our_mentions']} ({counts['cast']} cast members); overlapping no gold entity "
          f"mention of any type: {counts['stray']} ({100 * counts['stray'] / max(counts['our_mentions'], 1):.1f} %)")
    print(f"runtime: {total_s:.1f} s (spaCy load {load_s:.1f} s, language {lang_s:.1f} s, cast {cast_s:.1f} s); {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
