"""Quotes: direct-quote detection and speaker attribution on the LitBank quotation layer.

    cd /work/main && .venv/bin/python bench/quotes_litbank.py [--data ../shared/data] [--join prose|raw] [--examples 0]

Data: ``quotes/litbank-quotations`` (CC BY 4.0; Sims & Bamman 2020): 100 excerpts of
public-domain English novels, ~2,000 words each, every direct quote marked and attributed
to an entity id of LitBank's coreference layer. Fiction, not news: read the figures as a
test of the quote detector and of "who said it", not as a news score.

What runs: each excerpt becomes one ``Article`` (one story per excerpt, so cast ids never
cross novels) and goes through ``annotate`` -> ``build_cast`` -> ``find_quotes``, exactly
the library functions the pipeline calls. Nothing is copied into the repository.

Text rebuilt from the tokens (``*_brat.txt``: one sentence per line, tokens split by spaces):
sentences are joined with "\\n" (LitBank has no paragraph marks, so an excerpt is one
paragraph to the detector) and a char-offset map is kept for every token.

* ``--join prose`` (default) normalises the spacing so the text reads like ordinary prose:
  no space before , . ; : ! ? ) ] } and clitics (n't, 's, 'll ...), no space after ( [ {,
  no space after an opening quotation mark and none before a closing one. Curly marks
  say which they are; a straight " is taken as opening / closing by alternation within
  the excerpt. A straight ' token is left with spaces on both sides (it is as often an
  apostrophe as a quote mark). Why: the detector looks at the character before a closing
  mark (a short quote is kept only when it ends in , . ! ?) and at the character before a
  straight " (a " glued to a word is a measure such as 6'8"), so the raw tokenised
  spacing (`" Yes , " said he .`) changes what it finds.
* ``--join raw``: tokens joined with single spaces, as in the file.

Scoring (gold = QUOTE rows; a span includes its quotation marks, end inclusive):
* A quote is compared as the list of excerpt tokens it covers. Gold: the tokens between the
  marks (a leading / trailing mark token removed). Ours: every token that overlaps
  ``text[q.start:q.end]``.
* Exact match: equal token lists after removing punctuation-only tokens at both edges
  (our span drops a trailing comma, gold keeps it: that is not counted as an error).
* Overlap match: |common tokens| / max(|gold|, |ours|) >= 0.5, one-to-one, greedy by
  overlap. Precision / recall / F1 are over quotes, micro-averaged over all excerpts.
* Speaker accuracy, over quotes matched by overlap: our speaker (a cast id) counts right
  when the cast member's name or any alias shares a word with the name part of the gold
  entity id (``Miss_Watson-26`` -> "Miss Watson"), case-insensitive, ignoring titles
  (Mr, Mrs, Miss, Dr, Sir, Lady, Lord, ...) and function words — except that a name opening with a title of
  the other gender than the gold id's is wrong ("Mr. Bennet" for ``Mrs_Bennet``). An unattributed quote
  (speaker None) counts wrong. This is an APPROXIMATION of entity resolution: ids such
  as ``I-0``, ``a_girl-7`` or ``Narrator-3`` can never match a cast name, and two people
  sharing a surname count as the same. The figure is also given on the subset of
  quotes whose gold id carries a capitalised name word.

Reference points (context only, not comparable): Gender Gap Tracker quote F1 83.7 %
(overlap >= 0.3, its own 98 Canadian news articles) and speaker accuracy 86.5 %; BookNLP,
trained on LitBank itself, speaker attribution B-cubed 86.4 (small) / 89.9 (big).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

OPEN_MARKS = {"“", "‘", "“‘", "``", "`"}
CLOSE_MARKS = {"”", "’", "’”", "''"}
MARKS = OPEN_MARKS | CLOSE_MARKS | {'"', "'"}
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "...", "n't", "n’t"}
CLITICS = re.compile(r"^['’](s|d|ll|re|ve|m|S|D|LL|RE|VE|M)$")
NO_SPACE_AFTER = {"(", "[", "{"}
TITLES = {"mr", "mrs", "miss", "ms", "dr", "sir", "lady", "lord", "madam", "madame", "mister",
          "master", "rev", "capt", "captain", "mme", "mlle", "monsieur", "st"}
FUNCTION = {"a", "an", "the", "of", "his", "her", "their", "my", "s", "one", "them", "and", "to", "in", "rn"}
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


@dataclass
class Excerpt:
    name: str
    text: str
    spans: list[tuple[int, int]]                  # char span of every token, excerpt order
    index: dict[tuple[int, int], int]             # (sentence, token) -> excerpt token index
    gold: list[tuple[list[int], str, str]] = field(default_factory=list)  # (inner tokens, speaker id, opening mark)


def join_tokens(sentences: list[list[str]], mode: str) -> tuple[str, list[tuple[int, int]]]:
    """Rebuild the text; return it and the char span of each token (excerpt order)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    straight_open = False
    for si, toks in enumerate(sentences):
        if si:
            parts.append("\n")
            pos += 1
        glue_next = True  # no space before the first token of a line
        for tok in toks:
            role = None
            if mode == "prose":
                if tok == '"':
                    role = "close" if straight_open else "open"
                    straight_open = not straight_open
                elif tok in OPEN_MARKS:
                    role = "open"
                elif tok in CLOSE_MARKS:
                    role = "close"
            glue = glue_next or (mode == "prose" and (
                role == "close" or tok in NO_SPACE_BEFORE or CLITICS.match(tok) is not None))
            if not glue:
                parts.append(" ")
                pos += 1
            parts.append(tok)
            spans.append((pos, pos + len(tok)))
            pos += len(tok)
            glue_next = mode == "prose" and (role == "open" or tok in NO_SPACE_AFTER)
    return "".join(parts), spans


def load_excerpt(txt: Path, mode: str) -> Excerpt:
    sentences = [line.split(" ") if line else [] for line in txt.read_text(encoding="utf-8").split("\n")]
    if sentences and sentences[-1] == []:
        sentences.pop()
    sentences = [[t for t in s if t != ""] for s in sentences]
    text, spans = join_tokens(sentences, mode)
    index: dict[tuple[int, int], int] = {}
    k = 0
    for si, toks in enumerate(sentences):
        for ti in range(len(toks)):
            index[(si, ti)] = k
            k += 1
    ex = Excerpt(txt.name[: -len("_brat.txt")], text, spans, index)
    ann = txt.with_name(txt.name[: -len(".txt")] + ".ann")
    quotes: dict[str, list[int]] = {}
    speakers: dict[str, str] = {}
    marks: dict[str, str] = {}
    if ann.exists():
        for row in ann.read_text(encoding="utf-8").splitlines():
            cols = row.split("\t")
            if cols[0] == "QUOTE":
                qid, s0, t0, s1, t1 = cols[1], *map(int, cols[2:6])
                a, b = index[(s0, t0)], index[(s1, t1)]
                toks = list(range(a, b + 1))
                first = text[spans[a][0]:spans[a][1]]
                marks[qid] = first if first in MARKS else "(none)"
                if toks and text[slice(*spans[toks[0]])] in MARKS:
                    toks = toks[1:]
                if toks and text[slice(*spans[toks[-1]])] in MARKS:
                    toks = toks[:-1]
                quotes[qid] = toks
            elif cols[0] == "ATTRIB":
                speakers[cols[1]] = cols[2]
    ex.gold = [(toks, speakers.get(qid, ""), marks[qid]) for qid, toks in quotes.items()]
    return ex


def tokens_in(spans: list[tuple[int, int]], start: int, end: int) -> list[int]:
    return [i for i, (a, b) in enumerate(spans) if a < end and start < b]


def strip_punct(ex: Excerpt, toks: list[int]) -> tuple[int, ...]:
    t = list(toks)
    while t and _PUNCT.match(ex.text[slice(*ex.spans[t[0]])]):
        t.pop(0)
    while t and _PUNCT.match(ex.text[slice(*ex.spans[t[-1]])]):
        t.pop()
    return tuple(t)


def name_words(name: str) -> set[str]:
    words = {w.lower() for w in re.split(r"[\s_.,’'\-]+", name) if w}
    return {w for w in words if w not in TITLES and w not in FUNCTION}


def gold_name(entity_id: str) -> str:
    return re.sub(r"-\d+$", "", entity_id).replace("_", " ").strip()


_FEMALE = {"mrs", "miss", "ms", "lady", "madam", "madame", "mme", "mlle"}
_MALE = {"mr", "sir", "lord", "mister", "master", "monsieur"}


def other_title(ours: str, gold: str) -> bool:
    """Our name and the gold id open with titles of the other gender ("Mr. Bennet" for ``Mrs_Bennet``): two
    people who share a surname, not one."""
    def gender(name: str) -> str | None:
        first = (re.split(r"[\s_.]+", name.strip()) or [""])[0].lower()
        return "f" if first in _FEMALE else "m" if first in _MALE else None
    a, b = gender(ours), gender(gold)
    return a is not None and b is not None and a != b


def nameable(entity_id: str) -> bool:
    words = [w for w in re.split(r"_+", re.sub(r"-\d+$", "", entity_id)) if w]
    return any(w[:1].isupper() and w.lower() not in FUNCTION | TITLES | {"i"} for w in words)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="quote detection and attribution on LitBank quotations")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--join", choices=("prose", "raw"), default="prose")
    ap.add_argument("--examples", type=int, default=0, help="print up to N misses / false alarms / wrong speakers (stdout only)")
    args = ap.parse_args(argv)

    from counterpoint.model import Article
    from counterpoint.resources import Resources
    from counterpoint.stages.cast import build_cast
    from counterpoint.stages.language import annotate
    from counterpoint.stages.quotes import find_quotes

    folder = args.data / "quotes" / "litbank-quotations"
    excerpts = [load_excerpt(p, args.join) for p in sorted(folder.glob("*_brat.txt"))]
    articles = [Article(id=f"d{i + 1}", source=ex.name, text=ex.text) for i, ex in enumerate(excerpts)]

    t0 = time.perf_counter()
    res = Resources()
    res.nlp  # noqa: B018 - load now, time it apart
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    annotations = annotate(articles, res.nlp)
    lang_s = time.perf_counter() - t1

    t2 = time.perf_counter()
    n_gold = n_pred = tp_exact = tp_over = 0
    sp_right = sp_none = pred_none = phrase_only = 0
    by_how: dict[str, list[int]] = {}
    sp_named_n = sp_named_right = 0
    gold_by_mark: Counter = Counter()
    found_by_mark: Counter = Counter()
    misses, false_alarms, wrong_speakers = [], [], []
    for ex, art in zip(excerpts, articles):
        ann = annotations[art.id]
        cast, mentions = build_cast([art], {art.id: ann})
        members = {c.id: c for c in cast}
        quotes = find_quotes(art, ann, mentions, cast)
        pred = [(q, tokens_in(ex.spans, q.start, q.end)) for q in quotes]
        n_gold += len(ex.gold)
        n_pred += len(pred)
        pred_none += sum(1 for q in quotes if q.speaker is None)
        gold_exact = {strip_punct(ex, g) for g, _, _ in ex.gold}
        tp_exact += sum(1 for _, p in pred if strip_punct(ex, p) in gold_exact and strip_punct(ex, p))
        # one-to-one overlap matching, best overlaps first
        pairs = []
        for gi, (g, _, _) in enumerate(ex.gold):
            gs = set(g)
            for pi, (_, p) in enumerate(pred):
                common = len(gs & set(p))
                if common:
                    ov = common / max(len(gs), len(p))
                    if ov >= 0.5:
                        pairs.append((ov, gi, pi))
        used_g, used_p = set(), set()
        for ov, gi, pi in sorted(pairs, reverse=True):
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            q = pred[pi][0]
            speaker_id = ex.gold[gi][1]
            ok = False
            if q.speaker is None:
                sp_none += 1
            else:
                c = members[q.speaker]
                ours = set().union(*(name_words(n) for n in (c.name, *c.aliases)))
                ok = bool(ours & name_words(gold_name(speaker_id))) and not other_title(c.name, gold_name(speaker_id))
            sp_right += ok
            how = "no cue" if q.cue is None else q.cue if q.cue in ("continued", "according to", "turn-taking", "named before") else "reporting verb"
            by_how.setdefault(how, [0, 0])
            by_how[how][0] += 1
            by_how[how][1] += ok
            phrase_only += q.speaker is None and q.speaker_name is not None
            if nameable(speaker_id):
                sp_named_n += 1
                sp_named_right += ok
            if not ok and len(wrong_speakers) < args.examples:
                wrong_speakers.append((ex.name, ex.text[q.start:q.end][:70].replace("\n", " / "), gold_name(speaker_id),
                                       (members[q.speaker].name if q.speaker else None), q.cue))
        tp_over += len(used_g)
        for gi, (g, _, mark) in enumerate(ex.gold):
            gold_by_mark[mark] += 1
            found_by_mark[mark] += gi in used_g
            if gi not in used_g and len(misses) < args.examples and g:
                a, b = ex.spans[g[0]][0], ex.spans[g[-1]][1]
                misses.append((ex.name, mark, ex.text[max(0, a - 25):b + 25].replace("\n", " / ")[:140]))
        for pi, (q, _) in enumerate(pred):
            if pi not in used_p and len(false_alarms) < args.examples:
                false_alarms.append((ex.name, ex.text[max(0, q.start - 25):q.end + 25].replace("\n", " / ")[:140]))
    rest_s = time.perf_counter() - t2
    total_s = time.perf_counter() - t0

    fe = prf(tp_exact, n_pred, n_gold)[2]
    fo = prf(tp_over, n_pred, n_gold)[2]
    with_quotes = sum(1 for ex in excerpts if ex.gold)
    pct = lambda x, n: f"{100 * x / n:.1f} %" if n else "n/a"  # noqa: E731
    print(f"LitBank quotations: {len(excerpts)} excerpts ({with_quotes} with quotes), "
          f"{sum(len(ex.spans) for ex in excerpts)} tokens, join={args.join}")
    print(f"gold quotes {n_gold}, predicted quotes {n_pred}")
    print(f"detection, exact span (edge punctuation ignored): P {pct(tp_exact, n_pred)}  R {pct(tp_exact, n_gold)}  F1 {100 * fe:.1f} %")
    print(f"detection, token overlap >= 0.5:                  P {pct(tp_over, n_pred)}  R {pct(tp_over, n_gold)}  F1 {100 * fo:.1f} %")
    print(f"speaker accuracy over {tp_over} overlap-matched quotes: {pct(sp_right, tp_over)} "
          f"(APPROXIMATE: shared name word with the gold entity id; None counts wrong)")
    print(f"  of those, gold id carries a capitalised name ({sp_named_n}): {pct(sp_named_right, sp_named_n)}")
    print(f"  speaker None: {pct(sp_none, tp_over)} of matched quotes, {pct(pred_none, n_pred)} of all predicted quotes")
    print(f"  speakers given ({tp_over - sp_none} matched quotes): {pct(sp_right, tp_over - sp_none)} right, "
          f"{tp_over - sp_none - sp_right} wrong (a wrong name is worse for a reader than none)")
    print(f"  speaker None but a describing phrase found (\"the old man\"): {pct(phrase_only, tp_over)} of matched quotes")
    print("  by how the speaker was sought: " + "; ".join(
        f"{k} {v[0]} quotes, {pct(v[1], v[0])} right" for k, v in sorted(by_how.items(), key=lambda kv: -kv[1][0])))
    print("recall by the gold quote's opening mark: " + ", ".join(
        f"{m} {found_by_mark[m]}/{n} ({pct(found_by_mark[m], n)})" for m, n in gold_by_mark.most_common())
          + "  [(none): the span starts without a mark - speech after a dash, unmarked speech]")
    print(f"runtime: {total_s:.1f} s (spaCy load {load_s:.1f} s, language {lang_s:.1f} s, cast + quotes + scoring {rest_s:.1f} s); "
          f"{os.cpu_count()} CPUs")
    print("reference (context only, other data): Gender Gap Tracker quote F1 83.7 % (overlap >= 0.3, news), "
          "speaker 86.5 %; BookNLP (trained on LitBank) speaker B3 86.4 / 89.9")
    for title, rows in (("missed gold quotes", misses), ("false alarms", false_alarms), ("wrong / no speaker", wrong_speakers)):
        if rows:
            print(f"\n-- {title} (first {len(rows)}) --")
            for r in rows:
                print("  " + " | ".join(str(x) for x in r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
