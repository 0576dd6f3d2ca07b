"""Quotes: direct quotations and who said them.

Rule-based, in the manner of textacy's ``direct_quotations``: find spans in
quotation marks, drop scare quotes and titles, then look for a reporting verb
or "according to" in the quote's sentence and paragraph and take its subject. A
pronoun subject is resolved to the last person named before the quote (outside
quotes); "the former forward" to the one person the article described so. In a
conversation (someone asks, or says "you"), an uncued turn after turns by A and
then B is A's. When nobody can be named the speaker stays ``None`` — never a guess.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..lexicon import fold_word, given_name_gender, load_map, load_words
from ..lexicon import title_gender as _title_word_gender   # (title_gender below reads it off the text)
from ..model import Annotation, Article, CastMember, Mention, Quote, Story, Token, short_hash
from .language import children

REQUIRES = ("articles", "annotations", "cast", "mentions")
PROVIDES = ("quotes", "genders")

PAIRS = {"“": "”", '"': '"', "«": "»"}
PRONOUNS = {"he", "she", "they", "i", "we"}
# nouns for whoever speaks in an organisation's name: "a Commission spokesperson said" is the Commission
_SPEAKS_FOR = frozenset({"spokesperson", "spokesman", "spokeswoman", "representative", "rep", "statement",
                         "spokesperson's", "office"})
# which person a pronoun can stand for: "m" (he, him, his), "f" (she, her)
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
# verbs that report speech with their particle: "the director went on", "she cut in", "he pointed out"
_PHRASAL = {"go": ("on",), "carry": ("on",), "cut": ("in",), "chime": ("in",), "point": ("out",), "butt": ("in",)}
_TRAIL = " ,;:\u00a0"


@dataclass(frozen=True)
class QuoteSpan:
    open: int     # offset of the opening mark
    close: int    # offset of the closing mark
    start: int    # the words inside
    end: int


def find_single_close(ptxt: str, start: int) -> int:
    """The ’ that closes a ‘ quote, skipping apostrophes: don’t, Delaney’s, the players’ union."""
    for m in re.finditer("’", ptxt[start:]):
        j = start + m.start()
        before, after = ptxt[j - 1:j], ptxt[j + 1:j + 2]
        inside_word = before.isalpha() and after.isalpha()        # don’t, Delaney’s
        plural_possessive = before == "s" and after == " " and ptxt[j + 2:j + 3].islower()  # players’ union
        if not (inside_word or plural_possessive):
            return j
    return -1


# words whose leading apostrophe stands for dropped letters: 'em, 'tis, rock 'n' roll
_ELIDED = {"em", "tis", "twas", "til", "cause", "cos", "n", "bout", "round", "twere", "twill", "un", "ere", "im"}
_SPEECH_END = ",.!?;:…—–-"
_MAX_STRAIGHT = 1500   # a straight ' quote longer than this is more likely two apostrophes


def _neighbours(ptxt: str, j: int) -> tuple[str, str, str, str]:
    """The characters right before and after ``ptxt[j]`` and the nearest non-space ones."""
    before, after = ptxt[j - 1:j] if j else "", ptxt[j + 1:j + 2]
    left, right = ptxt[:j].rstrip()[-1:], ptxt[j + 1:].lstrip()[:1]
    return before, after, left, right


def straight_opens(ptxt: str, j: int) -> bool:
    """Whether the ' at ``j`` opens a quote: at the start of a word, not an elision ('em, '90s, 'n')."""
    before, after, left, right = _neighbours(ptxt, j)
    if before and not before.isspace() and before not in "([{“\"—–":
        return False  # don't, O'Neill, players'
    if after.isspace() or not after:
        # a mark standing alone between spaces (tokenised text): opens before a word at the start
        # of a line, mid-line not after a full stop (that one closes: "… do. ' Apparently"), and
        # after a letter only before a capital ("said ' Poor child! '", not "an ' Shady")
        if before in ("", "\n"):
            return right.isalnum()
        return right.isalnum() and left not in ".!?" and (not left.isalnum() or right.isupper())
    if not (after.isalnum() or after in "“\""):
        return False
    word = re.match(r"[A-Za-z]+", ptxt[j + 1:])
    if word and word.group().lower() in _ELIDED and not ptxt[j + 1 + word.end():j + 2 + word.end()].isalpha():
        return False  # 'em, 'tis, rock 'n' roll
    if re.match(r"\d\d(s|\b)", ptxt[j + 1:]):
        return False  # the '90s, class of '89
    return True


def straight_closes(ptxt: str, j: int) -> bool:
    """Whether the ' at ``j`` can close a quote: after the speech's last word or its punctuation,
    never inside a word (don't), after a possessive plural (the players' union) or a dropped g."""
    before, after, left, right = _neighbours(ptxt, j)
    if not before or before.isspace():
        # standing alone (tokenised text): only right after the speech's own punctuation
        return (not after or after.isspace()) and bool(left) and (left in _SPEECH_END or left in "”\"")
    if after.isalnum():
        return False  # don't, O'Neill
    if before in _SPEECH_END or before in "”\"":
        return True
    if not before.isalnum():
        return False
    if after.isspace() and (before == "s" or ptxt[:j].endswith("in") or ptxt[j - 2:j] in (" n", "'n")):
        return False  # the players' union, goin' home, rock 'n' roll
    return True


def find_straight_close(ptxt: str, i: int) -> int:
    """The ' that closes a straight single quote opened at ``i``, or -1. Another opening ' before
    a closing one, a ' standing loose after a space (' Wuthering ' being), a double quotation mark
    left open inside, or a very long span: no quote (an apostrophe was taken for a mark)."""
    for m in re.finditer("'", ptxt[i + 1:i + 1 + _MAX_STRAIGHT]):
        j = i + 1 + m.start()
        if straight_closes(ptxt, j):
            inner = ptxt[i + 1:j]
            if inner.count("“") != inner.count("”") or inner.count('"') % 2:
                return -1
            return j
        if straight_opens(ptxt, j) or ((j == 0 or ptxt[j - 1].isspace()) and not ptxt[j + 1:j + 2].isalnum()):
            return -1  # another quote opens, or a mark standing loose that we cannot read
    return -1


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Spans between matching quotation marks, never across a blank line; in a text with no
    quotation marks at all, speech after a dash (``find_dash_spans``)."""
    out: list[QuoteSpan] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        p0, ptxt = para.start(), para.group()
        i = 0
        while i < len(ptxt):
            j = find_close(ptxt, i)
            if j == -1:
                i += 1
                continue
            a, b = i + 1, j
            while a < b and ptxt[a] in _TRAIL:
                a += 1
            while b > a and ptxt[b - 1] in _TRAIL:
                b -= 1
            if b > a:
                out.append(QuoteSpan(p0 + i, p0 + j, p0 + a, p0 + b))
            i = j + 1
    return out or find_dash_spans(text)


_IRREGULAR = {"say": "said", "tell": "told", "write": "wrote", "begin": "began", "put": "put"}
_DASH = r"(?:—|–|--)"


@lru_cache(maxsize=1)
def verb_forms() -> frozenset[str]:
    """Reporting and dialogue verbs as they stand after a dash line's speech: "he said", "cried Tom"."""
    out: set[str] = set()
    for lemma in load_words("reporting_verbs") | load_words("dialogue_verbs"):
        out |= {lemma, lemma + "s", _IRREGULAR.get(lemma, lemma)}
        if lemma.endswith("e"):
            out.add(lemma + "d")
        elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            out |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
        else:
            out |= {lemma + "ed", lemma + lemma[-1] + "ed"}   # snapped, begged
    return frozenset(out)


def find_dash_spans(text: str) -> list[QuoteSpan]:
    """Speech introduced by a dash instead of quotation marks ("— Yes, he said."): a dash at the
    start of a line or after a colon ("He asked: — Is he a magistrate?"), the speech running to the
    end of the line or to its attribution (", he said", "? he asked"). Only in a text whose dialogue is written so:
    at least two dash lines say who speaks, by such an attribution or a reporting verb before the
    colon. A list of points in dashes, or a dash in narration, says nobody speaks and gives nothing."""
    verbs = verb_forms()
    speaker = r"(?:[A-Z][\w’'.-]*\s+){0,2}[A-Z][\w’'-]*|he|she|they|we|I"
    attribution = re.compile(rf"[,?!]\s+(?:(?:{speaker})\s+(\w+)|(\w+)\s+(?:{speaker})\b)")
    spans, cued = [], 0
    for m in re.finditer(rf"(?m)(^[ \t]*|:[ \t]*){_DASH}[ \t]*(?=\w)", text):
        start = m.end()
        if re.match(rf"[IVXLC\d]+\.?[ \t]*{_DASH}", text[start:]):
            continue  # a heading, "— I —", "— 2 —"
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        end, close = line_end, line_end
        for a in attribution.finditer(text, start, line_end):
            if (a.group(1) or a.group(2) or "").lower() in verbs:
                end = a.start() + (text[a.start()] in "?!")   # "— Why not? he asked."
                close = a.start() + 1
                break
        before = re.findall(r"\w+", text[max(0, m.start() - 40):m.start()].lower())[-2:] if m.group(1).startswith(":") else []
        cued += end < line_end or any(w in verbs for w in before)
        while end > start and text[end - 1] in _TRAIL:
            end -= 1
        if end > start:
            spans.append(QuoteSpan(m.start() + len(m.group(1)), close, start, end))
    return spans if cued >= 2 else []


def find_close(ptxt: str, i: int) -> int:
    """The offset of the mark that closes a quote opened at ``i``, or -1 when none opens there."""
    ch = ptxt[i]
    if ch == "‘":
        return find_single_close(ptxt, i + 1) if i == 0 or not ptxt[i - 1].isalnum() else -1
    if ch == "'":
        return find_straight_close(ptxt, i) if straight_opens(ptxt, i) else -1
    if ch not in PAIRS:
        return -1
    if ch == '"' and i > 0 and ptxt[i - 1].isalnum():
        return -1  # a measure such as 6'8" is no quote
    return ptxt.find(PAIRS[ch], i + 1)


_MINOR = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "vs"}
_SPEAKERS = {"i", "we", "you", "i'm", "i’m", "we're", "we’re", "it's", "it’s"}


def title_case(inner: str) -> bool:
    """Up to ten words, every one but "of", "the" ... capitalised, not "I ..." nor an exclamation: how a title
    of a work in quotation marks reads."""
    words = inner.split()
    major = [w for w in words if w.lower().strip(".,!?:;") not in _MINOR]
    return bool(major and len(words) <= 10 and all(w[:1].isupper() or not w[:1].isalpha() for w in major)
                and words[0].lower().strip(".,!?") not in _SPEAKERS and not inner.rstrip().endswith("!"))


def looks_like_title(inner: str) -> bool:
    """“The Morning Drive with Gil Porter”, “Paper Lanterns.”: title case, no punctuation inside."""
    return title_case(inner) and not any(p in inner.rstrip(".,!?") for p in ".!?;,")


def is_real_quote(text: str, q: QuoteSpan) -> bool:
    """Drop scare quotes, titles in quotation marks and quoted headlines."""
    inner = text[q.start:q.end]
    words = inner.split()
    lead = re.findall(r"[\w’']+", text[max(0, q.open - 40):q.open].lower())[-3:]
    if any(w in load_words("title_cues") for w in lead):
        return False  # a headline reading “…”, a song titled “…”: a name, not speech
    major = [w for w in words if w.lower().strip(".,!?:;") not in _MINOR]
    if looks_like_title(inner):
        return False  # “The Morning Drive with Gil Porter”, “Paper Lanterns.”: a title
    title_case_ = title_case(inner)
    if (title_case_ and len(major) >= 3 and not any(p in inner for p in ".!?;")
            and (lead[-1:] and lead[-1] in load_words("work_words") | load_words("document_words")
                 or not reported_nearby(text, q))):
        return False  # the report “Two Towns, One Service”; a leaflet, “Your Hospitals, Your Say”, does not ...
    if len(words) < 4:
        # short speech still ends in its own punctuation: “I made mistakes,” he said; three words in a
        # reported sentence are a partial quote (the change amounted to “closure by stealth”, he said)
        spoken = text[q.open:q.close].rstrip()[-1:] in ",.!?" and inner[:1].isupper()
        if not ((spoken and len(words) >= 2) or (len(words) == 3 and reported_nearby(text, q))):
            return False
    return True


_STARTS: dict[int, tuple[tuple, list[int]]] = {}


def token_starts(ann: Annotation) -> list[int]:
    """Every token's start offset, made once per annotation (the lookups below bisect it)."""
    got = _STARTS.get(id(ann.tokens))
    if got is None or got[0] is not ann.tokens:
        if len(_STARTS) > 64:
            _STARTS.clear()
        got = _STARTS[id(ann.tokens)] = (ann.tokens, [t.start for t in ann.tokens])
    return got[1]


def tokens_between(ann: Annotation, lo: int, hi: int) -> range:
    """Indices of the tokens starting in [lo, hi)."""
    starts = token_starts(ann)
    return range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi))


def reported_nearby(text: str, q: QuoteSpan) -> bool:
    """A reporting verb within the quote's clause on either side ("..., she said", "He told us: “...”")."""
    verbs = verb_forms()
    before = re.split(r"[.!?]\s", text[max(0, q.open - 120):q.open])[-1]
    after = re.split(r"[.!?](?:\s|$)", text[q.close + 1:q.close + 120])[0]
    return any(w in verbs for w in re.findall(r"[a-z]+", (before + " " + after).lower()))


def sentence_tokens(ann: Annotation, lo: int, hi: int) -> list[tuple[int, Token]]:
    return [(i, ann.tokens[i]) for i in tokens_between(ann, lo, hi) if ann.tokens[i].end <= hi]


def find_cue(ann: Annotation, text: str, q: QuoteSpan, lo: int, hi: int,
             quoted: tuple[tuple[int, int], ...] = ()) -> tuple[int | None, str | None]:
    """The token index of the speaker (subject of a reporting verb) and the cue.

    ``quoted``: (open, close) of every quote in the text; words inside another quote are
    speech, not attribution ("“But it is,” returned she; “she told me all about it.”").
    """
    verbs = load_words("reporting_verbs") | load_words("dialogue_verbs")
    toks = [(i, t) for i, t in sentence_tokens(ann, lo, hi) if not any(a <= t.start <= b for a, b in quoted)]
    outside = [(i, t) for i, t in toks if not (q.open <= t.start <= q.close)]
    # "according to X"
    for k, (i, t) in enumerate(outside):
        if t.text.lower() == "according" and k + 1 < len(outside) and outside[k + 1][1].text.lower() == "to":
            for i2, t2 in outside[k + 2:]:
                if t2.pos in ("PROPN", "NOUN", "PRON"):
                    while ann.tokens[i2].dep in ("poss", "compound", "amod", "nmod") and ann.tokens[i2].head > i2:
                        i2 = ann.tokens[i2].head  # "Castillo's representative": the representative
                    return i2, "according to"
    # a reporting verb outside the quote, nearest to it first
    particles = {(u.head, u.text.lower()) for _, u in outside if u.dep == "prt"}
    # "went on Syme with passion": the parser may hang the particle as a preposition when a name follows it
    particles |= {(i - 1, u.text.lower()) for i, u in outside if u.dep == "prep" and u.head == i - 1}
    cands = [(i, t) for i, t in outside if t.pos in ("VERB", "AUX") and (
        t.lemma.lower() in verbs or any((i, p) in particles for p in _PHRASAL.get(t.lemma.lower(), ())))]
    cands.sort(key=lambda it: min(abs(it[1].start - q.close), abs(it[1].start - q.open)))
    if text[q.start:q.end].rstrip().endswith(".") and any(t.start < q.open for _, t in cands):
        # "She used to tell me, “I'd rather ride in a snowstorm.” I laughed.": a full stop inside the closing mark
        # ends the sentence, so a verb after it tells what came next, not who spoke; the verb before it does
        cands.sort(key=lambda it: it[1].start > q.close)
    at = {i for i, _ in cands}
    for n, (i, t) in enumerate(cands):
        subj = [j for j, u in toks if u.head == i and u.dep in ("nsubj", "nsubjpass") and j != i]
        if subj and n + 1 < len(cands) and not_the_speaker(ann.tokens, i, subj[0], at):
            continue
        if subj:
            return _past_relative_clause(ann.tokens, subj[0], i), t.text
        # "said X" with X parsed as the object or attached oddly: take a name right after the verb
        nxt = [(j, u) for j, u in toks if j > i and not (q.open <= u.start <= q.close)]
        if nxt and nxt[0][1].text.lower() in _PHRASAL.get(t.lemma.lower(), ()):
            nxt = nxt[1:]   # "went on Syme"
        if nxt and nxt[0][1].dep == "poss" and any(j == nxt[0][1].head for j, _ in nxt[1:4]):
            return nxt[0][1].head, t.text   # "replied his wife": the wife, not "his"
        if nxt and nxt[0][1].pos in ("PROPN", "PRON") and nxt[0][1].text.lower() not in _OBJECT_PRONOUNS:
            return nxt[0][0], t.text   # ("used to tell me": "me" is whom it was told to)
        # “…,” the 64-year-old said. — the parser hung the description on the verb: the words between
        # the quote and the verb, opening with a determiner, are the subject
        prev = [(j, u) for j, u in toks if j < i and u.start > q.close]
        if 2 <= len(prev) <= 8 and prev[0][1].pos == "DET" and prev[-1][1].pos in ("NOUN", "PROPN", "ADJ"):
            return prev[-1][0], t.text
        # "issued a statement saying the board “respects …”": the one who issued it
        if not subj and t.dep in ("acl", "advcl", "xcomp"):
            up = ann.tokens[t.head]
            if up.dep in ("dobj", "pobj", "attr"):
                up_i = up.head
            else:
                up_i = t.head
            subj = [j for j, u in toks if u.head == up_i and u.dep in ("nsubj", "nsubjpass") and j != up_i]
            if subj:
                return subj[0], t.text
    return None, None


_OBJECT_PRONOUNS = frozenset(("me", "him", "us", "them"))


def _past_relative_clause(tokens, subj: int, verb: int) -> int:
    """"Curtis Vail, who founded the group Safe Streets Halbrook two years ago, called it “...”": the parser may make
    the last name inside the relative clause the verb's subject; the speaker is the one the clause describes."""
    if verb < 1 or tokens[verb - 1].text != "," or subj >= verb:
        return subj
    for j in range(subj - 1, max(-1, subj - 40), -1):
        u = tokens[j]
        if u.text in (".", "!", "?") or "\n" in u.text:   # (the parser may split the sentence at the misparse)
            break
        if u.text.lower() in ("who", "whose") and tokens[u.head].dep == "relcl":
            head = tokens[u.head].head
            commas = [k for k in range(j + 1, verb - 1) if tokens[k].text == ","]
            if head < j and tokens[head].pos == "PROPN" and not commas:
                return head
            break
    return subj


def not_the_speaker(tokens, verb: int, subj: int, verbs: set[int]) -> bool:
    """A verb near the quote that does not attribute it: one in a relative clause ("members who answered its
    survey supported a ban, “provided that ...”"), or one whose subject is a thing, inside what another reporting
    verb reports ("Lindqvist said the old rule asked “teenagers to out-stare an industry”")."""
    s = tokens[subj]
    if tokens[verb].dep == "relcl" and s.text.lower() in ("who", "that", "which"):
        return True
    return (tokens[verb].dep == "ccomp" and tokens[verb].head in verbs and s.pos == "NOUN"
            and s.lemma.lower() not in load_words("role_words") and s.text.lower() not in load_words("role_words"))


def noun_phrase(ann: Annotation, tok_i: int, quote: QuoteSpan) -> tuple[int, int]:
    """Character span of the token's subtree, outside the quote and within its sentence."""
    sent = ann.tokens[tok_i].sent
    lo, hi = ann.tokens[tok_i].start, ann.tokens[tok_i].end
    for j, t in enumerate(ann.tokens):
        if t.sent != sent or quote.open <= t.start <= quote.close:
            continue
        k, steps = j, 0
        while k != tok_i and ann.tokens[k].head != k and steps < 12:
            k, steps = ann.tokens[k].head, steps + 1
        if k == tok_i:
            lo, hi = min(lo, t.start), max(hi, t.end)
    return lo, hi


def subject_level(ann: Annotation, m: Mention, starts: list[int]) -> int:
    """2: the mention is the subject of a main clause ("Geoffrey Tan told me ...") or of a reporting verb,
    or in apposition to one ("the museum's director, Fiona Castellane, came down"); 1: of another
    subordinate clause ("the figures Dr Asante had compiled"); 0: not a subject."""
    best = 0
    for i in range(bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)):
        t = ann.tokens[i]
        if t.dep in ("appos", "conj") and ann.tokens[t.head].dep in ("nsubj", "nsubjpass"):
            t = ann.tokens[t.head]
        if t.dep not in ("nsubj", "nsubjpass"):
            continue
        verb = ann.tokens[t.head]
        main = (verb.dep == "ROOT" or (verb.dep == "conj" and ann.tokens[verb.head].dep == "ROOT")
                or (verb.lemma.lower() in load_words("reporting_verbs") and verb.dep not in ("relcl", "acl")))
        # whoever says something is in focus; "the report Maria Lopez had written" describes a thing
        best = max(best, 2 if main else 1)
    return best


def described_subjects(ann: Annotation, lo: int, hi: int, mentions: list[Mention], quote: QuoteSpan) -> list[Token]:
    """Singular nouns for people ("a senior nurse", "one woman", "the chairman") that are the subject
    of a clause between ``lo`` and ``hi``, outside every name and outside the quote — not of a clause of time
    or reason hung on another ("When a fan shouted a question, he laughed": the fan is not "he")."""
    roles = load_words("role_words")
    out = []
    for t in (ann.tokens[i] for i in tokens_between(ann, lo, hi)):
        if quote.open <= t.start <= quote.close:
            continue
        if (t.dep in ("nsubj", "nsubjpass") and t.pos == "NOUN" and t.tag == "NN" and t.lemma.lower() in roles
                and not any(m.start <= t.start < m.end for m in mentions) and not named_in_apposition(ann, t, mentions)
                and ann.tokens[t.head].dep != "advcl"):
            out.append(t)
        elif t.dep in ("nsubj", "nsubjpass") and one_of_them(ann, t) and not named_in_apposition(ann, t, mentions):
            out.append(t)
    return out


def one_of_them(ann: Annotation, t: Token) -> bool:
    """"One of my regulars, a retired mail carrier, ...", "One of the residents": one person of a group, unnamed."""
    if t.text.lower() != "one" or t.pos not in ("NUM", "PRON"):
        return False
    i = bisect.bisect_left(token_starts(ann), t.start)
    kids = [(j, u) for j, u in enumerate(ann.tokens[i + 1:i + 12], i + 1) if u.head == i]
    group = [ann.tokens[g] for j, u in kids if u.dep == "prep" and u.text.lower() == "of"
             for g in range(j + 1, min(j + 5, len(ann.tokens))) if ann.tokens[g].head == j and ann.tokens[g].dep == "pobj"]
    if not any(g.tag == "NNS" for g in group):
        return False
    described = [u for j, u in kids if u.dep == "appos" and u.pos == "NOUN" and any(
        ann.tokens[d].head == j and ann.tokens[d].text.lower() in ("a", "an") for d in range(max(0, j - 4), j))]
    return bool(described) or any(g.lemma.lower() in load_words("role_words") for g in group)


def named_in_apposition(ann: Annotation, t: Token, mentions: list[Mention]) -> bool:
    """"Another man, Joseph Miller, ...": the description has a name beside it, so it is no unnamed person."""
    i = bisect.bisect_left(token_starts(ann), t.start)
    for u in ann.tokens[i + 1:i + 8]:
        if u.head == i and u.dep == "appos" and any(m.start <= u.start < m.end for m in mentions):
            return True
    return False


def determiner_of(ann: Annotation, i: int) -> str | None:
    """The determiner or number word of the noun at token ``i`` ("the", "a", "one"), lower case, else None."""
    for d in ann.tokens[max(0, i - 4):i]:
        if d.head == i and d.dep in ("det", "poss", "nummod"):
            return d.text.lower()
    return None


def title_gender(text: str, start: int) -> str | None:
    """The gender a title written right before a name gives it: "Mrs. Lennox" f, "Uncle Ralph" m."""
    m = re.search(r"(\w+)\.?\s+$", text[max(0, start - 20):start])
    if not m:
        return None
    return _title_word_gender(fold_word(m.group(1)))


_NAME_EPITHETS = {"old", "young", "little", "big", "poor", "dear", "good", "saint", "st"}


@lru_cache(maxsize=4096)
def name_gender(name: str) -> str | None:
    """The gender a name shows: a gendered title inside it ("Sister Carrie", "Countess Amelia"), else
    a given name that is almost always one gender (Mary f, John m; "Old Billy" m), else None."""
    words = [fold_word(w.strip(".,")) for w in name.split()]
    if words and (g := _title_word_gender(words[0])):
        return g
    if len(words) == 2 and words[0] in _NAME_EPITHETS:
        words = words[1:]                      # "Old Billy", "Little Nell"
    for w in (words[:-1] if len(words) > 1 else words):
        if given_name_gender(w):
            return given_name_gender(w)
    return None


def noun_gender(tokens, kids, starts: list[int], m: Mention) -> str | None:
    """The gender a noun set beside the mention gives it ("her former husband, Christopher Amory", "Rosa Amory,
    the band's manager and Kit's older sister", "her ex-husband Kit Amory"): the noun the name is in apposition
    to, or a noun in apposition to the name (and the nouns joined to it by "and"), or a noun written straight
    before the name."""
    nouns = load_map("gendered_nouns")
    inside = range(bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end))
    head = next((k for k in inside if not m.start <= tokens[tokens[k].head].start < m.end or tokens[k].head == k),
                None)
    if head is None:
        return None
    near = [c for c in kids[head] if tokens[c].dep == "appos"]
    if tokens[head].dep == "appos":
        near.append(tokens[head].head)
        if tokens[near[-1]].dep == "conj":
            near.append(tokens[near[-1]].head)   # "her former husband and bandmate, Christopher Amory"
    near += [g for c in near for g in kids[c] if tokens[g].dep == "conj"]
    # "her ex-husband Kit Amory's solo set": a noun written straight before the name
    near += [c for c in kids[head] if tokens[c].dep == "compound" and c not in inside and tokens[c].pos == "NOUN"
             and c + 1 == inside.start]
    found = {g for g, words in nouns.items() for k in near if tokens[k].lemma.lower() in words
             or tokens[k].text.lower() in words}
    return {"female": "f", "male": "m"}[found.pop()] if len(found) == 1 else None


def infer_genders(text: str, ann: Annotation, mentions: list[Mention], persons: set[str],
                  quoted: tuple[tuple[int, int], ...], names: dict[str, str]) -> dict[str, str]:
    """Which of "he" / "she" can refer to each person of one article, where the article says so.

    Strong evidence: a gendered title before a mention ("Mrs. Lennox", "Sir Henry") or a given name
    that is almost always one gender (lexicon lists; names used for both are left out). Weak
    evidence: in a sentence naming exactly one person, its subject and possessive pronouns ("Tom put
    on his coat"), and the first such pronoun of the next sentence when that one names nobody and the
    pronoun is its subject ("... Tom. He opened it."). Words inside quotes never count. A person with no
    evidence, or strong evidence both ways short of three to one, is absent: any pronoun may refer to them."""
    strong: dict[str, Counter] = {}
    weak: dict[str, Counter] = {}
    here = {m.member for m in mentions} & persons
    kids, starts = children(ann.tokens), [t.start for t in ann.tokens]
    for member in here:
        g = name_gender(names.get(member, ""))
        if g:
            strong.setdefault(member, Counter())[g] += 1
    in_quote = lambda pos: any(a < pos < b for a, b in quoted)  # noqa: E731
    by_sent: dict[int, set[str]] = {}
    for m in mentions:
        if m.member not in persons or in_quote(m.start):
            continue
        g = title_gender(text, m.start) or name_gender(m.text) or noun_gender(ann.tokens, kids, starts, m)
        if g:
            strong.setdefault(m.member, Counter())[g] += 1
        by_sent.setdefault(ann.sentence_of(m.start), set()).add(m.member)
    pron_by_sent: dict[int, list[Token]] = {}
    for t in ann.tokens:
        if t.text.lower() in PRONOUN_GENDER and t.dep in ("nsubj", "nsubjpass", "poss") and not in_quote(t.start):
            pron_by_sent.setdefault(t.sent, []).append(t)
    for si, members in by_sent.items():
        if len(members) != 1:
            continue
        (member,) = members
        votes = weak.setdefault(member, Counter())
        for t in pron_by_sent.get(si, []):
            votes[PRONOUN_GENDER[t.text.lower()]] += 1
        nxt = pron_by_sent.get(si + 1, [])
        if si + 1 not in by_sent and nxt and nxt[0].dep != "poss":
            votes[PRONOUN_GENDER[nxt[0].text.lower()]] += 1
    out: dict[str, str] = {}
    for member in here:
        s, w = strong.get(member, Counter()), weak.get(member, Counter())
        if s:
            (g, n), *rest = s.most_common()
            if not rest or n >= 3 * rest[0][1]:
                out[member] = g   # ("Robert" eleven times, once "Madame Lebrun" read as him: he)
            continue
        if w:
            (g, n), *rest = w.most_common()
            if n >= 2 and n >= 3 * (rest[0][1] if rest else 0):
                out[member] = g
    return out


def resolve_speaker(
    text: str, ann: Annotation, tok_i: int, mentions: list[Mention], quote: QuoteSpan,
    people: set[str], persons: set[str] | None = None, roles: dict[str, str] | None = None,
    genders: dict[str, str] | None = None, addressed: set[str] = frozenset(), organisations: set[str] = frozenset(),
) -> tuple[str | None, str | None]:
    """Map the speaker token to a cast id (and a display name). ``genders``: the pronoun each
    person takes where the article shows it (``infer_genders``); ``addressed``: people the quote
    speaks to ("Good night, Sir John," said the parson), never the antecedent of its pronoun."""
    persons = people if persons is None else persons
    tok = ann.tokens[tok_i]
    lo, hi = noun_phrase(ann, tok_i, quote)
    phrase = text[lo:hi]
    own = [m for m in mentions if m.start <= tok.start < m.end and m.member in people]
    if not own and (tok.text.lower().rstrip(".") in load_words("honorifics") or title_gender(text, tok.end + 1)):
        # "growled Mr. Heathcliff": the title is the subject's first word, the name follows it
        own = [m for m in mentions if tok.end <= m.start <= tok.end + 2 and m.member in people]
    if own:
        return own[0].member, None
    # a name in apposition or compound to the subject ("her friend Tasha Monroe"), but not one
    # inside a prepositional or possessive phrase ("a representative for Castillo")
    for j, t in enumerate(ann.tokens):
        if t.head == tok_i and j != tok_i and t.dep in ("appos", "compound", "flat"):
            for m in mentions:
                # ("One Kestrel producer": an organisation before a person's noun says whom they work for)
                if m.start <= t.start < m.end and m.member in people and (
                        t.dep == "appos" or m.member in persons or tok.lemma.lower() in _SPEAKS_FOR
                        or tok.lemma.lower() not in load_words("role_words")):
                    return m.member, None
    if tok.text.lower() == "it" and tok.pos == "PRON" and tok.dep == "nsubj":
        # "Lowfield Books, the publisher, has paused printing. In a statement, it said: “...”": the organisation
        # that was the subject of a clause in this sentence or the one before, and nothing else named since
        sent = tok.sent
        near = [m for m in mentions if m.end <= min(quote.open, tok.start) and m.member in people
                and ann.tokens[bisect.bisect_left(token_starts(ann), m.start)].sent >= sent - 1]
        if near and near[-1].member in organisations:
            pick = last_subject_mention(ann, [m for m in near if m.member in organisations])
            if pick is not None and pick.member == near[-1].member:
                return pick.member, None
        return None, None
    if tok.text.lower() in PRONOUNS and tok.pos == "PRON":
        if tok.text.lower() in ("i", "we"):
            return None, None
        # a pronoun that speaks is a person (organisations and works do not say "he said") who can
        # take that pronoun, and not the one the quote speaks to
        g = PRONOUN_GENDER.get(tok.text.lower())
        genders = genders or {}
        before = [m for m in mentions if m.end <= min(quote.open, tok.start) and m.member in persons
                  and genders.get(m.member, g) == g and m.member not in addressed]
        # the last person who was the subject of a main clause, else of any clause, else the last
        # person named ("Tan told me he voted after reading the figures Dr Asante had compiled": Tan)
        starts = token_starts(ann)
        pick = last_subject_mention(ann, before)
        who = pick.member if pick else None
        # a person described but not named, who is the subject after that ("A senior nurse, who asked
        # not to be named, said ... “...,” she said"): nobody we can name; a description the article
        # bound to one person ("the chairman") is that person
        since = pick.end if pick else max(0, min(quote.open, tok.start) - 600)
        for t in described_subjects(ann, since, min(quote.open, tok.start), mentions, quote):
            if t.text.lower() == "one":
                who = None   # "One of my regulars, a retired mail carrier, ... “...,” he said": nobody named
                continue
            member = (roles or {}).get(t.lemma.lower())
            det = determiner_of(ann, bisect.bisect_left(starts, t.start))
            if det in ("the", "this", "that") and member in persons and genders.get(member, g) == g and member not in addressed:
                who = member
            elif det in ("a", "an", "one", "another"):
                who = None   # someone new, never named ("one woman", "a senior nurse")
        return who, None
    poss = [t.text.lower() for t in ann.tokens[max(0, tok_i - 3):tok_i] if t.head == tok_i and t.dep == "poss"]
    if roles and poss and f"{poss[0]} {tok.lemma.lower()}" in roles:
        return roles[f"{poss[0]} {tok.lemma.lower()}"], None     # "replied his wife": Mrs. Bennet (``relatives``)
    if roles:
        # "the singer said": the one person this article has called "the singer" (the small
        # model tags some role words ADV or PROPN: "the former forward", "the former Pioneer");
        # "the 58-year-old said": the one person given that age
        det = [t.text.lower() for t in ann.tokens if t.head == tok_i and t.dep == "det"]
        word_before = re.findall(r"[\w’'-]+", text[max(0, lo - 12):lo].lower())[-1:]
        age = re.search(r"\b(\d{1,3})-year-old\b", text[lo:hi])
        role = tok.lemma.lower() if tok.lemma.lower() in roles else tok.text.lower()
        member = (roles.get(f"{age.group(1)}-year-old") if age else None) or roles.get(role)
        if age and not roles.get(f"{age.group(1)}-year-old") and (det or word_before)[:1] == ["the"]:
            # an age nobody was given in so many words: the person the story has just been about, as "he" would
            # be ("Owen Fell ... was arrested ... Asked whether he regretted it, the 58-year-old said")
            who = last_subject(ann, [m for m in mentions if m.end <= min(lo, quote.open) and m.member in persons
                                     and m.member not in addressed])
            if who:
                return who, None
        # a person for a person's role ("the chairman"), an organisation for any other noun ("the campaign")
        fits = member in persons or (member in people and role not in load_words("role_words"))
        if ((det or word_before) and (det or word_before)[0] in ("the", "this", "that") and fits
                and not re.search(r"\bthen\b", text[lo:tok.start])
                and not introduced_unnamed(text, ann, role, member, mentions, min(lo, quote.open))):
            return member, None
    if tok.pos == "NOUN" and any(t.head == tok_i and t.dep == "det" and t.text.lower() == "the"
                                 for t in ann.tokens[max(0, tok_i - 4):tok_i]):
        # "the federation said" after "the Vantry Athletics Federation": the one organisation named before whose
        # name holds the word; "the company said": the organisation named last (lexicon/organisation_nouns.txt)
        head = tok.lemma.lower()
        before = [m for m in mentions if m.end <= min(lo, quote.open) and m.member in people - persons]
        fits = {m.member for m in before if head in {w.lower() for w in re.findall(r"[\w-]+", m.text)}}
        if len(fits) > 1:   # "the federation": "Vantry Athletics Federation", not "... Federation's Appeals Panel"
            fits = {m.member for m in before if m.member in fits and m.text.split()[-1].lower() == head} or fits
        if len(fits) == 1:
            return fits.pop(), None
        if not fits and head in load_words("organisation_nouns") and before and tok_i == lo_token(ann, lo):
            return before[-1].member, None
    if tok.pos in ("NOUN", "PROPN") and tok.text[:1].isalpha():
        return None, phrase
    return None, None


def last_subject_mention(ann: Annotation, before: list[Mention]) -> Mention | None:
    """Of the mentions ``before`` (in text order), the last one that was the subject of a main clause, else of
    any clause, within 400 characters of the last mention; else the last mention."""
    starts = token_starts(ann)
    levels = [subject_level(ann, m, starts) for m in before]
    pick = before[-1] if before else None
    for level in (2, 1):
        subjects = [m for m, lv in zip(before, levels) if lv >= level]
        if subjects and subjects[-1].start >= before[-1].start - 400:
            return subjects[-1]
    return pick


def last_subject(ann: Annotation, before: list[Mention]) -> str | None:
    pick = last_subject_mention(ann, before)
    return pick.member if pick else None


def lo_token(ann: Annotation, lo: int) -> int:
    """The index of the token the noun phrase starting at ``lo`` ends its determiner at (the head comes right after
    "the" in "the company", not in "the drinks company")."""
    i = bisect.bisect_left(token_starts(ann), lo)
    return i + 1 if i < len(ann.tokens) and ann.tokens[i].text.lower() == "the" else i


def introduced_unnamed(text: str, ann: Annotation, role: str, member: str, mentions: list[Mention], before: int) -> bool:
    """Whether the article brought in someone new by this role after it last named ``member``
    ("A trustee who asked not to be named said ...": "the trustee" is that one, not the chair)."""
    last_named = max((m.end for m in mentions if m.member == member and m.end <= before), default=-1)
    # an appositive describes the name beside it ("Marcus Delaney, a former Pioneer"): no one new
    starts = token_starts(ann)
    intro = [t for t in (ann.tokens[i] for i in tokens_between(ann, last_named + 1, before))
             if t.lemma.lower() == role and t.dep != "appos"]
    return any(determiner_of(ann, bisect.bisect_left(starts, t.start)) in ("a", "an", "one", "another") for t in intro)


def role_key(ann: Annotation, i: int) -> str | None:
    """The role word token ``i`` binds: its lemma; "co-presenter" for "presenter" after "co-" (a co-presenter is
    not "the presenter"); None for the "co" itself."""
    toks = ann.tokens
    if i + 1 < len(toks) and toks[i].text.lower() == "co" and toks[i + 1].text in ("-", "‑"):
        return None
    if i >= 2 and toks[i - 1].text in ("-", "‑") and toks[i - 2].text.lower() == "co":
        return "co-" + toks[i].lemma.lower()
    return toks[i].lemma.lower()


def bind_descriptions(ann: Annotation, mentions: list[Mention], persons: set[str]) -> dict[str, str]:
    """Role words the article binds to one named person: "the singer Renée Castillo",
    "Delaney, the former forward", "Marcus Delaney, a former Pioneer". A role bound to two
    people is dropped."""
    where: dict[int, tuple[str, int, int]] = {}    # token -> (member, first token, last token)
    taken: set[int] = set()
    starts = [t.start for t in ann.tokens]
    for m in mentions:
        inside = list(range(bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)))
        taken.update(inside)
        if inside and m.member in persons:
            for i in inside:
                where[i] = (m.member, inside[0], inside[-1])
    found: dict[str, set[str]] = {}
    for i, t in enumerate(ann.tokens):
        if i in taken or not t.text.isalpha() or t.pos in ("DET", "ADJ", "PRON", "ADP", "VERB", "AUX"):
            continue
        bound = None
        if t.dep == "appos" and t.head in where:                        # the name, the role
            bound = where[t.head][0]
        elif t.dep == "compound" and t.head in where and where[t.head][2] == t.head and i < where[t.head][1]:
            bound = where[t.head][0]                                    # the role Name Surname
        if bound and role_key(ann, i):
            found.setdefault(role_key(ann, i), set()).add(bound)
    for h, (member, first, last) in where.items():                      # the role, the name (appos)
        # (a name before a noun for a person says whom they work for: "the former Kestrel controller" is no
        # Kestrel; before any other noun it is that thing's name: "the Save Ashcombe A&E campaign")
        if h == last and (ann.tokens[h].dep == "appos" or (
                ann.tokens[h].dep == "compound"
                and ann.tokens[ann.tokens[h].head].lemma.lower() not in load_words("role_words"))):
            j = ann.tokens[h].head
            t = ann.tokens[j]
            if j not in taken and t.text.isalpha() and t.pos in ("NOUN", "PROPN") and role_key(ann, j):
                found.setdefault(role_key(ann, j), set()).add(member)
    role_verbs = load_map("role_verbs")
    kids = children(ann.tokens)
    for i, t in enumerate(ann.tokens):
        # "Edmund Rooke, who chairs the board": the chairman
        if t.lemma.lower() not in role_verbs:
            continue
        if t.dep == "relcl" and t.head in where:
            holder = where[t.head][0]
        else:
            # "Alan Birtwhistle has skippered the Lady Agnes for 31 years": the skipper
            # ("Her father, Alan Birtwhistle, has skippered ...": the name in apposition to the subject)
            subj = [c for c in kids[i] if ann.tokens[c].dep == "nsubj"] if t.pos == "VERB" else []
            named = subj + [a for c in subj for a in kids[c] if ann.tokens[a].dep == "appos"]
            holder = next((where[c][0] for c in named if c in where), None)
        if holder:
            for role in role_verbs[t.lemma.lower()]:
                found.setdefault(role, set()).add(holder)
    titles = load_map("title_abbreviations")
    for m in mentions:
        # "Dr. Archie", "Parson Tringham", "Cllr Rooke": the title is the role (the doctor, the parson, the councillor)
        # (the title before the name, or the first word of a name written with it: "I am Parson Tringham")
        k = bisect.bisect_left(starts, m.start)
        if m.member not in persons:
            continue
        heads = [k - 1] if k > 0 else []
        if k + 1 < len(starts) and starts[k + 1] < m.end:
            heads.append(k)
        for h in heads:
            if not ann.tokens[h].text[:1].isupper():
                continue
            word = ann.tokens[h].text.lower().rstrip(".")
            role = next((canon for canon, forms in titles.items() if word in forms), word)
            if role in load_words("role_words"):
                found.setdefault(role, set()).add(m.member)
    for m in mentions:
        # "Colin Farraday, 58, a retired paramedic": the 58-year-old
        age = re.match(r",\s*(\d{1,3}),", ann_text_after(ann, m.end))
        if age and m.member in persons:
            found.setdefault(f"{age.group(1)}-year-old", set()).add(m.member)
    return {role: next(iter(ms)) for role, ms in found.items() if len(ms) == 1}


def relatives(cast: list[CastMember], here: set[str], text: str = "", mentions: list[Mention] = ()) -> dict[str, str]:
    """"his wife", "his lady", "her husband": where the article names one couple by a man's title and a woman's
    with one surname ("Mr. Bennet", "Mrs. Bennet"), the other one of them; "her father", "his mother": one of them
    too. Nothing where it names two couples. "His uncle", "her aunt": the one person written "Uncle Ralph"."""
    by_surname: dict[str, dict[str, set[str]]] = {}
    for c in cast:
        words = c.name.split()
        if c.id not in here or len(words) != 2:
            continue
        g = _title_word_gender(fold_word(words[0].rstrip(".")))
        if g:
            by_surname.setdefault(words[1].lower(), {}).setdefault(g, set()).add(c.id)
    out: dict[str, str] = {}
    for kin in _KIN_TITLES:
        # "said his uncle": the one person the article writes as "Uncle John"
        titled = {c.id for c in cast if c.id in here and any(a.lower().startswith(kin + " ") for a in (c.name, *c.aliases))}
        titled |= {m.member for m in mentions if re.search(rf"\b{kin}\s+$", text[max(0, m.start - 12):m.start], re.I)
                   and text[m.start - len(kin) - 1:m.start - len(kin)].isupper()}
        if len(titled) == 1:
            out[f"his {kin}"] = out[f"her {kin}"] = next(iter(titled))
    couples = [d for d in by_surname.values() if len(d.get("m", ())) == 1 and len(d.get("f", ())) == 1]
    if len(couples) != 1:
        return out
    (man,), (woman,) = couples[0]["m"], couples[0]["f"]
    return out | {"his wife": woman, "his lady": woman, "her husband": man,
                  # (a couple named so are the parents of the children the text follows: "said her father")
                  "her father": man, "his father": man, "her mother": woman, "his mother": woman}


_KIN_TITLES = ("uncle", "aunt", "grandfather", "grandmother", "granny")


def ann_text_after(ann: Annotation, end: int) -> str:
    """The tokens right after ``end`` joined as they stand (enough to read ", 58,")."""
    i = bisect.bisect_left(token_starts(ann), end)
    return "".join(t.text for t in ann.tokens[i:i + 3])


def looks_personal(c: CastMember) -> bool:
    """A person, or a two- or three-word name the recogniser filed elsewhere ("Marcus Delaney" as ORG)."""
    if c.kind == "person":
        return True
    words = c.name.split()
    return (c.kind in ("organization", "other") and 2 <= len(words) <= 3
            and all(w[:1].isupper() for w in words) and words[-1].lower() not in load_words("not_person_words"))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs: blocks between blank lines, or lines where the text has no blank line at all
    (LitBank's token files: one sentence a line, so a "paragraph" there is a sentence)."""
    pattern = r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*" if "\n\n" in text else r"[^\n]*\S[^\n]*"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def follows_on(text: str, q: QuoteSpan, gap: str, para: tuple[int, int], addressed: list[bool]) -> bool:
    """Whether a quote is a paragraph of its own that carries on the previous paragraph's quote: the
    paragraph holds nothing but the quote, the gap back to the previous quote is that quote's short
    attribution and one paragraph break, the statement is long (eight words or more: a short one is
    more likely a reply) and neither quote asks or addresses anyone (that is a conversation)."""
    outside = text[para[0]:q.open] + text[q.close + 1:para[1]]
    head, _, tail = gap.rpartition("\n\n")
    return (gap.count("\n\n") == 1 and not tail.strip() and len(head.split()) <= 8
            and not re.search(r"\w", outside) and len(text[q.start:q.end].split()) >= 8 and not any(addressed))


def continues_on_next_line(text: str, q: QuoteSpan, lines: list[tuple[int, int]], li: int) -> bool:
    """Whether the quote ends its line and the next line carries on its sentence in lower case
    ("... by this time?’" / "she said aloud."), in a text written one sentence a line (no blank lines)."""
    if "\n\n" in text or li + 1 >= len(lines) or text[q.close + 1:lines[li][1]].strip(" ,.!?;:—–-\"”’'"):
        return False   # with blank-line paragraphs a line in lower case is the next paragraph, not the attribution
    nxt = text[lines[li + 1][0]:lines[li + 1][1]].lstrip()
    if nxt[:1].islower():
        return True
    # a short line that is nothing but the attribution: "I murmured." / "Mulligan said." / "Big Medicine bellowed."
    m = _NAME_VERB_LINE.match(nxt)
    return bool(m) and m.group(1).lower() in _SAID_LINE_VERBS


# verbs that only say who spoke; "Tuppence sighed." / "Tommy chuckled." on a line of their own are things done
_SAID_LINE_VERBS = frozenset({"said", "asked", "answered", "replied", "added", "inquired", "enquired", "murmured",
                              "muttered", "whispered", "cried", "exclaimed", "remarked", "explained", "observed",
                              "continued", "returned", "rejoined", "retorted", "shouted", "called", "began",
                              "interrupted", "urged", "demanded", "protested", "stammered", "pleaded"})
_NAME_VERB_LINE = re.compile(r"(?:I|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})\s+([a-z]+)(?:\s+[a-z]+ly)?[.,;!]?\s*$")


def addresses_someone(quote: str) -> bool:
    """A question, or words of address ("you"): speech to someone in the scene."""
    return "?" in quote or any(w in load_words("address_words") for w in re.findall(r"[a-z]+", quote.lower()))


def is_scene_break(line: str) -> bool:
    """A line of stars or dashes, or a chapter heading: the conversation before it is over."""
    words = line.split()
    return not any(c.isalnum() for c in line) or (len(words) <= 5 and words[0].lower().strip(".") in ("chapter", "part"))


_ENDEARMENT = re.compile(r"(?i)(?:(?:oh|ah|o|why|well|now|yes|no),?\s+)?(?:my\s+)?(?:dear|dearest|darling|dear\s+old)")


def addressed_in(text: str, q: QuoteSpan, mentions: list[Mention]) -> set[str]:
    """Cast members a quote speaks to: a name opening the speech or after a comma, and ending
    a clause ("Tuppence, old bean!", "Good night, Sir John", "Oh, Mr. Fortescue")."""
    out: set[str] = set()
    for m in mentions:
        if not (q.start <= m.start and m.end <= q.end):
            continue
        before = re.sub(r"(?:\b\w+\.?\s*)?$", "", text[q.start:m.start]) if title_gender(text, m.start) else text[q.start:m.start]
        before = before.rstrip()
        after = text[m.end:q.end + 1][:1]
        if not before and text[m.end:q.end].strip(" .,;") == "" and text[q.end:q.close + 1][:1] not in "!":
            continue    # “Bingley.” — the name and nothing else answers a question; “Tom!” calls him
        # (the name ends the clause: "Good night, Sir John", not "..., Mr. Bingley may like you best"; "My dear
        # Mr. Bennet" opens with words of endearment)
        if (not before or before[-1] in ",;!?—–" or _ENDEARMENT.fullmatch(before)) and (
                m.end >= q.end or after in ",.!?;—–"):
            out.add(m.member)
    return out


def find_quotes(article: Article, ann: Annotation, mentions: list[Mention], cast: list[CastMember],
                shared: dict[str, str] | None = None, own_roles: dict[str, str] | None = None) -> list[Quote]:
    """The direct quotes of one article with their speakers. ``shared``: role words the story binds to
    one person (``shared_roles``), used where this article names that person but binds the role to
    nobody; ``own_roles``: this article's ``bind_descriptions``, when the caller has them already."""
    return read_article(article, ann, mentions, cast, shared, own_roles)[0]


def read_article(article: Article, ann: Annotation, mentions: list[Mention], cast: list[CastMember],
                 shared: dict[str, str] | None = None,
                 own_roles: dict[str, str] | None = None) -> tuple[list[Quote], dict[str, str]]:
    """``find_quotes`` and the genders it read for the article's people (``infer_genders``)."""
    text = article.text
    people = {c.id for c in cast if c.kind in ("person", "organization", "other")}
    persons = {c.id for c in cast if looks_personal(c)}
    organisations = {c.id for c in cast if c.kind == "organization"}
    names = {c.id: c.name for c in cast}
    doc_mentions = sorted((m for m in mentions if m.doc == article.id), key=lambda m: m.start)
    roles = dict(own_roles) if own_roles is not None else bind_descriptions(ann, doc_mentions, people)
    named_here = {m.member for m in doc_mentions}
    for role, member in (shared or {}).items():
        if member in named_here:
            roles.setdefault(role, member)
    roles.update(relatives(cast, named_here, text, doc_mentions))
    every_span = find_quote_spans(text)
    spans = [q for q in every_span if is_real_quote(text, q)]
    quoted = tuple((q.open, q.close) for q in spans)
    # every stretch in quotation marks, kept or not: a word in one is never the subject of the cue
    # (“Pho,” said Belcour: "Pho" is a one-word quote, not the speaker)
    marked = tuple((q.open, q.close) for q in every_span)
    # a name inside a quote is spoken about, not speaking: never an antecedent, never narration
    narrated = [m for m in doc_mentions if not any(a < m.start < b for a, b in quoted)]
    genders = infer_genders(text, ann, doc_mentions, persons, quoted, names)
    lines = paragraph_spans(text)
    line_starts = [a for a, _ in lines]
    person_at = [(m.start, m.member) for m in narrated if m.member in persons]
    out: list[Quote] = []
    prev_speaker: tuple[str | None, str | None, int] | None = None
    # conversational turns: one per paragraph that holds a quote, the speaker of each (None: unknown)
    turns: list[str | None] = []
    turn_line: int | None = None
    turn_speaker: str | None = None
    run_no = 0                                    # runs of turns: a reset starts a new one
    cued: dict[tuple[int, int], set[str]] = {}    # (run, turn) -> speakers named by a cue
    run_known: set[str] = set()
    rows: list[dict] = []
    addressed: list[bool] = []   # per quote: a question or words of address
    for q in spans:
        li = max(0, bisect.bisect_right(line_starts, q.open) - 1)
        new_turn = li != turn_line
        if new_turn:
            if turn_line is not None:
                turns.append(turn_speaker)
                # narration between the turns that names someone else, or a scene break, ends the
                # run; until two people have spoken, one newly named may be the second of them
                lo_ = lines[turn_line + 1][0] if turn_line + 1 < len(lines) else q.open
                known = (run_known | set(turns[-2:])) - {None}
                extra = {mb for at, mb in person_at if lo_ <= at < q.open} - known
                gap_lines = [text[a:b] for a, b in lines[turn_line + 1:li]]
                if (extra and len(known) + len(extra) > 2) or any(is_scene_break(ln) for ln in gap_lines):
                    turns, run_no, run_known = [], run_no + 1, set()
            turn_line, turn_speaker = li, None
        # the sentences the quote touches, widened to include its attribution
        s_first = ann.sentence_of(q.open)
        s_last = ann.sentence_of(q.close)
        lo = ann.sentences[s_first][0] if ann.sentences else 0
        hi = ann.sentences[s_last][1] if ann.sentences else len(text)
        # a quote ending a sentence may be attributed in the next short one ("… ,” he said.)
        if s_last + 1 < len(ann.sentences) and text[q.close + 1:ann.sentences[s_last][1]].strip() == "":
            nxt = ann.sentences[s_last + 1]
            # (however long, when it goes on in lower case on the quote's line: “What's the joke?” he inquired
            # languidly, his chin thrust out — the parser closed the sentence at the mark)
            if "\n\n" not in text[q.close:nxt[0]] and (nxt[1] - nxt[0] < 60 or (
                    "\n" not in text[q.close:nxt[0]] and text[nxt[0]:nxt[0] + 1].islower())):
                hi = nxt[1]
        line_lo, line_hi = lines[li] if lines else (0, len(text))
        if lines:
            # the attribution is in the quote's own paragraph: the parser's sentences can run over a
            # line break and hand a quote the "said Tuppence" of the next turn
            lo = max(lo, line_lo)
            ql = max(0, bisect.bisect_right(line_starts, q.close) - 1)
            if continues_on_next_line(text, q, lines, ql):
                hi = max(hi, lines[ql + 1][1])   # “Back to barracks!” / he said sternly.
            else:
                hi = min(hi, lines[ql][1])
        tok_i, cue = find_cue(ann, text, q, lo, hi, marked) if ann.tokens else (None, None)
        speaker, name = None, None
        to = addressed_in(text, q, doc_mentions)    # whom the quote speaks to: never its speaker
        if tok_i is not None:
            speaker, name = resolve_speaker(text, ann, tok_i, narrated, q, people, persons, roles,
                                            genders, to, organisations)
        gap = text[prev_speaker[2]:q.open] if prev_speaker else "\n\n"
        if tok_i is None and "\n" not in gap and (len(gap.split()) <= 6 or (
                prev_speaker and prev_speaker[0] and len(gap.split()) <= 16
                and not {mb for at, mb in person_at if prev_speaker[2] <= at < q.open} - {prev_speaker[0]})):
            # the second half of a quote split by its attribution, or a run-on quote
            speaker, name, cue = prev_speaker[0], prev_speaker[1], "continued"
        elif tok_i is None and text[lo:q.open].rstrip().endswith(":"):
            intro_i, intro_cue = find_cue(ann, text, QuoteSpan(q.open, q.open, q.open, q.open), lo, q.open, marked)
            if intro_i is not None:
                speaker, name = resolve_speaker(text, ann, intro_i, narrated, q, people, persons, roles,
                                                genders, to, organisations)
                cue = intro_cue
        if speaker is not None and cue not in (None, "continued"):
            cued.setdefault((run_no, len(turns)), set()).add(speaker)
            run_known.add(speaker)
        in_dialogue = (new_turn and len(turns) >= 2 and turns[-1] and turns[-2] and turns[-1] != turns[-2]
                       and not {mb for at, mb in person_at if line_lo <= at < line_hi} - {turns[-1], turns[-2]})
        fillable = tok_i is None and speaker is None and name is None
        addressed.append(addresses_someone(text[q.start:q.close + 1]))
        if tok_i is None and speaker is None and name is None and in_dialogue and any(addressed[-3:]):
            # a turn of dialogue with no cue after turns by A then B: A again. Only where people talk
            # to each other (a question, a "you" nearby): in news an uncued quote after B's is B's
            speaker, cue = turns[-2], "turn-taking"
        elif tok_i is None and speaker is None and name is None and "\n\n" not in gap and (
                len(gap.split()) <= 6 or (prev_speaker and prev_speaker[0] and len(gap.split()) <= 20
                                          and not {mb for at, mb in person_at if prev_speaker[2] <= at < q.open} - {prev_speaker[0]})):
            # the next line, no turn-taking to go by: a run-on quote by the same speaker
            speaker, name, cue = prev_speaker[0], prev_speaker[1], "continued"
            fillable = True
        elif (tok_i is None and speaker is None and name is None and prev_speaker and prev_speaker[0]
              and follows_on(text, q, gap, (line_lo, line_hi), addressed[-2:])
              and not {mb for at, mb in person_at if prev_speaker[2] <= at < q.open} - {prev_speaker[0]}):
            # news: a paragraph that is nothing but a statement, right after a paragraph that ends
            # with X's attributed quote, carries on X's words
            speaker, name, cue = prev_speaker[0], prev_speaker[1], "continued"
        if speaker is not None:
            name = names.get(speaker)
        if turn_speaker is None and speaker is not None:
            turn_speaker = speaker
        # “…,” I said: the narrator, whom only the other side of an exchange can name (fill_replies)
        narrator = tok_i is not None and ann.tokens[tok_i].text == "I" and speaker is None
        rows.append(dict(q=q, speaker=speaker, name=name, cue=cue, turn=(run_no, len(turns)), fillable=fillable,
                         addressed=addressed[-1], to=to, narrator=narrator))
        prev_speaker = (speaker, name, q.close + 1) if (speaker or name) else None
    fill_turns(rows, cued, names)
    fill_replies(text, rows, names)
    fill_from_narration(text, ann, rows, narrated, persons, names, genders)
    for r in rows:
        q = r["q"]
        out.append(Quote(
            id="q" + short_hash(article.id, str(q.start), text[q.start:q.end], n=8),
            doc=article.id, start=q.start, end=q.end, text=text[q.start:q.end],
            speaker=r["speaker"], speaker_name=r["name"], kind="direct", cue=r["cue"],
        ))
    return out, genders


def fill_turns(rows: list[dict], cued: dict[tuple[int, int], set[str]], names: dict[str, str]) -> None:
    """Backwards through a conversation of two: in a run whose cued turns alternate strictly between
    two people (every even turn A, every odd turn B) and where someone asks or addresses someone,
    an uncued turn takes its parity's speaker."""
    parity: dict[int, dict[int, str] | None] = {}
    for (run, turn), speakers in sorted(cued.items()):
        seen = parity.setdefault(run, {})
        if seen is None:
            continue
        if len(speakers) != 1 or seen.get(turn % 2, next(iter(speakers))) != next(iter(speakers)):
            parity[run] = None  # two speakers in one turn, or the same parity twice with two people
            continue
        seen[turn % 2] = next(iter(speakers))
    talk = {r["turn"][0] for r in rows if r["addressed"]}
    for r in rows:
        run, turn = r["turn"]
        who = parity.get(run) if run in talk else None
        if r["fillable"] and who and len(who) == 2 and who[0] != who[1]:
            r["speaker"], r["name"], r["cue"] = who[turn % 2], names.get(who[turn % 2]), "turn-taking"


def _link(text: str, a: QuoteSpan, b: QuoteSpan) -> str | None:
    """How quote ``b`` stands to the quote ``a`` before it: "reply" when ``b`` opens the next line and nothing but
    the line break stands between them (“Is he come?” / “Yes.”: each line of speech a turn); "same" when ``b``
    carries on ``a``'s line after a few words of attribution (“Yes,” said he, “I will.”); else None."""
    gap = text[a.close + 1:b.open]
    if not gap.strip() and gap.count("\n") == 1:
        return "reply"
    if "\n" not in gap and len(gap.split()) <= 6:
        return "same"
    return None


def fill_replies(text: str, rows: list[dict], names: dict[str, str]) -> None:
    """Lines of speech that answer each other (no narration between them, one line each, no blank lines) form a
    chain of turns between two people: a quote the chain's cues do not name takes the speaker of its side. A side
    with no cue takes the one person the other side's quotes speak to (“Impossible, Mr. Bennet”), whether or not
    a cue names the other side, else the last other speaker before the chain; a quote "I said" on such a side is
    the narrator, named so (“Well, Watson, …?” / “…,” I said). A chain whose
    cues put two people on one side, or one person on both, is left as it is; so is one where nobody asks or
    addresses anyone (a statement carried over several lines)."""
    strong = lambda r: r["speaker"] and r["cue"] not in (None, "continued", "turn-taking")  # noqa: E731
    i = 0
    while i < len(rows):
        j = i
        side = [0]
        links: list[str] = []
        while j + 1 < len(rows) and (link := _link(text, rows[j]["q"], rows[j + 1]["q"])) is not None:
            side.append(side[-1] ^ (link == "reply"))
            links.append(link)
            j += 1
        chain, before = rows[i:j + 1], rows[max(0, i - 6):i]
        i = j + 1
        if "reply" not in links:
            continue
        if not any(r["addressed"] for r in chain) or not any(r["fillable"] or r.get("narrator") for r in chain):
            continue
        cued: list[set[str]] = [set(), set()]
        for r, sd in zip(chain, side):
            if strong(r):
                cued[sd].add(r["speaker"])
        if not cued[0] | cued[1] and chain[0]["speaker"]:
            cued[0].add(chain[0]["speaker"])   # carried over from the line before the chain ("said Tom." / “…” / “…”)
        if len(cued[0]) > 1 or len(cued[1]) > 1 or cued[0] & cued[1]:
            continue
        if any(r.get("narrator") and cued[sd] for r, sd in zip(chain, side)):
            continue    # “…,” I said on a side a cue names: two people on one side
        for sd in (0, 1, 0):
            # (a side no cue names: the one person the other side speaks to, whether or not a cue names that side)
            spoken_to = {m for r, s in zip(chain, side) if s == 1 - sd for m in r["to"]} - cued[1 - sd]
            if not cued[sd] and len(spoken_to) == 1:
                cued[sd] = spoken_to
        for sd in (0, 1):
            if not cued[sd] and cued[1 - sd]:
                (known,) = cued[1 - sd]
                # the one who spoke to them last before the chain, in the same conversation
                earlier = [r["speaker"] for r in before if strong(r) and r["turn"][0] == chain[0]["turn"][0]
                           and r["speaker"] != known]
                if earlier:
                    cued[sd] = {earlier[-1]}
        for r, sd in zip(chain, side):
            if r["fillable"] and cued[sd]:
                (who,) = cued[sd]
                r["speaker"], r["name"], r["cue"] = who, names.get(who), "turn-taking"
            elif r.get("narrator") and cued[sd]:
                (who,) = cued[sd]     # “…,” I said — to “Well, Watson, …”: the narrator is Watson
                r["speaker"], r["name"] = who, names.get(who)
    # one narrator a text: the name the exchanges gave "I", where they agree, is every "I said"'s
    named = {r["speaker"] for r in rows if r.get("narrator") and r["speaker"]}
    if len(named) == 1:
        (who,) = named
        for r in rows:
            if r.get("narrator") and not r["speaker"]:
                r["speaker"], r["name"] = who, names.get(who)


def _pronoun_subject(ann: Annotation, narrated: list[Mention], persons: set[str], genders: dict[str, str],
                     lo: int, hi: int, to: set[str]) -> set[str]:
    """The person the "he" or "she" subjects of the narration in [lo, hi) stand for: the last person of that gender
    (or of none known) who was a subject before it, within 600 characters; nobody when the pronouns differ."""
    prons = {t.text.lower() for t in (ann.tokens[i] for i in tokens_between(ann, lo, hi))
             if t.dep in ("nsubj", "nsubjpass") and t.text.lower() in ("he", "she")}
    if len(prons) != 1:
        return set()
    g = PRONOUN_GENDER[prons.pop()]
    before = [m for m in narrated if lo - 600 <= m.end <= lo and m.member in persons
              and genders.get(m.member, g) == g and m.member not in to]
    pick = last_subject_mention(ann, before)
    return {pick.member} if pick else set()


def fill_from_narration(text: str, ann: Annotation, rows: list[dict], narrated: list[Mention], persons: set[str],
                        names: dict[str, str], genders: dict[str, str] | None = None) -> None:
    """A line of speech nothing attributes, right after a line or two of narration whose clauses have one named
    person for subject, is that person's ("Gregory rose and walked to the window." / “An artist is an anarchist.”);
    after narration of twenty words at most that names nobody, it carries on the quote before, now that the
    exchanges have named its speaker. Only in a text written one paragraph a line, where such a line is a
    paragraph of its own."""
    starts = token_starts(ann)
    for k, r in enumerate(rows):
        if not r["fillable"] or r["speaker"] is not None:
            continue
        lo = rows[k - 1]["q"].close + 1 if k else max(0, r["q"].open - 400)
        gap = text[lo:r["q"].open]
        if "\n\n" in gap or "\n" not in gap:
            continue
        if k and rows[k - 1]["speaker"] and rows[k - 1]["speaker"] not in r["to"] and re.search(r"\w", gap) \
                and len(gap.split()) <= 20 and not any(
                lo <= m.start < r["q"].open and m.member in persons for m in narrated):
            # a line of narration naming nobody after a line the exchanges or the narration have named since
            r["speaker"], r["name"], r["cue"] = rows[k - 1]["speaker"], rows[k - 1]["name"], "continued"
            continue
        if k:
            lo += gap.index("\n") + 1     # the lines after the one the last quote (and its attribution) stands on
            gap = text[lo:r["q"].open]
        if not re.search(r"\w", gap) or len(gap.split()) > 40:
            continue
        subjects = {m.member for m in narrated if lo <= m.start < r["q"].open and m.member in persons
                    and subject_level(ann, m, starts) >= 1} - r["to"]
        if not subjects and not any(lo <= m.start < r["q"].open for m in narrated):
            # "He hung fire again." / “A woman's.”: the narration's "he" or "she", as a cue's pronoun is read
            subjects = _pronoun_subject(ann, narrated, persons, genders or {}, lo, r["q"].open, r["to"])
        if len(subjects) == 1:
            (who,) = subjects
            r["speaker"], r["name"], r["cue"] = who, names.get(who), "named before"


def shared_roles(per_article: Iterable[dict[str, str]]) -> dict[str, str]:
    """Role words bound to one person across the whole story ("the historian Hamish Drummond" in one
    article lets "the historian said" name him in another); a role bound to two people is dropped."""
    found: dict[str, set[str]] = {}
    for roles in per_article:
        for role, member in roles.items():
            found.setdefault(role, set()).add(member)
    return {role: next(iter(ms)) for role, ms in found.items() if len(ms) == 1}


def run(story: Story, res) -> Story:
    quotes: list[Quote] = []
    people = {c.id for c in story.cast if c.kind in ("person", "organization", "other")}
    by_doc: dict[str, list[Mention]] = {}
    for m in sorted(story.mentions, key=lambda m: m.start):
        by_doc.setdefault(m.doc, []).append(m)
    own = {a.id: bind_descriptions(story.annotations[a.id], by_doc.get(a.id, []), people)
           for a in story.articles if a.id in story.annotations}
    shared = shared_roles(own.values())
    votes: dict[str, set[str]] = {}
    for a in story.articles:
        ann = story.annotations.get(a.id)
        if ann is None:
            continue
        found, read = read_article(a, ann, list(story.mentions), list(story.cast), shared, own[a.id])
        quotes.extend(found)
        for member, g in read.items():
            votes.setdefault(member, set()).add(g)
    # a person read both ways (two people of one name, a pronoun misread) is left out
    genders = {member: next(iter(gs)) for member, gs in sorted(votes.items()) if len(gs) == 1}
    return story.model_copy(update={"quotes": tuple(quotes), "genders": genders})
