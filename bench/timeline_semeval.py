"""Cross-document timelines: SemEval-2015 Task 4 (TimeLine), Track A (from raw text).

    cd /work/main && .venv/bin/python bench/timeline_semeval.py [--data ../shared/data] [--trial] [--errors]

Data: ``timex/semeval2015-task4-timeline`` (CC BY 3.0, Minard et al. 2015), read in place.
Evaluation data: ``SemEval_Task4_data/corpus_{1,2,3}`` (30 Wikinews articles each: airbus,
gm, stock), ``corpus_trackA_CAT/`` (tokens with sentence numbers, a document creation
time), ``list_target_entities_corpus_N.txt`` and the gold ``TimeLines_Gold_Standard/``.
``--trial`` runs the trial data instead (the 30 Apple articles and 6 gold timelines), the
only part looked at while changing anything.

What runs: each corpus is one story. Every article's text is rebuilt from its CAT tokens
(punctuation re-attached, title and dateline as blocks, one sentence a line) with a map
from character offsets back to the CAT tokens; ``published`` is the creation time; all 30
articles go through ``pipeline.analyze(articles=..., res=Resources())`` together.

From events to a system timeline per target entity:
* entity -> cast member: names are folded (case, accents, ``_`` -> space, ``&`` -> "and",
  punctuation dropped) and compared with each cast member's name and aliases; equal keys
  match. When nothing matches exactly, the cast member whose name shares the most words
  with the target (Jaccard of word sets > 0.5) is taken. The matched members are printed.
* variant ``cast``: an event belongs to the entity when one of its participants is a
  matched member (all its sources are kept);
* variant ``sentence``: a source belongs to the entity when the target name, or the name
  or an alias of a matched member, occurs in the source's sentence (word boundaries,
  case-insensitive); an event keeps the sources that pass.
* mention ids: the gold ids are ``<doc_id>-<sentence>-<token text>`` (the CAT ``doc_id``,
  the CAT ``sentence`` attribute, the token's text, e.g. ``1173-12-owned``). An
  ``EventSource`` carries only its sentence, so the trigger is found again in that
  sentence with the timeline stage's own matcher (``match_triggers``, same type as the
  event, not skipped, first non-irrealis one); its head (the token of the phrase whose
  parse head lies outside it) is mapped through the offsets to the CAT token it overlaps.
* one row per event; the sources of one merged event share the row. Rows are ordered by
  the event's date (same date value -> same order number); partial dates are padded
  (``2009`` -> ``2009-XX-XX``); undated events get order 0 and ``XXXX-XX-XX``.

Baseline (``lead``): every sentence whose text contains the target name and that has a
finite verb (tags VBD, VBZ, VBP, MD) is one event, its mention the sentence root if
finite, else the first finite verb; one row each, ordered by the article's creation time.

Metric (our own scorer, written from the task's description; the official tool is not
copied): the TimeLine evaluation turns each timeline into a graph and scores it with
temporal awareness (UzZaman & Allen 2011): P = |reduced(sys) ∩ closure(gold)| /
|reduced(sys)|, R = |reduced(gold) ∩ closure(sys)| / |reduced(gold)|. Our graph:
* events with the same order number > 0, and the mentions of one row, are SIMULTANEOUS
  (an equivalence class); rows of order 0 (not placed) are classes of their own with no
  other relation; classes of order a < b (both > 0) are BEFORE;
* each event of an anchored row (the anchor has a digit) is linked to its time anchor
  (a node per anchor string). The task links event and anchor with SIMULTANEOUS; here the
  link is its own relation, propagated to the event's class but not used to merge
  classes: gold orders events of the same day (30 such pairs in dow_jones) and a literal
  SIMULTANEOUS would make those graphs inconsistent;
* closure: all SIMULTANEOUS pairs within a class, BEFORE for every pair across ordered
  classes, anchor links for every member of an anchored class;
* reduced graph: per class a star from its smallest mention id, BEFORE between the
  smallest ids of consecutive classes, one anchor link per (class, anchor).
A mention listed twice in one timeline keeps its first row (the gold has 15 such).
Micro-average: relation counts summed over the entities of a corpus, and over all.
"""
from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BASE = Path("timex") / "semeval2015-task4-timeline"
NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?)\]}%]+|'[A-Za-z]{0,2}|n't|'s|’s|'')$")
NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``"}
FINITE = {"VBD", "VBZ", "VBP", "MD"}
BEST_TRACK_A = 7.85   # task paper abstract: best of 13 runs, main track


# --- timelines and the scorer (pure) ------------------------------------------

Row = tuple[int, str, tuple[str, ...]]     # (order, anchor, mention ids)


def parse_timeline(text: str) -> tuple[str, list[Row]]:
    """(entity, rows) from the task's file format."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return "", []
    rows = []
    for ln in lines[1:]:
        parts = ln.strip().split("\t")
        if len(parts) < 3:
            continue
        rows.append((int(parts[0]), parts[1].strip(), tuple(p.strip() for p in parts[2:] if p.strip())))
    return lines[0].strip(), rows


def format_timeline(entity: str, rows: list[Row]) -> str:
    return "\n".join([entity] + [f"{o}\t{a}\t" + "\t".join(ms) for o, a, ms in rows]) + "\n"


def _anchored(anchor: str) -> bool:
    return any(c.isdigit() for c in anchor)


@dataclass
class Graph:
    classes: list[list[str]] = field(default_factory=list)   # each sorted, smallest id first
    order: list[int] = field(default_factory=list)           # order number per class (0 = not placed)
    anchors: list[set] = field(default_factory=list)         # anchor strings per class
    dropped: int = 0                                         # mentions listed twice


def timeline_graph(rows: list[Row]) -> Graph:
    seen: set[str] = set()
    g = Graph()
    by_order: dict[int, int] = {}
    for order, anchor, mentions in rows:
        ms = []
        for m in mentions:
            if m in seen:
                g.dropped += 1
                continue
            seen.add(m)
            ms.append(m)
        if not ms:
            continue
        if order > 0 and order in by_order:
            k = by_order[order]
        else:
            k = len(g.classes)
            g.classes.append([])
            g.order.append(order)
            g.anchors.append(set())
            if order > 0:
                by_order[order] = k
        g.classes[k].extend(ms)
        if order > 0 and _anchored(anchor):
            g.anchors[k].add(anchor)
    for c in g.classes:
        c.sort()
    return g


def closure(g: Graph) -> set[tuple]:
    """Every relation the timeline implies (SIMULTANEOUS pairs unordered, as sorted tuples)."""
    rels: set[tuple] = set()
    for c, anchors in zip(g.classes, g.anchors):
        for i, a in enumerate(c):
            for b in c[i + 1:]:
                rels.add(("SIM", a, b))
            for t in anchors:
                rels.add(("AT", a, t))
    placed = [(o, c) for o, c in zip(g.order, g.classes) if o > 0]
    for o1, c1 in placed:
        for o2, c2 in placed:
            if o1 < o2:
                rels.update(("BEFORE", a, b) for a in c1 for b in c2)
    return rels


def reduced(g: Graph) -> set[tuple]:
    """A minimal set of relations with the same closure (canonical: smallest ids as representatives)."""
    rels: set[tuple] = set()
    for c, anchors in zip(g.classes, g.anchors):
        rels.update(("SIM", c[0], b) for b in c[1:])
        rels.update(("AT", c[0], t) for t in anchors)
    placed = sorted((o, c[0]) for o, c in zip(g.order, g.classes) if o > 0)
    rels.update(("BEFORE", a, b) for (_, a), (_, b) in zip(placed, placed[1:]))
    return rels


@dataclass
class Counts:
    p_num: int = 0
    p_den: int = 0
    r_num: int = 0
    r_den: int = 0

    def add(self, o: "Counts") -> "Counts":
        return Counts(self.p_num + o.p_num, self.p_den + o.p_den, self.r_num + o.r_num, self.r_den + o.r_den)

    def prf(self) -> tuple[float, float, float]:
        p = self.p_num / self.p_den if self.p_den else 0.0
        r = self.r_num / self.r_den if self.r_den else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_timeline(system: list[Row], gold: list[Row]) -> Counts:
    """Temporal-awareness counts for one entity: sums, so that entities can be micro-averaged."""
    gs, gg = timeline_graph(system), timeline_graph(gold)
    rs, rg = reduced(gs), reduced(gg)
    return Counts(len(rs & closure(gg)), len(rs), len(rg & closure(gs)), len(rg))


def score(system: list[Row], gold: list[Row]) -> tuple[float, float, float]:
    return score_timeline(system, gold).prf()


# --- corpus ---------------------------------------------------------------------

@dataclass
class CatDoc:
    doc_id: str
    name: str
    text: str
    dct: str | None
    title: str
    starts: list[int]          # char start of each CAT token, in text order
    ends: list[int]
    ids: list[str]             # "<doc_id>-<sentence>-<token text>"

    def token_at(self, start: int, end: int) -> str | None:
        """The id of the CAT token overlapping [start, end) most (first of equals)."""
        k = bisect.bisect_right(self.starts, start) - 1
        best, best_ov = None, 0
        for j in range(max(k, 0), min(k + 3, len(self.starts))):
            ov = min(end, self.ends[j]) - max(start, self.starts[j])
            if ov > best_ov:
                best, best_ov = self.ids[j], ov
        return best


def read_cat(path: Path) -> CatDoc:
    root = ET.parse(path).getroot()
    doc_id = root.get("doc_id") or path.name.split("_")[0].split("-")[0]
    toks = sorted(root.iter("token"), key=lambda t: int(t.get("t_id")))
    parts: list[str] = []
    starts, ends, ids = [], [], []
    pos, prev_sent, prev_tok = 0, None, None
    title = []
    for t in toks:
        word = (t.text or "").strip() or "_"
        sent = t.get("sentence")
        if prev_sent is not None:
            if sent != prev_sent:
                sep = "\n\n" if prev_sent in ("0", "1") else "\n"
            elif NO_SPACE_BEFORE.match(word) or prev_tok in NO_SPACE_AFTER:
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep)
        starts.append(pos)
        ends.append(pos + len(word))
        ids.append(f"{doc_id}-{sent}-{t.text or ''}")
        if sent == "0":
            title.append((sep if prev_sent == "0" else "") + word)
        parts.append(word)
        pos += len(word)
        prev_sent, prev_tok = sent, word
    dct = None
    for m in root.iter("TIMEX3"):
        if m.get("functionInDocument") == "CREATION_TIME":
            v = m.get("value") or ""
            if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
                dct = v
    return CatDoc(doc_id, path.name, "".join(parts), dct, "".join(title), starts, ends, ids)


@dataclass
class Corpus:
    name: str
    docs: list[CatDoc]
    targets: list[tuple[str, list[Row]]]     # (entity name, gold rows)
    gold_dropped: int = 0


def load_corpus(base: Path, name: str, trial: bool) -> Corpus:
    if trial:
        cat_dir = base / "Corpus-trial-data_task4"
        gold_dir = base / "TimeLines_trial_data_task4_v1.2"
        targets = []
        for f in sorted(gold_dir.glob("*.txt")):
            ent, rows = parse_timeline(f.read_text(encoding="utf-8"))
            targets.append((ent, rows))
    else:
        d = base / "SemEval_Task4_data" / name
        cat_dir = d / "corpus_trackA_CAT"
        gold_dir = d / "TimeLines_Gold_Standard"
        n = name.rsplit("_", 1)[-1]
        names = [ln.strip() for ln in (d / f"list_target_entities_corpus_{n}.txt").read_text(encoding="utf-8").splitlines()
                 if ln.strip()]
        targets = []
        for ent in names:
            f = gold_dir / (ent.lower().replace(" ", "_") + ".txt")
            _, rows = parse_timeline(f.read_text(encoding="utf-8"))
            targets.append((ent, rows))
    docs = [read_cat(p) for p in sorted(cat_dir.glob("*.xml"))]
    return Corpus(name, docs, targets, sum(timeline_graph(r).dropped for _, r in targets))


# --- system timelines ---------------------------------------------------------

def name_key(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("_", " ").replace("&", " and ")
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def match_members(target: str, cast) -> list:
    """Cast members that are the target entity: equal folded name or alias, else best word overlap."""
    key = name_key(target)
    exact = [c for c in cast if key in {name_key(n) for n in (c.name, *c.aliases)}]
    if exact:
        return exact
    tw = set(key.split())
    best, best_j = None, 0.5
    for c in cast:
        cw = set(name_key(c.name).split())
        j = len(tw & cw) / len(tw | cw) if tw | cw else 0.0
        if j > best_j:
            best, best_j = c, j
    return [best] if best else []


def padded(value: str | None) -> str:
    if not value:
        return "XXXX-XX-XX"
    parts = value.split("-")[:3]
    return "-".join(parts + ["XX"] * (3 - len(parts)))


def order_rows(items: list[tuple[str | None, list[str]]]) -> list[Row]:
    """Rows from (date value or None, mention ids), ordered by date; undated -> order 0."""
    values = sorted({padded(v).replace("X", "0") for v, ms in items if v and ms})
    rank = {v: i + 1 for i, v in enumerate(values)}
    rows = []
    for v, ms in items:
        if not ms:
            continue
        if v:
            rows.append((rank[padded(v).replace("X", "0")], padded(v), tuple(ms)))
        else:
            rows.append((0, "XXXX-XX-XX", tuple(ms)))
    return sorted(rows, key=lambda r: (r[0], r[2]))


def _phrase_head(tokens, i: int, j: int) -> int:
    inside = set(range(i, j))
    return next((k for k in range(i, j) if tokens[k].head not in inside or tokens[k].head == k), i)


def trigger_mention(story, src, etype: str, docs: dict[str, CatDoc], lex) -> str | None:
    """The CAT token id of the trigger head for one event source (found again in its sentence)."""
    from counterpoint.stages import timeline as tl
    from counterpoint.stages.language import children
    ann = story.annotations.get(src.doc)
    if ann is None:
        return None
    tokens = ann.tokens
    idx = [k for k, t in enumerate(tokens) if t.start >= src.start and t.end <= src.end]
    if not idx:
        return None
    kids = children(tokens)
    cands = [(i, j) for i, j, kind in tl.match_triggers(tokens, idx[0], idx[-1] + 1, lex)
             if kind.split("/")[0] == etype and not tl._skip_trigger(tokens, kids, i, j, kind)]
    if not cands:
        return None
    real = [c for c in cands if not tl._is_irrealis(tokens, kids, c[0], lex)]
    i, j = (real or cands)[0]
    h = tokens[_phrase_head(tokens, i, j)]
    return docs[src.doc].token_at(h.start, h.end)


def sentence_has(text: str, names: list[str]) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text, re.IGNORECASE) for n in names if n)


def system_timelines(story, corpus: Corpus, docs_by_art: dict[str, CatDoc]):
    from counterpoint.stages.timeline import load_event_lexicon
    lex = load_event_lexicon()
    mention_of: dict[tuple, str | None] = {}
    for e in story.events:
        for s in e.sources:
            mention_of[(e.id, s.doc, s.start)] = trigger_mention(story, s, e.type, docs_by_art, lex)
    out = {"cast": {}, "sentence": {}}
    matched = {}
    for ent, _ in corpus.targets:
        members = match_members(ent, story.cast)
        matched[ent] = members
        ids = {c.id for c in members}
        names = [ent] + [n for c in members for n in (c.name, *c.aliases)]
        by_cast, by_sent = [], []
        for e in story.events:
            ms_all = [mention_of[(e.id, s.doc, s.start)] for s in e.sources]
            if ids & set(e.participants):
                by_cast.append((e.date.value, [m for m in ms_all if m]))
            ms = [m for s, m in zip(e.sources, ms_all) if m and sentence_has(s.text, names)]
            by_sent.append((e.date.value, ms))
        out["cast"][ent] = order_rows(by_cast)
        out["sentence"][ent] = order_rows(by_sent)
    return out, matched, sum(1 for v in mention_of.values() if v is None), len(mention_of)


def baseline_timelines(story, corpus: Corpus, docs_by_art: dict[str, CatDoc], dct_by_art: dict[str, str | None]):
    out = {}
    for ent, _ in corpus.targets:
        items = []
        for art in story.articles:
            ann = story.annotations.get(art.id)
            if ann is None:
                continue
            by_sent = defaultdict(list)
            for k, t in enumerate(ann.tokens):
                by_sent[t.sent].append(k)
            for si, (s0, s1) in enumerate(ann.sentences):
                if not sentence_has(art.text[s0:s1], [ent]):
                    continue
                toks = by_sent.get(si, [])
                finite = [k for k in toks if ann.tokens[k].tag in FINITE]
                if not finite:
                    continue
                root = next((k for k in finite if ann.tokens[k].head == k), finite[0])
                m = docs_by_art[art.id].token_at(ann.tokens[root].start, ann.tokens[root].end)
                if m:
                    items.append((dct_by_art[art.id], [m]))
        out[ent] = order_rows(items)
    return out


# --- main -----------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="SemEval-2015 Task 4 Track A timelines, temporal-awareness F1")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--trial", action="store_true", help="the trial (Apple) data instead of corpus_1-3")
    ap.add_argument("--errors", action="store_true", help="per entity: gold vs system mentions")
    ap.add_argument("--through-timeline", action="store_true",
                    help="run the pipeline's stages only up to the timeline (same events, faster)")
    args = ap.parse_args(argv)

    from counterpoint import pipeline
    from counterpoint.model import Article
    from counterpoint.resources import Resources

    base = args.data / BASE
    names = ["trial"] if args.trial else ["corpus_1", "corpus_2", "corpus_3"]
    t0 = time.perf_counter()
    res = Resources()
    stages = pipeline.STAGES
    if args.through_timeline:
        stages = pipeline.STAGES[: pipeline.STAGES.index(pipeline.timeline) + 1]
    variants = ("cast", "sentence", "lead")
    totals = {v: Counts() for v in variants}
    lines = []
    analyze_s = 0.0
    for name in names:
        corpus = load_corpus(base, name, args.trial)
        articles, docs_by_art, dct_by_art = [], {}, {}
        for i, d in enumerate(corpus.docs):
            aid = f"d{i + 1}"
            articles.append(Article(id=aid, source=d.name, text=d.text, title=d.title or None,
                                    published=d.dct, title_in_text=bool(d.title)))
            docs_by_art[aid] = d
            dct_by_art[aid] = d.dct
        t = time.perf_counter()
        story = pipeline.analyze(articles=articles, res=res, stages=stages)
        analyze_s += time.perf_counter() - t
        sys_tl, matched, unmapped, n_src = system_timelines(story, corpus, docs_by_art)
        sys_tl["lead"] = baseline_timelines(story, corpus, docs_by_art, dct_by_art)
        per = {v: Counts() for v in variants}
        for ent, gold in corpus.targets:
            for v in variants:
                per[v] = per[v].add(score_timeline(sys_tl[v][ent], gold))
            if args.errors:
                gold_ms = {m for _, _, ms in gold for m in ms}
                sys_ms = {m for _, _, ms in sys_tl["cast"][ent] for m in ms}
                print(f"\n== {name} / {ent}: cast members {[c.name for c in matched[ent]]}")
                print(f"   gold mentions {len(gold_ms)}, ours (cast) {len(sys_ms)}, shared {len(gold_ms & sys_ms)}")
                print("   ours, not gold: " + " ".join(sorted(sys_ms - gold_ms)))
                print("   gold, not ours: " + " ".join(sorted(gold_ms - sys_ms)))
        for v in variants:
            totals[v] = totals[v].add(per[v])
        n_gold_rows = sum(len(r) for _, r in corpus.targets)
        n_events = len(story.events)
        lines.append((name, len(corpus.docs), len(corpus.targets), n_gold_rows, n_events, n_src, unmapped, per,
                      {ent: [c.name for c in ms] for ent, ms in matched.items()}, corpus.gold_dropped,
                      {v: sum(len(sys_tl[v][e]) for e, _ in corpus.targets) for v in variants}))
    total_s = time.perf_counter() - t0

    pc = lambda x: f"{100 * x:6.2f}"  # noqa: E731
    print(f"SemEval-2015 Task 4 TimeLine, Track A ({'trial data (Apple)' if args.trial else 'evaluation corpora 1-3'}); "
          f"temporal-awareness P/R/F1 (%), micro-averaged over entities")
    print("variants: cast = events with the target's cast member as participant; sentence = event sources whose "
          "sentence names the target; lead = baseline (sentences naming the target with a finite verb, by article date)")
    print(f"{'corpus':<10}{'docs':>5}{'ents':>5}{'gold rows':>10}{'events':>7}"
          + "".join(f"  {v + ' P  R  F1':>24}" for v in variants))
    for name, nd, ne, ngr, nev, nsrc, unm, per, matched, gdrop, nrows in lines:
        print(f"{name:<10}{nd:>5}{ne:>5}{ngr:>10}{nev:>7}"
              + "".join(f"  {pc(p)} {pc(r)} {pc(f)}" for p, r, f in (per[v].prf() for v in variants)))
    print(f"{'overall':<10}{'':>5}{'':>5}{'':>10}{'':>7}"
          + "".join(f"  {pc(p)} {pc(r)} {pc(f)}" for p, r, f in (totals[v].prf() for v in variants)))
    print(f"reference: best published Track A system F1 {BEST_TRACK_A} (task paper); ours overall F1: "
          + ", ".join(f"{v} {100 * totals[v].prf()[2]:.2f}" for v in variants))
    for name, nd, ne, ngr, nev, nsrc, unm, per, matched, gdrop, nrows in lines:
        print(f"{name}: {nev} events, {nsrc} sources, {unm} with no trigger found again; system rows "
              + ", ".join(f"{v} {n}" for v, n in nrows.items()) + f"; gold mentions listed twice (dropped) {gdrop}")
        print("  target -> cast: " + "; ".join(f"{e} -> {'/'.join(ms) if ms else '(none)'}" for e, ms in matched.items()))
    print("relations (sys reduced verified / sys reduced | gold reduced found / gold reduced): "
          + ", ".join(f"{v} {totals[v].p_num}/{totals[v].p_den} | {totals[v].r_num}/{totals[v].r_den}" for v in variants))
    print(f"machine: {os.cpu_count()} cores; runtime {total_s:.1f} s (analyze {analyze_s:.1f} s; "
          f"{'stages through timeline' if args.through_timeline else 'full pipeline'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
