"""Stance: the contested claim, each sentence's stance on it, each article's stance.

The claim is the user's ``--claim`` when given; otherwise it is proposed from
the opinion sentences the articles share and from their headlines, phrased as a
declarative proposition. A headline that only reports what someone said is
evidence, not the claim.

Every sentence gets [p_for, p_against, p_neutral] and a relevance from the
trained stance model (``res.stance_model``). A document's stance comes from the
same ``document_probs`` that the FNC-1 benchmark measures, with reported speech
down-weighted so an author quoting an opponent is not read as the opponent.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

import numpy as np

from ..lexicon import given_name_gender, load_map, load_words
from ..model import Article, Claim, DocStance, SentenceStance, Story
from ..stancemodel import load_cues, mix_polarity, mix_related
from .language import sentence_spans
from .quotes import looks_like_title

REQUIRES = ('articles', 'annotations', 'claim_text', 'title_hint', 'quotes')
PROVIDES = ('claim', 'sentence_stances', 'stances', 'off_topic')

REPORTED_WEIGHT = 0.4   # reported speech counts less than the author's own voice
MAX_EVIDENCE = 5
MIN_EVIDENCE = 2
MAX_ALTERNATIVES = 3

_CUES = load_cues()
OPINION_CUES = tuple(sorted(_CUES.get("opinion", ())))
_MODAL = re.compile(
    r"\b(should(?:n't| not)?|must(?:n't| not)?|ought to|deserves?|deserved|need(?:s)? to|"
    r"ha(?:ve|s) to|it'?s (?:high )?time)\b", re.I)
_REPORTING = re.compile(
    r"^(?P<subj>[A-Z][\w.'’\- ]{1,60}?)\s+(?i:says|said|claims|claimed|tells|told|admits|admitted|insists|"
    r"reveals|revealed|thinks|believes|wants|hopes|wishes|explains|confirms|denies|slams|reacts)\b"
    r"(?:\s+(?i:that|to\s+\w+))?\s*:?\s*(?P<rest>.*)$")
_STRONG_MODAL = re.compile(r"\b(?:should|must|ought to|need(?:s)? to)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't\b", re.I)
_PRONOUN_OPENING = re.compile(r"^(?:they|he|she|it|we|you|i|this|that|these|those|someone|something|just)\b", re.I)
_PRONOUN_SUBJ = re.compile(r"^(?:he|she|they|i|we)\s+", re.I)
_LEADIN = re.compile(
    r"^(?:(?:and|but|so|yes|no|well|honestly|frankly|look|still|now|clearly|simply put|in short|"
    r"in my (?:view|opinion)|to me|for me)\s*,?\s+)*"
    r"(?:i (?:really |honestly |truly )?(?:think|believe|feel|say|guess|reckon)(?: that)?\s+)?", re.I)
_CONCESSION = re.compile(r"(?:[,;:\u2014-]\s*|\s)(?:but|however|yet)\s*,?\s+", re.I)
_QUOTED = re.compile(r"\u201c[^\u201d]{1,800}\u201d|\"[^\"\n]{1,800}\"")


# --- claim --------------------------------------------------------------------

def to_proposition(text: str) -> str:
    """Tidy one clause into a declarative sentence ending with a full stop."""
    t = " ".join(text.split()).strip(" \"'\u201c\u201d\u2018\u2019")
    t = _LEADIN.sub("", t).strip()
    t = t.rstrip(" .!?;:,")
    if not t:
        return ""
    return t[0].upper() + t[1:] + "."


def modal_clause(sentence: str) -> str | None:
    """The clause of an opinion sentence that holds its modal ("... should ...")."""
    m = _MODAL.search(sentence)
    if not m:
        return None
    parts = re.split(r"(?<=[,;:\u2014])\s+|\s+(?:because|since|so that|but|although|though|if|when)\s+",
                     sentence)
    pos = 0
    for part in parts:
        idx = sentence.find(part, pos)
        if idx <= m.start() < idx + len(part) + 1:
            clause = part
            break
        pos = max(pos, idx)
    else:
        clause = sentence
    clause = _LEADIN.sub("", clause.strip())
    before = clause[: _MODAL.search(clause).start()].strip() if _MODAL.search(clause) else ""
    if not before or len(clause.split()) < 4 or len(clause.split()) > 30:
        return None
    return clause


def headline_proposition(title: str) -> tuple[str | None, bool]:
    """(proposition, reported) for one headline.

    "Lamar Odom Says He Wants Khloé Back" reports a statement: it becomes the
    proposition "Lamar Odom wants Khloé back." and is marked reported, so an
    opinion sentence is preferred over it.
    """
    t = " ".join(title.split()).strip()
    if not t or t.endswith(("?", "!", "!)")):
        return None, False
    if _NOT_A_PROPOSITION.search(t):  # "Why I'm Rooting for a Reunion (and You Should Be Too!)"
        return None, False
    m = _REPORTING.match(t)
    if m:
        subj, rest = m.group("subj").strip(), m.group("rest").strip(" :\"'\u201c\u201d")
        if not rest:
            return None, True
        verb = t[len(m.group("subj")):].split()[0].lower()
        if _PRONOUN_SUBJ.match(rest):
            rest = _PRONOUN_SUBJ.sub(subj + " ", rest, count=1)
        elif verb in ("wants", "hopes", "wishes", "thinks", "believes"):
            rest = f"{subj} {verb} {rest}"
        return to_proposition(sentence_case(rest)), True
    if _MODAL.search(t):
        return to_proposition(sentence_case(t)), False
    return None, False


_NOT_A_PROPOSITION = re.compile(r"^(?:why|how|what|when|who|where|watch|listen|opinion)\b|[:(]\s*(?:why|how|what)\b|\(", re.I)

_IRREGULAR_PARTICIPLES = {
    "send": "sent", "keep": "kept", "give": "given", "bring": "brought", "sell": "sold", "build": "built",
    "let": "let", "leave": "left", "hold": "held", "take": "taken", "make": "made", "pay": "paid", "put": "put",
    "shut": "shut", "cut": "cut", "tell": "told", "buy": "bought", "find": "found", "show": "shown",
    "write": "written", "set": "set", "begin": "begun", "choose": "chosen", "drive": "driven", "throw": "thrown",
    "break": "broken", "see": "seen", "do": "done", "win": "won", "lose": "lost", "spend": "spent", "lend": "lent",
    "forgive": "forgiven", "hear": "heard", "feed": "fed", "sink": "sunk", "bury": "buried", "hide": "hidden",
}


def participle(verb: str) -> str:
    """The past participle of a verb in its base form ("send" -> "sent", "scrap" -> "scrapped")."""
    v = verb.lower()
    if v in _IRREGULAR_PARTICIPLES:
        return _IRREGULAR_PARTICIPLES[v]
    if v.endswith("e"):
        return v + "d"
    if len(v) > 2 and v.endswith("y") and v[-2] not in "aeiou":
        return v[:-1] + "ied"
    if len(re.findall(r"[aeiou]+", v)) == 1 and re.search(r"[^aeiou][aeiou][bdgklmnprt]$", v):
        return v + v[-1] + "ed"      # one syllable ending consonant-vowel-consonant: "scrap", "ban", "stop"
    return v + "ed"


def imperative_proposition(title_doc) -> str | None:
    """A headline that tells the reader to do something states its thesis: "Send the Tavu posts home" -> "The
    Tavu posts should be sent home."; "The posts belong to everyone. Keep them in Brannock" -> "The posts should
    be kept in Brannock." (a pronoun object stands for the subject of the sentence before). ``title_doc`` is the
    headline parsed by spaCy."""
    sents = list(title_doc.sents)
    for n, sent in enumerate(sents):
        root = sent.root
        # "Merging our hospital trusts is the best way ...", "Closing the library would save pennies": the
        # action the headline judges is the proposition ("Our hospital trusts should be merged.")
        act = next((c for c in root.children if c.dep_ in ("csubj", "nsubj") and c.tag_ == "VBG"), None)
        act_obj = next((c for c in act.children if c.dep_ == "dobj"), None) if act is not None else None
        if act_obj is not None and act_obj.pos_ in ("NOUN", "PROPN"):
            thing = re.sub(r"^(?:our|my|your)\s+", "the ", title_doc[act_obj.left_edge.i:act_obj.right_edge.i + 1].text,
                           flags=re.I)
            return to_proposition(f"{thing} should be {participle(act.lemma_)}")
        if root.tag_ != "VB" or root.i != sent.start or any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in root.children):
            continue
        if root.lemma_.lower() == "let":
            # "Let Kamala, Rupa and Sita retire to Valbrune" -> "Kamala, Rupa and Sita should retire to Valbrune."
            verb = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp")), None)
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb else None
            if subj is not None and subj.pos_ != "PRON" and subj.i < verb.i:
                return to_proposition(f"{title_doc[subj.left_edge.i:verb.i].text} should "
                                      f"{title_doc[verb.i:sent.end].text}")
            continue
        obj = next((c for c in root.children if c.dep_ == "dobj"), None)
        prep = None
        if obj is None:
            # "Vote for the all-day ban" -> "The all-day ban should be voted for."
            prep = next((c for c in root.children if c.dep_ == "prep" and c.lower_ in ("for", "against")), None)
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if obj is None:
            continue
        lo, hi = obj.left_edge.i, obj.right_edge.i + 1
        while hi < sent.end and (title_doc[hi].dep_ == "dobj" or (title_doc[hi].pos_ in ("NOUN", "PROPN")
                                                                   and title_doc[hi].dep_ != "npadvmod")):
            hi += 1     # "Send the harbour bells home" parsed with "harbour" as the object and "bells" a verb
        thing = title_doc[lo:hi].text
        if obj.pos_ == "PRON":
            subj = next((c for c in sents[n - 1].root.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")),
                        None) if n > 0 else None
            if subj is None or obj.lower_ not in ("them", "it", "him", "her"):
                continue
            thing = title_doc[subj.left_edge.i:subj.right_edge.i + 1].text
        end = next((t.i for t in title_doc[hi:sent.end] if t.text in (",", ";") or t.dep_ == "cc"), sent.end)
        rest = title_doc[hi:end].text.strip(" .!,;:")   # "keep the trusts apart, and keep ..." stops at the comma
        words = [thing, "should be", participle(root.text)] + ([prep.lower_] if prep is not None else []) \
            + ([rest] if rest else [])
        return to_proposition(" ".join(words))
    return None


def sentence_case(title: str) -> str:
    """Lower-case Title Case words that are not names (keep the first and all-caps words)."""
    words = title.split()
    if sum(w[:1].isupper() for w in words) < 0.7 * len(words):
        return title
    out = [words[0]]
    for w in words[1:]:
        low = w.lower()
        out.append(low if low in _FUNCTION_WORDS else w)
    return " ".join(out)


_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been should must "
    "need needs to get back together deserve deserves ought have has it its his her their he she they "
    "wants want says say will would can could not no never more less again now".split())


def propose_claim(candidates: list[tuple[str, str, int]], embed) -> Claim | None:
    """Pick the claim from (text, kind, doc_index) candidates.

    ``kind`` is "opinion" (a modal clause from an article), "headline" (a
    headline that states a proposition) or "reported" (a headline that reports
    someone's words). Opinion clauses closest to the centroid of all opinion
    clauses win; ties break on text so the choice is deterministic.
    """
    cands = [(t, k, d) for t, k, d in candidates if t]
    if not cands:
        return None
    texts = list(dict.fromkeys(t for t, _, _ in cands))
    vecs = embed(texts)
    vec = {t: v for t, v in zip(texts, vecs)}
    opinion = [t for t, k, _ in cands if k in ("opinion", "headline")]
    pool = opinion or texts
    centroid = np.mean([vec[t] for t in pool], axis=0)
    centroid = centroid / (np.linalg.norm(centroid) + 1e-9)
    docs_of: dict[str, set[int]] = {}
    for t, _, d in cands:
        docs_of.setdefault(t, set()).add(d)
    prior = {"opinion": 0.15, "headline": 0.15, "reported": 0.0}
    scored = {}
    for t, k, _ in cands:
        support = sum(1 for u in pool if u != t and float(vec[u] @ vec[t]) > 0.5)
        s = float(vec[t] @ centroid) + prior[k] + 0.05 * min(support, 4)
        # a contested proposition is usually put affirmatively, with "should"
        if _STRONG_MODAL.search(t):
            s += 0.1
        # ... and "the council should refuse the wind farm" is the negation of "the wind farm should be built"
        if _NEGATED.search(t) or calls_for_refusal(t):
            s -= 0.15
        # "They need to do something." names nobody: a claim should say who or what
        if _PRONOUN_OPENING.match(t):
            s -= 0.2
        scored[t] = max(scored.get(t, -9.0), s)
    ranked = sorted(scored, key=lambda t: (-round(scored[t], 6), t))
    chosen: list[str] = []
    for t in ranked:
        if all(float(vec[t] @ vec[u]) < 0.9 for u in chosen):
            chosen.append(t)
        if len(chosen) > MAX_ALTERNATIVES:
            break
    return Claim(text=chosen[0], origin="auto", alternatives=tuple(chosen[1:]))


def claim_candidates(articles, sentence_texts, voices, theses=None) -> list[tuple[str, str, int]]:
    """(proposition, kind, article index) from headlines and the author's modal clauses; with ``theses`` (each
    article's ``headline_thesis``), a headline telling the reader what to do too ("Keep them in Brannock")."""
    out = []
    for i, art in enumerate(articles):
        if art.title:
            prop, reported = headline_proposition(art.title)
            if prop is None and not reported and theses is not None:
                prop = theses[i]
            if prop:
                out.append((prop, "reported" if reported else "headline", i))
        for text, voice in zip(sentence_texts[i], voices[i]):
            if voice != "author" or text.rstrip().endswith("?"):
                continue
            clause = modal_clause(text)
            if clause and not reported_rule(clause):
                out.append((to_proposition(clause), "opinion", i))
        # the story's question the author answers, put as the proposition it asks about
        for _, prop in answered_questions(sentence_texts[i], voices[i]):
            out.append((to_proposition(re.sub(r"\b(should|must|will|ought to) not\b", r"\1", prop)), "opinion", i))
    return out


def reported_rule(clause: str) -> bool:
    """"The council's own policy says a name should honor ...", "Critics argue the ban should go": what somebody
    else says should be, reported in the author's sentence, is no proposition of the author's (a first person
    saying it is: "I say we should ...")."""
    m = _MODAL.search(clause)
    before = clause[:m.start()] if m else clause
    words = re.findall(r"[A-Za-z]+", before)
    if not words or words[0].lower() in ("i", "we"):
        return False
    # "The man who said it should resign": a relative clause's verb reports nothing of the main clause
    # (a clause cut off before its verb — "wrote in a column that Kestrel should not take him back" — was reported)
    return any(w.lower() in _reporting_forms() and words[k - 1].lower() not in ("who", "that", "which")
               for k, w in enumerate(words) if k) or words[0].lower() in _PAST_REPORTING


# past forms that are verbs whatever stands before them ("posts", "reports", "say" can be nouns)
_PAST_REPORTING = frozenset(("said", "told", "wrote", "argued", "claimed", "insisted", "warned", "believed", "thought",
                             "felt", "suggested", "urged", "added", "stated", "maintained", "contended", "reckoned",
                             "admitted", "declared", "announced", "wrote", "tweeted", "posted"))


def reports_someone(clause: str) -> bool:
    """"That researcher, Claire Mottram, wrote in a column last week that Kestrel should not take him back": the
    modal clause is what somebody else said (a past reporting verb before the modal, not in a relative clause, and
    no first person opening it); the author's own "here is mine: X should ..." is not."""
    m = _MODAL.search(clause)
    words = re.findall(r"[A-Za-z]+", clause[:m.start()] if m else clause)
    if not words or words[0].lower() in ("i", "we"):
        return False
    return any(w.lower() in _PAST_REPORTING and (k == 0 or words[k - 1].lower() not in ("who", "that", "which"))
               for k, w in enumerate(words))


# --- sentences ----------------------------------------------------------------

def quoted_mask(text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    """True for each character inside a quotation (quote spans or quote marks); a title in quotation marks
    ("If you have not read “Ageing Elephants in a Northern City”, please do.") is nobody's words."""
    mask = np.zeros(len(text) + 1, dtype=bool)
    for a, b in spans:
        mask[max(0, a):max(0, b)] = True
    for m in _QUOTED.finditer(text):
        if not looks_like_title(m.group(0)[1:-1]):
            mask[m.start():m.end()] = True
    return mask


def voice_of(mask: np.ndarray, start: int, end: int) -> str:
    if end <= start:
        return "author"
    return "reported" if mask[start:end].mean() > 0.5 else "author"


def stance_text(sentence: str) -> str:
    """The part of a sentence that carries the author's stance.

    In "I know it isn't an excuse, but he has changed" the clause after "but"
    is what the author argues; the concession before it is not.
    """
    parts = _CONCESSION.split(sentence)
    if len(parts) > 1 and len(parts[-1].split()) >= 4:
        return parts[-1]
    m = re.match(r"^(?:although|though|even though|while|granted)\b[^,]{3,}?,\s*(.+)$", sentence, re.I)
    if m and len(m.group(1).split()) >= 4:
        return m.group(1)
    return sentence


def choose_evidence(stances: list[SentenceStance], weights: np.ndarray, label: str) -> tuple[SentenceStance, ...]:
    """2-5 sentences that carry the document's label, in text order."""
    if not stances:
        return ()
    col = {"for": "p_for", "against": "p_against"}
    if label in col:
        score = np.array([s.relevance * getattr(s, col[label]) for s in stances]) * weights
    else:
        score = np.array([s.relevance * (1 - s.p_for - s.p_against) for s in stances]) * weights
    # sentences that themselves take the article's side show it best: they come first
    agree = np.array([s.label == label and s.voice == "author" for s in stances], dtype=float) if label in col else np.zeros(len(stances))
    # a fragment ("BREAKING:", "Ugh, really?") shows nothing on its own: last resort only
    wordy = np.array([len(s.text.split()) >= 4 for s in stances], dtype=float)
    order = sorted(range(len(stances)), key=lambda i: (-wordy[i], -agree[i], -round(float(score[i]), 9), i))
    top = float(score[order[0]])
    keep = [i for i in order[:MAX_EVIDENCE] if agree[i] or score[i] >= 0.5 * top]
    keep = keep if len(keep) >= MIN_EVIDENCE else order[:MIN_EVIDENCE]
    return tuple(stances[i] for i in sorted(keep))


THESIS_MIN_SIM = 0.6


def thesis_polarity(sentence: str, claim: str) -> int:
    """+1 when an opinion clause states the claim, -1 when it states its negation, 0 otherwise.

    Only the clause that holds the modal ("should", "must", "deserve"...) counts,
    so "X should not get back together, and a radio studio is the last place to
    decide it" is read as the claim negated.
    """
    clause = modal_clause(sentence)
    if clause is None:
        return 0
    neg_s = len(_NEGATED.findall(clause)) % 2
    neg_c = len(_NEGATED.findall(claim)) % 2
    same = neg_s == neg_c
    a, b = modal_action(clause), modal_action(claim)
    if a and b and a in _OPPOSITE.get(b, ()):   # "should close the branch" vs "should keep it open"
        same = not same
    elif a and (a in _REFUSING) != (b in _REFUSING) and not (b and action_relation(a, b)):
        same = not same     # "the wind farm should be voted against" vs "the wind farm should be built"
    return 1 if same else -1


def _votes_on_the_action(act: str, want: str, clause: str) -> bool:
    """"The all-day ban should be voted for" on a claim that the board should ban phones: a vote for (or
    against) the very thing the claim's action names."""
    return (act in _SUPPORTING or act in _REFUSING) and re.search(
        r"\b" + re.escape(want.split()[0]) + r"\b", clause, re.I) is not None


# actions that back the thing they name: a clause calling for one argues for a claim that the thing happen
_SUPPORTING = frozenset(("vote for", "support", "back", "approve", "endorse", "pass", "adopt"))
# actions that refuse the thing they name: a clause calling for one argues against a claim that the thing happen
_REFUSING = frozenset(("vote against", "oppose", "reject", "refuse", "block", "veto", "deny", "turn down"))


def calls_for_refusal(text: str) -> bool:
    """Does the modal clause call for refusing something ("should refuse the wind farm", "must turn it down")?"""
    m = _AFTER_MODAL.search(text)
    if not m:
        return False
    words = " ".join(_base_words(m.group(1)))
    return any(words == r or words.startswith(r + " ") for r in _REFUSING)


def _opposites() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for key, others in load_map("opposite_actions").items():
        for other in others:
            out.setdefault(key, set()).add(other)
            out.setdefault(other, set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}


_OPPOSITE = _opposites()
_FIRST_WORDS = frozenset(k.split()[0] for k in _OPPOSITE)   # "vote" of "vote for"
_AFTER_MODAL = re.compile(
    r"\b(?:should|must|ought to|need(?:s)? to|ha(?:ve|s) to)\s+(?:not\s+|never\s+|n't\s+)?(?:be\s+)?"
    r"([a-z]+(?:\s+[a-z]+){0,3})", re.I)
_PARTICIPLES = {"built": "build", "sold": "sell", "kept": "keep", "shut": "shut", "cut": "cut", "let": "let",
                "given": "give", "split": "split", "left": "leave", "gone": "go", "forgiven": "forgive",
                "sent": "send", "held": "hold", "brought": "bring", "paid": "pay", "made": "make", "taken": "take"}


def base_form(word: str) -> str:
    """A verb after a modal or in a passive, in the form the opposites list uses ("scrapped" -> "scrap")."""
    w = word.lower()
    if w in _PARTICIPLES:
        return _PARTICIPLES[w]
    if w.endswith("ed") and w not in _FIRST_WORDS:
        for cand in (w[:-2], w[:-1], w[:-3] if len(w) > 4 and w[-3] == w[-4] else None):
            if cand and cand in _FIRST_WORDS:
                return cand
    return w


def _base_words(words: str) -> list[str]:
    """The lower-cased words after a modal, the first verb in base form ("Rejected the plan" -> reject the plan)."""
    ws = words.lower().split()
    return [base_form(ws[0])] + ws[1:] if ws else ws


def modal_action(text: str) -> str | None:
    """The action a modal clause calls for, as listed in ``lexicon/opposite_actions.txt``:
    the longest listed phrase that the words after the modal start with."""
    m = _AFTER_MODAL.search(text)
    return listed_action(m.group(1)) if m else None


def listed_action(words: str) -> str | None:
    """The longest phrase of ``lexicon/opposite_actions.txt`` that ``words`` start with, the first verb in base form
    ("scrapped the plan" -> "scrap")."""
    ws = _base_words(words)
    if not ws:
        return None
    for n in range(len(ws), 0, -1):
        phrase = " ".join(ws[:n])
        if phrase in _OPPOSITE:
            return phrase
    return None


def action_relation(a: str, b: str) -> int:
    """+1 when action ``a`` does what ``b`` does, -1 when it undoes it, 0 when the list cannot tell. Two actions
    that undo the same thing go one way ("end" and "stop funding" both undo "keep")."""
    if a == b:
        return 1
    if a in _OPPOSITE.get(b, ()):
        return -1
    return 1 if _OPPOSITE.get(a, frozenset()) & _OPPOSITE.get(b, frozenset()) else 0


# --- verdicts on the story's decision ---------------------------------------------------------------------------
# A story about a decision ("the cabinet voted to end funding") is argued as a verdict on it ("the council got it
# wrong", "made the right decision", "should overturn the cut"): the verdict's side is the decision's side toward
# the claim, turned round when the verdict is that the decision was wrong. Words: lexicon/decision_verdicts.txt.
DECISION_THESIS_SIM = 0.75   # the weight apply_theses gives such a verdict (an explicit thesis restating the
                             # claim more closely than this still wins); set before any measurement


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _decision_patterns() -> tuple[re.Pattern, list[tuple[re.Pattern, int]]]:
    lex = load_map("decision_verdicts")
    decided, noun, right, wrong, undo = (_alt(lex[k]) for k in ("decided", "decision", "right", "wrong", "undo"))
    det = r"(?:the|this|that|its|their|our|last\s+\w+'s|\w+'s)"
    judged = rf"(?:(?P<right>{right})|(?P<wrong>{wrong}))"
    # "voted to keep", "voted on Tuesday to keep", "voted 7-2 not to close" (not "a decision on whether to close")
    taken = re.compile(rf"\b(?:{decided})(?:\s+(?!whether\b|if\b|how\b|what\b)[\w-]+){{0,3}}?\s+(?P<neg>not\s+)?to\s+(?P<act>[a-z]+(?:\s+[a-z]+){{0,3}})",
                       re.I)
    verdicts = [
        # "made the right decision", "took a bad decision"
        (re.compile(rf"\b(?:made|makes|took|takes|reached)\s+(?:a|an|the)\s+{judged}\s+(?:{noun})\b", re.I), 1),
        # "the council got it wrong"
        (re.compile(r"\bgot\s+it\s+(?:(?P<right>right)|(?P<wrong>wrong))\b", re.I), 1),
        # "the board was right to wait", "they were not wrong to close it" (not "she is right to be careful")
        (re.compile(rf"\b(?:was|were|is|are)\s+(?P<neg>not\s+)?{judged}\s+to\s+(?!be\b)[a-z]+", re.I), 1),
        # "last Wednesday's vote was the right one", "the cut is a terrible mistake"
        (re.compile(rf"\b{det}\s+(?:{noun})\s+(?:was|is|will\s+be|would\s+be|has\s+been)\s+(?P<neg>not\s+)?"
                    rf"(?:(?:a|an|the|simply|clearly|plainly|just|big|terrible|serious|grave)\s+)*{judged}\b", re.I), 1),
        # "the full council should overturn the cut", "the board must think again"
        (re.compile(rf"\b(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to)\s+(?P<neg>not\s+)?(?:now\s+)?"
                    rf"(?:(?:{undo})\s+{det}\s+(?:[a-z]+\s+)?(?:{noun})\b|think\s+again|rethink|reconsider)", re.I), -1),
    ]
    return taken, verdicts


def decision_verdict(sentence: str) -> int:
    """+1 when the sentence calls the decision right, -1 when wrong (or says it should be undone), 0 otherwise."""
    if sentence.rstrip(" \"'\u201d\u2019)").endswith("?"):
        return 0
    total = 0
    for pattern, sign in _decision_patterns()[1]:
        for m in pattern.finditer(sentence):
            groups = m.groupdict()
            s = sign * (-1 if groups.get("wrong") else 1)
            total += -s if groups.get("neg") else s
    return (total > 0) - (total < 0)


def story_decision(sentences: list[str], claim: str, embed, min_sim: float = 0.4) -> int:
    """The side the story's decision took toward the claim: +1 when what was decided ("voted to end funding for
    the ferry") is what the claim asks ("should stop funding the ferry"), -1 when it is the opposite ("voted to
    keep the elephants" against "should send its elephants"), 0 when there is none, the sentences disagree, or
    the action is not one the opposites list knows. A sentence counts when it is about the claim (cosine at
    least ``min_sim``)."""
    want = modal_action(claim)
    if want is None:
        return 0
    taken = _decision_patterns()[0]
    found = []
    for s in sentences:
        for m in taken.finditer(s):
            act = listed_action(m.group("act"))
            rel = action_relation(act, want) if act else 0
            if rel:
                found.append((s, -rel if m.group("neg") else rel))
    if not found:
        return 0
    sims = embed([s for s, _ in found]) @ embed([claim])[0]
    sides = {rel for (_, rel), sim in zip(found, sims) if sim >= min_sim}
    return sides.pop() if len(sides) == 1 else 0


THESIS_CE_MIN_SIM = 0.3   # a looser restatement ("they should give it another shot") ...
THESIS_CE_SURE = 0.9      # ... counts when the cross-encoder is this sure of its side
THESIS_ACTION_MIN_SIM = 0.45  # ... or, this close, when the opposites list says its action undoes the claim's
                              # ("the trusts should be kept apart" / "should merge"); set before any measurement


_PRONOUN = {"f": re.compile(r"\b(?:she|her(?!s))\b", re.I), "m": re.compile(r"\b(?:he|him|his)\b", re.I)}


def name_pronouns(clause: str, focal: str | None) -> str:
    """The article's main person written in for the pronouns of their gender ("the federation should clear her" ->
    "the federation should clear Imogen Thrale"), so that the clause is compared with a claim that names them;
    "her ban", "his return" take the possessive. Nothing is written in when the first name tells no gender."""
    gender = given_name_gender(focal.split()[0]) if focal else None
    if gender not in _PRONOUN:
        return clause

    def sub(m: re.Match) -> str:
        w = m.group(0).lower()
        nxt = clause[m.end():m.end() + 20]
        possessive = w == "his" or (w == "her" and re.match(r"\s+(?!and\b|or\b|to\b|back\b|a\b|the\b)[a-z]", nxt))
        return f"{focal}'s" if possessive else focal
    return _PRONOUN[gender].sub(sub, clause)


def find_theses(texts: list[str], voices: list[str], claim: str, embed, ce=None,
                focal: str | None = None) -> list[tuple[int, int, float]]:
    """The author's own statements of the claim or its negation: (sentence index, polarity, similarity).

    A modal clause close to the claim (cosine >= ``THESIS_MIN_SIM``) takes its side from
    negation ("should not"); a looser one counts, as the weakest thesis, when the opposites list
    says its action undoes the claim's or does the same ("clear her" and "lift the ban" both undo
    "uphold") (cosine >= ``THESIS_ACTION_MIN_SIM``: a sentence on the
    topic reads as "for" to a model, so the list is the better judge there), or else when a
    cross-encoder is given and sure which side the clause argues.
    """
    idx = [i for i, (t, v) in enumerate(zip(texts, voices)) if v == "author" and not t.rstrip().endswith("?")
           and thesis_polarity(t, claim) != 0 and not reports_someone(modal_clause(t) or t)
           and not _EMBEDDED_QUESTION.search(t)]
    if not idx:
        return []
    clauses = [name_pronouns(modal_clause(texts[i]) or texts[i], focal) for i in idx]
    sims = embed(clauses) @ embed([claim])[0]
    out = [(i, thesis_polarity(texts[i], claim), float(sim)) for i, sim in zip(idx, sims) if sim >= THESIS_MIN_SIM]
    want = modal_action(claim)
    related = {k for k, sim in enumerate(sims) if THESIS_ACTION_MIN_SIM <= sim < THESIS_MIN_SIM and want
               and (act := modal_action(clauses[k]))
               and (action_relation(act, want) != 0 or _votes_on_the_action(act, want, clauses[k]))}
    out += [(idx[k], thesis_polarity(texts[idx[k]], claim), THESIS_MIN_SIM) for k in sorted(related)]
    loose = [k for k, sim in enumerate(sims) if THESIS_CE_MIN_SIM <= sim < THESIS_MIN_SIM and k not in related]
    if ce is not None and loose:
        p = ce.prob_for(claim, [clauses[k] for k in loose])
        out += [(idx[k], 1 if pk > 0.5 else -1, THESIS_MIN_SIM) for k, pk in zip(loose, p)
                if max(pk, 1 - pk) >= THESIS_CE_SURE]
    return sorted(out)


# "a hearing into whether it should lose its licence": the question the story is about, asked, not answered
_EMBEDDED_QUESTION = re.compile(r"\bwhether\s+(?:or\s+not\s+)?[^,;.?!]{0,80}?\b(?:should|must|ought\s+to)\b", re.I)


def apply_theses(label: str, conf: float, theses: list[tuple[int, int, float]]) -> tuple[str, float]:
    """An explicit thesis in the author's voice decides an opinion piece's side.

    The document head was trained on news (FNC-1), where "disagree" means
    "debunks"; an op-ed that says "X should not happen" is the case it reads worst.
    Confidence grows with how closely the thesis restates the claim (0.6 → 0.55, 1.0 → 0.9).
    """
    pro = max((s for _, p, s in theses if p > 0), default=0.0)
    con = max((s for _, p, s in theses if p < 0), default=0.0)
    if abs(pro - con) < 0.05:
        return label, conf
    side, sim = ("for", pro) if pro > con else ("against", con)
    thesis_conf = 0.55 + 0.35 * (sim - THESIS_MIN_SIM) / (1 - THESIS_MIN_SIM)
    if side == label:
        return label, max(conf, thesis_conf)
    return side, thesis_conf


def to_label(doc_probs: np.ndarray) -> tuple[str, float]:
    """FNC [agree, disagree, discuss, unrelated] → Counterpoint (label, confidence)."""
    p = {"for": float(doc_probs[0]), "against": float(doc_probs[1]),
         "neutral": float(doc_probs[2] + doc_probs[3])}
    label = max(p, key=lambda k: (p[k], k == "neutral"))
    return label, p[label]


CE_TOP = 6          # sentences per article the cross-encoder reads: the most relevant, author's voice first
CE_MIN_WORDS = 4
POLARITY_MIX = 1.0  # document for/against split: head alpha, cross-encoder 1 - alpha; 1.0 = the head alone,
                    # chosen by training/select_polarity_mix.py (the cross-encoder added nothing there)


CE_ARGUMENT_MIN = 0.5  # ... and every author's sentence the argument model calls an argument this surely,
CE_ARGUMENT_MIN_RELEVANCE = 0.12  # (the arguments stage's own relevance floor)
CE_MAX = 24            # up to this many per article: the key points put these on a side


def cross_encoder_read(claim: str, model_texts: list[str], rel: np.ndarray, weights: np.ndarray,
                       ce, arg_probs: np.ndarray | None = None) -> tuple[list[int], np.ndarray]:
    """(sentence indices, P(for) of each) for the sentences the cross-encoder reads.

    The ``CE_TOP`` most relevant sentences (author's voice first) always; with ``arg_probs``,
    also the author's argument sentences (``CE_ARGUMENT_MIN``), most argumentative first,
    up to ``CE_MAX`` in all.
    """
    if ce is None:
        return [], np.zeros(0)
    wordy = [i for i, t in enumerate(model_texts) if len(t.split()) >= CE_MIN_WORDS]
    top = sorted(wordy, key=lambda i: (-round(float(rel[i] * weights[i]), 6), i))[:CE_TOP]
    if arg_probs is not None:
        chosen = set(top)
        args = [i for i in wordy if i not in chosen and weights[i] == 1.0 and arg_probs[i] >= CE_ARGUMENT_MIN
                and rel[i] >= CE_ARGUMENT_MIN_RELEVANCE]
        args.sort(key=lambda i: (-round(float(arg_probs[i] * rel[i]), 6), i))
        top += args[:max(0, CE_MAX - len(top))]
    idx = sorted(top)
    return idx, (ce.prob_for(claim, [model_texts[i] for i in idx]) if idx else np.zeros(0))


DOC_EVIDENCE = 3  # sentences the document cross-encoder reads with the claim


def document_evidence(model_texts: list[str], rel: np.ndarray, weights: np.ndarray) -> str:
    """What the document cross-encoder reads: the article's ``DOC_EVIDENCE`` most relevant
    sentences (relevance x voice weight, at least 4 words), in text order, joined."""
    wordy = [i for i, t in enumerate(model_texts) if len(t.split()) >= CE_MIN_WORDS] or list(range(len(model_texts)))
    top = sorted(wordy, key=lambda i: (-round(float(rel[i] * weights[i]), 6), i))[:DOC_EVIDENCE]
    return " ".join(model_texts[i].strip() for i in sorted(top))


def cross_encoder_split(probs: np.ndarray, rel: np.ndarray, weights: np.ndarray, idx: list[int],
                        p_for: np.ndarray) -> tuple[np.ndarray, float]:
    """Sentence probs with the read sentences' for/against mass split by the cross-encoder,
    and the document's polarity q: those sentences' P(for), weighted by relevance, voice
    and how much each takes a side."""
    probs = probs.copy()
    take = probs[idx, 0] + probs[idx, 1]
    probs[idx, 0], probs[idx, 1] = take * p_for, take * (1 - p_for)
    w = rel[idx] * weights[idx] * take
    q = float((w * p_for).sum() / w.sum()) if w.sum() > 1e-9 else 0.5
    return probs, q


def article_stance(texts: list[str], voices: list[str], claim: str, model, ce=None, embed=None,
                   arg_probs: np.ndarray | None = None, doc_ce=None, stated=(), decision: int = 0,
                   focal: str | None = None):
    """Everything the stance of one article rests on, from its sentences alone.

    Returns (sentence probs [for, against, neutral], relevance, FNC document probs,
    label, confidence, theses). The sentence head decides how much a sentence takes a
    side; the cross-encoder, where it read the sentence, which side. The document's
    stance-taking mass is split between the document head and the cross-encoder's
    relevance-weighted reading (``POLARITY_MIX``); an explicit thesis in the author's
    voice has the last word (``apply_theses``) — so have the propositions it states otherwise (``stated``: (sentence
    index, proposition) pairs; the headline's ``headline_thesis`` gets the index -1, an imperative of the body
    (``body_imperatives``) its sentence's). With the story's ``decision``
    (``story_decision``), the author's verdicts on it are theses too.
    """
    model_texts = [stance_text(t) for t in texts]
    weights = np.array([REPORTED_WEIGHT if v == "reported" else 1.0 for v in voices], dtype=np.float32)
    if texts:
        probs = np.array(model.sentence_probs(claim, model_texts), dtype=float)
        rel = np.asarray(model.relevance(claim, model_texts), dtype=float)
    else:
        probs, rel = np.zeros((0, 3)), np.zeros(0)
    dprobs = np.asarray(model.document_probs(claim, model_texts, weights if texts else None), dtype=float)
    if doc_ce is not None and texts:
        split = doc_ce.probs(claim, [document_evidence(model_texts, rel, weights)])[0]
        dprobs = mix_related(dprobs, split, float(doc_ce.meta.get("mix_beta", 1.0)))
    idx, p_for = cross_encoder_read(claim, model_texts, rel, weights, ce, arg_probs)
    if idx:
        probs, q = cross_encoder_split(probs, rel, weights, idx, p_for)
        dprobs = mix_polarity(dprobs, q, POLARITY_MIX)
    label, conf = to_label(dprobs)
    theses = find_theses(texts, list(voices), claim, embed, ce, focal) if embed is not None and texts else []
    if stated and embed is not None and texts:
        found = find_theses([p for _, p in stated], ["author"] * len(stated), claim, embed, ce, focal)
        theses += [(stated[k][0], pol, sim) for k, pol, sim in found]
    if decision:
        theses += [(i, v * decision, DECISION_THESIS_SIM) for i, (t, vo) in enumerate(zip(texts, voices))
                   if vo == "author" and (v := decision_verdict(t))]
        theses.sort()
    label, conf = apply_theses(label, conf, theses)
    if _NORMATIVE.search(claim) and not theses:
        if label != "neutral" and reports_only(texts, voices):
            # what should be done is a matter of opinion, and a report that never speaks for its author gives none
            label, conf = "neutral", max(float(dprobs[2] + dprobs[3]), 0.5)
        elif label == "neutral" and argues(texts, voices):
            # an author arguing in their own voice takes a side: "neutral" is for reports, not for doubt
            side = 0 if dprobs[0] >= dprobs[1] else 1
            label = ("for", "against")[side]
            conf = float(dprobs[side] / max(dprobs[0] + dprobs[1], 1e-9))
    return probs, rel, dprobs, label, conf, theses


_NORMATIVE = re.compile(r"\b(?:should|must|ought to|needs? to|ha(?:s|ve) to|deserves?)\b", re.I)
# "I", "my", "me" outside quotes: a newsroom says "we" ("We'll update this roundup"), an opinion says "I"
_FIRST_SINGULAR = re.compile(r"\b(?:I|[Mm]y|me)\b")


# what the author thinks ought to happen, or a verdict on it ("is a bad idea", "would be a mistake"); "must" and
# "need to" also tell rules ("must sign up in advance"), so they do not count
_JUDGING_MODAL = re.compile(r"\b(?:should|ought to|deserves?)\b", re.I)


@lru_cache(maxsize=1)
def _verdict() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, load_words("verdict_words")), key=len, reverse=True))
    return re.compile(r"\b(?:is|are|was|were|would be|will be|be)\s+(?:not\s+)?(?:(?:a|an|the|just|simply|"
                      r"plainly|clearly|really)\s+)*(?:[a-z]+\s+)?(?:" + words + r")\b", re.I)


def judges(sentence: str) -> bool:
    """The sentence says, in the author's words, what should be or what something is worth ("It should be built
    this year", "The plan is a bad idea"), and reports nobody saying it."""
    if not (_JUDGING_MODAL.search(sentence) or _verdict().search(sentence)):
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", sentence)}
    return not (words & _reporting_forms())


@lru_cache(maxsize=1)
def _reporting_forms() -> frozenset[str]:
    out = set()
    for v in load_words("reporting_verbs"):
        out |= {v, v + "s", v + "ed", v + "d", v[:-1] + "ied" if v.endswith("y") else v}
    # irregular past forms of the list's verbs
    return frozenset(out | {"said", "told", "according", "wrote", "written", "thought", "spoke", "spoken", "felt"})


_QUOTED_PART = re.compile(r"[\u201c\"][^\u201d\"]*(?:[\u201d\"]|$)")
# a sentence that opens inside a quote begun in the sentence before ("I would like this council to prove her
# right," said Joel Amsden, 37, ...): the words up to the closing mark are the speaker's
_QUOTE_TAIL = re.compile(r"^[^\u201c\u201d\"]*?[,.;:?!\u2014-]\s*[\u201d\"](?=\s|$)")


def unquoted(sentence: str) -> str:
    """The author's own words of a sentence: what stands inside quotation marks blanked."""
    return _QUOTED_PART.sub(" ", _QUOTE_TAIL.sub(" ", sentence))


def _author_voice(texts: list[str], voices: list[str]) -> tuple[int, int, int, int]:
    """(author's sentences, those in the first person singular, those that are questions, those that say what
    ought to be)."""
    # what stands inside quotation marks in a sentence of the author's ("“I'd listen,” she said") is somebody else's
    author = [unquoted(t) for t, v in zip(texts, voices) if v == "author"]
    first = sum(1 for t in author if _FIRST_SINGULAR.search(t))
    asks = sum(1 for t in author if t.rstrip(" \"'\u201d\u2019)").endswith("?"))
    judging = sum(1 for t in author if judges(t))
    return len(author), first, asks, judging


_ANSWER = re.compile(r"\b(?:my|our|the)\s+answer\s+(?:is|was|remains)\s*[:,]?\s*(?:a\s+(?:simple|plain|firm)\s+)?"
                     r"[\"'\u201c\u2018]?(no|yes)\b", re.I)
_WHETHER = re.compile(r"\bwhether\s+(?:or\s+not\s+)?(?:(.{2,80}?)\s+(should|must|will|ought to)\s+|to\s+)(.+?)[.?!]*$",
                      re.I)
_SHOULD_QUESTION = re.compile(r"^(?:so,?\s+)?(should|must)\s+.{2,200}\?$", re.I)


def _should_question(q: str, nlp) -> tuple[str, str, str] | None:
    """"Should the council rename the library?" -> ("should", "the council", "rename the library")."""
    if nlp is None or not _SHOULD_QUESTION.search(q):
        return None
    doc = nlp(q)
    subj = next((t for t in doc if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    left, right = subj.left_edge.i, subj.right_edge.i + 1
    modal = next((t.text.lower() for t in doc[:left] if t.lower_ in ("should", "must")), None)
    rest = doc[right:].text.rstrip(" ?")
    return (modal, doc[left:right].text, rest) if modal and rest else None


_THE_NOUN = re.compile(r"\b[Tt]he\s+(?:[A-Z][\w'\u2019-]*\s+)*[a-z]+\b")
_QUESTION_NOUNS = frozenset(("question", "issue", "matter", "point", "debate", "choice", "decision", "answer", "vote"))


def _asked_of(before: str) -> str:
    """Who a question "whether to ..." is put to, from the words before it: "The question in front of the
    council is" -> "the council", "The board must decide" -> "The board"; "It" when nobody is named."""
    found = [m.group(0) for m in _THE_NOUN.finditer(before) if m.group(0).split()[-1] not in _QUESTION_NOUNS]
    return found[-1] if found else "It"


def answered_questions(texts: list[str], voices: list[str], nlp=None) -> list[tuple[int, str]]:
    """The author's yes or no to the story's question, as a proposition: "The question in front of the council is
    whether to rename the library ... My answer is no" -> (the answer's index, "The council should not rename the
    library ..."; "It" when nobody is named before "whether"); "Should the council rename the library? ... The
    answer is yes" -> "The council should rename the library ...". The question is looked for in the six sentences
    before the answer."""
    out = []
    for i, (t, v) in enumerate(zip(texts, voices)):
        m = _ANSWER.search(t) if v == "author" else None
        if not m:
            continue
        no = m.group(1).lower() == "no"
        for j in range(i, max(-1, i - 7), -1):
            q = texts[j] if j < i else t[:m.start()]
            w = _WHETHER.search(q.strip())
            sq = _should_question(q.strip(), nlp) if not w else None
            if w:
                subject, modal, rest = (w.group(1) or _asked_of(q[:w.start()])), (w.group(2) or "should"), w.group(3)
            elif sq:
                modal, subject, rest = sq
            else:
                continue
            out.append((i, f"{subject[:1].upper()}{subject[1:]} {modal}{' not' if no else ''} {rest.rstrip(' ?.')}."))
            break
    return out


def argues(texts: list[str], voices: list[str]) -> bool:
    """The author argues in their own voice: two sentences or more of the author's own in the first person
    singular, two questions or more put to the reader, or two verdicts or "should"s of the author's own (an op-ed,
    a column, a campaign blog, an unsigned editorial)."""
    _, first, asks, judging = _author_voice(texts, voices)
    return first >= 2 or asks >= 2 or judging >= 2


def reports_only(texts: list[str], voices: list[str]) -> bool:
    """The author reports and never argues: no sentence of the author's own in the first person singular nor
    saying what should be, and at most one question (a news report, a brief, a roundup), over at least three
    sentences."""
    n, first, asks, judging = _author_voice(texts, voices)
    return n >= 3 and first == 0 and judging == 0 and asks <= 1


def headline_thesis(title: str | None, nlp=None) -> str | None:
    """The proposition an article's own headline argues ("Keep them in Brannock" -> "The posts should be kept in
    Brannock."); None for a headline that reports someone else's words or states nothing."""
    if not title:
        return None
    prop, reported = headline_proposition(title)
    if reported:
        return None
    if prop is None and nlp is not None and not _NOT_A_PROPOSITION.search(title):
        # "Sixty boats, one message: keep the Rushby ferry", "Our view: Let them retire": what follows the colon
        for part in dict.fromkeys([title, title.rsplit(":", 1)[-1]]):
            part = " ".join(part.split())
            if part:
                prop = imperative_proposition(nlp(part[0].upper() + part[1:]))
            if prop:
                break
    return prop


# "... tell the health authority what the town knows: keep the trusts apart", "So send them home."
_IMPERATIVE_START = re.compile(r"(?:^|[:\u2014]\s+)(?:(?:so|and|now|please|just)\s*,?\s+)?([A-Za-z]+)\b", re.I)


def body_imperatives(texts: list[str], voices: list[str], nlp) -> list[tuple[int, str]]:
    """(sentence index, proposition) for the author's sentences that tell the reader to do an action the opposites
    list knows, at the start or after a colon ("... what Ashcombe already knows: keep the trusts apart" -> "The
    trusts should be kept apart."). Only those sentences are parsed again."""
    out = []
    if nlp is None:
        return out
    for i, (t, v) in enumerate(zip(texts, voices)):
        t = t.strip()
        if v != "author" or t.endswith("?"):
            continue
        for m in _IMPERATIVE_START.finditer(t):
            part = t[m.start(1):]
            if listed_action(" ".join(re.findall(r"[A-Za-z]+", part)[:4])) is None:   # "vote for", "send back"
                continue
            prop = imperative_proposition(nlp(part[0].upper() + part[1:]))
            if prop:
                out.append((i, prop))
                break
    return out


# An article is about something else when both hold (the 15 held-out stories, claim given or proposed: the four such
# items score 0.17-0.31 and 0.15-0.40, every other article at least 0.58 on one and 0.70 on the other):
OFF_TOPIC_RELEVANCE = 0.5   # the mean relevance of its three sentences closest to the claim is below this, and
OFF_TOPIC_SIMILARITY = 0.55  # its mean sentence vector is further than this from the other articles' mean


def article_vectors(story: Story, spans, res) -> dict[str, np.ndarray]:
    """Each article's mean sentence vector, unit length (the language stage's vectors, from the memo)."""
    out = {}
    for art, sp in zip(story.articles, spans):
        if sp:
            v = np.asarray(res.embed([art.text[a:b] for a, b in sp]), dtype=np.float64).mean(axis=0)
            n = np.linalg.norm(v)
            if n > 0:
                out[art.id] = v / n
    return out


def off_topic(relevance: dict[str, Sequence[float]], vectors: dict[str, np.ndarray] | None = None) -> set[str]:
    """Articles about something else: the mean relevance of their three most relevant sentences is below
    ``OFF_TOPIC_RELEVANCE`` and, with ``vectors``, their mean sentence vector is less similar than
    ``OFF_TOPIC_SIMILARITY`` to the other articles' mean. Never every article (then it is the claim that is off)."""
    top = {d: float(np.mean(sorted(map(float, r), reverse=True)[:3])) for d, r in relevance.items() if len(r)}
    out = {d for d, v in top.items() if v < OFF_TOPIC_RELEVANCE}
    if vectors is not None and len(vectors) > 1:
        def apart(d: str) -> bool:
            if d not in vectors:
                return False
            rest = np.sum([v for k, v in vectors.items() if k != d], axis=0)
            n = np.linalg.norm(rest)
            return n > 0 and float(vectors[d] @ rest / n) < OFF_TOPIC_SIMILARITY
        out = {d for d in out if apart(d)}
    return out if len(out) < len(top) else set()


def score_article(art: Article, spans, voices, claim: str, model, embed=None, ce=None, argument_model=None,
                  doc_ce=None, stated=(), decision: int = 0, focal: str | None = None):
    texts = [art.text[a:b] for a, b in spans]
    weights = np.array([REPORTED_WEIGHT if v == "reported" else 1.0 for v in voices], dtype=np.float32)
    arg_probs = (np.asarray(argument_model.probs(texts), dtype=float)
                 if ce is not None and argument_model is not None and texts else None)
    probs, rel, _, label, conf, theses = article_stance(texts, list(voices), claim, model, ce, embed, arg_probs,
                                                        doc_ce, stated, decision, focal)
    theses = [t for t in theses if t[0] >= 0]   # the headline is no sentence of the text
    stances = []
    for (a, b), text, p, r, v in zip(spans, texts, probs, rel, voices):
        j = int(np.argmax(p))
        stances.append(SentenceStance(
            doc=art.id, start=a, end=b, text=text, label=("for", "against", "neutral")[j],
            score=round(float(p[j]), 4), p_for=round(float(p[0]), 4), p_against=round(float(p[1]), 4),
            relevance=round(float(np.clip(r, 0, 1)), 4), voice=v,
        ))
    for i, pol, _ in theses:
        # a sentence that states the claim or its negation argues that side, whatever the sentence model read
        # ("Keep the name of the library." against renaming it)
        if i < 0 or i >= len(stances) or voices[i] != "author":
            continue
        st = stances[i]
        hi, lo = max(st.p_for, st.p_against), min(st.p_for, st.p_against)
        pf, pa = (hi, lo) if pol > 0 else (lo, hi)
        stances[i] = st.model_copy(update={"p_for": pf, "p_against": pa, "label": "for" if pol > 0 else "against",
                                           "score": max(pf, pa)})
    if theses and label != "neutral":  # the thesis itself is the first evidence
        top = max((t for t in theses if (t[1] > 0) == (label == "for")), key=lambda t: t[2], default=None)
        if top is not None:
            i = top[0]
            stances[i] = stances[i].model_copy(update={"label": label, "score": round(max(stances[i].score, conf), 4)})
    doc = DocStance(doc=art.id, label=label, confidence=round(float(np.clip(conf, 0, 1)), 4),
                    evidence=choose_evidence(stances, weights, label))
    return stances, doc


def main_people(story: Story) -> dict[str, str]:
    """Each article's main person: the person of the cast it names most often (at least twice, and more often than
    anyone else)."""
    people = {c.id: c.name for c in story.cast if c.kind == "person"}
    counts: dict[str, dict[str, int]] = {}
    for m in story.mentions:
        if m.member in people:
            per = counts.setdefault(m.doc, {})
            per[m.member] = per.get(m.member, 0) + 1
    out = {}
    for doc, per in counts.items():
        ranked = sorted(per.items(), key=lambda kv: -kv[1])
        if ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            out[doc] = people[ranked[0][0]]
    return out


def run(story: Story, res) -> Story:
    spans, voices = [], []
    for art in story.articles:
        sp = sentence_spans(art, story.annotations.get(art.id))
        qspans = [(q.start, q.end) for q in story.quotes if q.doc == art.id]
        mask = quoted_mask(art.text, qspans)
        spans.append(sp)
        voices.append([voice_of(mask, a, b) for a, b in sp])
    # each headline parsed once: a claim candidate, and its article's thesis
    nlp = getattr(res, "nlp", None)
    headlines = [headline_thesis(art.title, nlp) for art in story.articles]
    # each article's mean sentence vector: whether it is about something else (with and after the claim)
    vectors = article_vectors(story, spans, res) if len(story.articles) > 1 else {}
    if story.claim_text and story.claim_text.strip():
        claim = Claim(text=story.claim_text.strip(), origin="user")
    else:
        texts = [[art.text[a:b] for a, b in sp] for art, sp in zip(story.articles, spans)]
        cands = claim_candidates(story.articles, texts, voices, headlines)
        claim = propose_claim(cands, res.embed)
        if claim is not None and len(story.articles) > 1:
            # an item about something else (the second story of a roundup) proposes no claim and no alternative
            away = off_topic({art.id: res.stance_model.relevance(claim.text, [stance_text(t) for t in ts])
                              for art, ts in zip(story.articles, texts) if ts}, vectors)
            gone = {i for i, art in enumerate(story.articles) if art.id in away}
            if gone and any(d in gone for _, _, d in cands):
                claim = propose_claim([c for c in cands if c[2] not in gone], res.embed) or claim
        if claim is None:
            hint = story.title_hint or next((a.title for a in story.articles if a.title), None)
            claim = Claim(text=to_proposition(hint), origin="auto") if hint else None
    if claim is None or not story.articles:
        return story.model_copy(update={"claim": claim, "sentence_stances": (), "stances": {}})
    model = res.stance_model
    ce = getattr(res, "stance_cross_encoder", None)
    argmodel = getattr(res, "argument_model", None)
    doc_ce = getattr(res, "stance_doc_cross_encoder", None)
    # the language stage encoded whole sentences; what is left (clauses after a concession) goes in one call
    res.embed([stance_text(art.text[a:b]) for art, sp in zip(story.articles, spans) for a, b in sp])
    decision = story_decision([art.text[a:b] for art, sp in zip(story.articles, spans) for a, b in sp]
                              + [art.title for art in story.articles if art.title], claim.text, res.embed)
    focal = main_people(story)
    all_stances: list[SentenceStance] = []
    docs: dict[str, DocStance] = {}
    for art, sp, vo, head in zip(story.articles, spans, voices, headlines):
        body = [art.text[a:b] for a, b in sp]
        stated = ([(-1, head)] if head else []) + body_imperatives(body, vo, nlp) + answered_questions(body, vo, nlp)
        st, doc = score_article(art, sp, vo, claim.text, model, res.embed, ce, argmodel, doc_ce, stated, decision,
                                focal.get(art.id))
        all_stances.extend(st)
        docs[art.id] = doc
    relevance: dict[str, list[float]] = {}
    for sst in all_stances:
        relevance.setdefault(sst.doc, []).append(sst.relevance)
    away = off_topic(relevance, vectors) if len(story.articles) > 1 else set()
    return story.model_copy(update={
        "claim": claim, "sentence_stances": tuple(all_stances), "stances": docs,
        "off_topic": tuple(a.id for a in story.articles if a.id in away),
    })
