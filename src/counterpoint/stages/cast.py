"""Cast: the people, organisations, places and works of a story, merged across documents.

Per article (a map) named-entity spans are cleaned into name mentions; across
articles (a reduce) they are grouped by a normalised key (accents and case
folded), single names are attached to the one full name that carries them,
and a rare spelling one or two letters away from a well-attested name is
merged into it and remembered as a variant (the checks stage reports it).
Kept apart: a family ("the Castillos") from its members, a show or book named
after someone from the person, a description ("a former Pioneer") from names.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicon import given_name_gender, load_map, load_words, title_gender
from ..model import Annotation, Article, CastMember, DocCount, Entity, Mention, Story

REQUIRES = ("articles", "annotations")
PROVIDES = ("cast", "mentions")

KIND_OF_LABEL = {
    "PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
    "FAC": "place", "WORK_OF_ART": "work",
    # the small model often files a surname under these; they can still join a person
    "LAW": "other", "PRODUCT": "other", "EVENT": "other",
}
_APOS = "'’"
_PLACE_ENDINGS = frozenset({"city", "town", "county", "state", "street", "avenue", "park"})
_NICK = re.compile(
    r"\b([A-Z][\w’'.-]+)\s+[\"“‘']([A-Z][\w’'.-]*)[\"”’']\s+([A-Z][\w’'-]+)"
)
_NAME_PARTICLES = frozenset({"de", "van", "von", "da", "di", "la", "le", "bin", "al"})
_NAME_JOINERS = frozenset({"of", "the", "and", "for", "on", "in", "at", "upon"})
_WORD = re.compile(r"[^\W\d_][\w’'.-]*", re.UNICODE)
# a title in quotation marks: capitalised words (minor words allowed), at most eight
_CAMPAIGN = re.compile(r"\b(Save|Stop|Protect|Keep|Scrap|Hands Off)\s+((?:the\s+)?[A-Z][\w&’'-]*"
                       r"(?:(?:[ ](?:of|the|and|&))*[ ][A-Z][\w&’'-]*){0,5})")
_TITLE = re.compile(r"[“\"‘]((?:[A-Z][\w’'-]*)(?:[ ](?:[A-Z][\w’'-]*|a|an|the|and|or|of|in|on|at|to|for|with|by|from)){0,7})[,.]?[”\"’]")


@dataclass
class NameMention:
    doc: str
    start: int
    end: int
    name: str          # cleaned form: no title, no possessive, no headline words
    kind: str
    nickname: str | None = None
    place_cue: bool = False   # filed as a place because a place preposition stands before it
    group_cue: bool = False   # filed as an organisation because a group noun stands before it ("trio Copper Vane")
    title: str | None = None  # the title written right before it ("cllr" for "Cllr Rooke"), lower case
    quoted: bool = False      # inside quotation marks: somebody's words, not the article's
    after_the: bool = False   # "the Lady Agnes" (a boat), "the Duke of York" (a pub): a title after "the" names a thing


@dataclass
class Group:
    key: str
    names: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    mentions: list = field(default_factory=list)
    nicknames: set = field(default_factory=set)
    variants: list = field(default_factory=list)   # (surface, doc)
    titled: str | None = None         # "mrs" for the "Mrs. Bennet" split from a "Mr. Bennet" (split_titled_pairs)
    surname_of_person: bool = False   # its last word alone names a person elsewhere ("Iruka said")
    place_stem: bool = False          # one word opening several organisations' names ("Kilncote District Council")

    @property
    def docs(self) -> set[str]:
        return {m.doc for m in self.mentions}

    @property
    def kind(self) -> str:
        if not self.kinds:
            return "other"
        # names are misfiled as ORG or GPE far more often than the reverse, and
        # LAW/PRODUCT/EVENT ("other") labels on a name are mostly noise
        last = self.key.split()[-1] if self.key else ""
        if last in load_words("work_words") and self.ntokens > 1:
            return "work"  # "The Gil Porter Show" is not Gil Porter
        if self.kinds.get("work", 0) >= 2 and self.kinds["work"] == sum(self.kinds.values()):
            return "work"  # a report's title each time it is written ("Interim Findings on Westmere Water")
        titles = load_words("personal_titles")
        titled = sum(1 for m in self.mentions if not m.after_the and (
            m.title in titles or m.name.split()[0].lower().rstrip(".") in titles))
        if titled * 2 > len(self.mentions):
            return "person"   # "asked Mrs. Hall", "Mr. Wood said": a title only a person carries, most times
        if last in load_words("not_person_words"):
            # "Rose City" filed mostly as a place stays one; otherwise such a name is an organisation
            if last in _PLACE_ENDINGS and self.kinds.get("place", 0) > self.kinds.get("organization", 0):
                return "place"
            return "organization"
        words = self.key.split()
        if len(words) > 2 and words[1] == "of" and words[0] in load_words("not_person_words"):
            return "organization"   # "University of Kilncote", "Bank of England"
        if (len(words) > 2 and {"for", "of"} & set(words[1:-1]) and set(words) & load_words("not_person_words")
                and not self.kinds.get("place")):
            return "organization"   # "Wrenfield Prize for Food Writing" (not "United States of America")
        if self.place_stem:
            return "place"
        if 2 <= self.ntokens <= 3:
            # the full name written out is what says who this is: "Imogen Thrale", a person five times out of five,
            # stays a person though "Thrale" alone was filed as an organisation nineteen times
            own = Counter(m.kind for m in self.mentions if len(m.name.split()) > 1)
            if own.get("person", 0) * 2 > sum(own.values()) and own.get("person", 0) >= 2:
                return "person"
        if self.surname_of_person and self.kinds.get("person", 0):
            return "person"   # "Tevane Iruka" filed as a place twice, once as a person; "Iruka" is a person
        voted = sum(v for k, v in self.kinds.items() if k != "other")
        cues = sum(m.place_cue for m in self.mentions)
        # once a place preposition stands before it ("on Carrow Ridge"), place labels need not be outnumbered 3:1
        if cues and self.kinds.get("place", 0) >= self.kinds.get("person", 0):
            return "place"
        # nor organisation labels, once a group noun stands before it ("the consultants Harland Moore")
        if any(m.group_cue for m in self.mentions) and self.kinds.get("organization", 0) >= self.kinds.get("person", 0):
            return "organization"
        if self.kinds.get("person", 0) and self.kinds.get("person", 0) * 3 >= voted:
            return "person"
        top = max(self.kinds.values())
        for k in ("person", "organization", "work", "place"):
            if self.kinds.get(k) == top:
                return k
        return "other"

    @property
    def ntokens(self) -> int:
        return len(self.key.split())


# --- pure helpers -------------------------------------------------------------

def fold_name(name: str) -> str:
    """Comparison key: accents, case, apostrophe style and spacing folded."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("’", "'").replace("‘", "'").lower()
    return " ".join(s.split())


@lru_cache(maxsize=65536)
def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


_FAMILY_AFTER = re.compile(r"\s+family\b", re.I)
_INNER_POSSESSIVE = re.compile(r"['\u2019]s((?: [A-Z][a-z]+){1,2})\b")


def _capitalised_run(text: str, words: list[tuple[int, int]]) -> bool:
    return all(text[a].isupper() for a, _ in words)


def clean_name(text: str, start: int, end: int, label: str = "PERSON") -> tuple[int, int] | None:
    """Trim an entity span to the name itself, or None when it is noise.

    Drops a leading article and honorifics, a possessive, and title-case
    headline words fused onto the end ("Lamar Odom Says").
    """
    honorifics = load_words("honorifics")
    headline = load_words("headline_words")
    if label != "PERSON":
        # "the Teague Children's Wing": a possessive inside an organisation's or a place's name, the recogniser
        # having stopped at it
        at = end - 2 if text[end - 2:end] in ("'s", "\u2019s") else end    # the recogniser took the 's, or not
        m = _INNER_POSSESSIVE.match(text, at)
        owner = re.findall(r"\w+", text[start:at])
        if m and m.group(1).split()[-1].lower() in load_words("not_person_words") and not (
                owner and owner[-1].lower() in load_words("not_person_words")):
            end = m.end()     # (an organisation's possessive is an owner: "the Federation's Appeals Panel")
    span = text[start:end]
    if "\n" in span:  # an entity across a line break is a headline or a list
        cut = span.index("\n")
        end = start + cut
        span = text[start:end]
    if any(ch.isdigit() for ch in span):  # "2019 Finals", "Route 66": not a cast member
        return None
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(span)]
    # possessive on the last word
    while words:
        ws, we = words[-1]
        w = text[ws:we]
        if w[-2:] in ("'s", "’s"):
            words[-1] = (ws, we - 2)
        elif w[-1:] in _APOS:
            words[-1] = (ws, we - 1)
        break
    # a title belongs to a person's name only: "General Motors" keeps its "General"
    while words and ((label == "PERSON" and len(words) > 1
                      and text[words[0][0]:words[0][1]].lower().rstrip(".") in honorifics)
                     or text[words[0][0]:words[0][1]].lower() == "the"):
        words.pop(0)
    if label == "PERSON":  # "Library Director Howard Blaine", "Town Manager Gregory Kowalski": the name follows the title
        titled = [k for k in range(len(words) - 1) if text[words[k][0]:words[k][1]].lower().rstrip(".") in honorifics]
        if titled:
            words = words[titled[-1] + 1:]
    while len(words) > 1 and text[words[-1][0]:words[-1][1]].lower() in headline:
        words.pop()
    # "Rosalind Penhaligon KC": letters after a name are no part of it, and no name on their own
    post = load_words("post_nominals")
    while words and text[words[-1][0]:words[-1][1]].lower().replace(".", "") in post:
        words.pop()
    if words and label == "PERSON" and _commands(text, words[0], words[-1][1]):
        if len(words) == 1:
            return None           # "“Cook it your own way,” he'd say"
        words.pop(0)              # "Put Corrigan's name in the book"
    # "the Ashgrove Unified school board": the recogniser ran on into the lower-case noun after an organisation's
    # name; the name is the capitalised words before it (two at least: "Ashgrove school" is no organisation)
    if label == "ORG":
        while len(words) > 2 and text[words[-1][0]].islower() and _capitalised_run(text, words[:-1]):
            words.pop()
    if not words:
        return None
    s, e = words[0][0], words[-1][1]
    name = text[s:e]
    first = name[0]
    if not first.isupper() or len(name) < 2:
        return None
    if " " not in name and name.lower() in load_words("interjections"):
        return None     # "Aye", "Thither", "Ees": said, not named
    if _SECTION_LABEL.match(name) or _INITIALS_ONLY.fullmatch(text[s:e + 1].rstrip()):
        return None     # "CHAPTER I. Down", "ADVENTURE I.", "Letter IV"; "I.", "W.", "R. I. P."
    if name.isupper() and len(name) > 4 and " " not in name:  # RELATED, ADVERTISEMENT
        return None
    # lower-case words inside a name: particles of a person's name, and the joining words of an
    # organisation's or a place's ("Friends of the Elm Street Library", "Bank of America")
    inner = _NAME_PARTICLES if label == "PERSON" else _NAME_PARTICLES | _NAME_JOINERS
    if any(text[a:b][0].islower() and (text[a:b].lower() not in inner or k in (0, len(words) - 1))
           for k, (a, b) in enumerate(words)):
        return None
    return s, e


_SECTION_LABEL = re.compile(r"(?i:chapter|part|book|volume|vol|letter|adventure|section|act|scene|canto|stave)\.?\s+"
                            r"(?:[IVXLC]+|\d+|(?i:one|two|three|four|five|six|seven|eight|nine|ten))\b")
_INITIALS_ONLY = re.compile(r"[A-Z]\.(?:\s+[A-Z]\.)*")   # ("U.S." is a name)
_OPENS = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"\u201c\u2018(]\s*)$")
_OBJECT_AFTER = re.compile(r"\s+(?:it|them|me|him|her|us|the|a|an|your|my|our|their|this|that|up|out|down|over)\b")


def _commands(text: str, word: tuple[int, int], end: int) -> bool:
    """The word opens a sentence or a quote as a command ("Put Corrigan's name ...", "“Cook it your own way”"):
    a verb of ``lexicon/imperative_verbs.txt`` that is no given name, at a sentence's or a quote's start; one word
    alone only with an object after it."""
    w = text[word[0]:word[1]]
    if w.lower() not in load_words("imperative_verbs") or given_name_gender(w) is not None:
        return False
    if not _OPENS.search(text[max(0, word[0] - 3):word[0]]):
        return False
    return word[1] < end or bool(_OBJECT_AFTER.match(text, end))


_JOINED_HEAD = re.compile(r"\b[a-z][\w’'-]*\s+([A-Z][\w’'-]+)\s+(?:to|&|of|for)\s+$")


def name_head_before(text: str, start: int, ann: Annotation) -> int | None:
    """Where a longer name begins that a one-word name at ``start`` only ends: "the Room to Roam campaign" (the
    recogniser's "Roam" a person). A capitalised word after a lower-case one (not a sentence's first word), joined
    by "to", "&", "of" or "for", that no entity of the recogniser holds ("from Boston to Castillo": Boston is a
    place) and that is not a given name ("from Marcus to Renée")."""
    m = _JOINED_HEAD.search(text, max(0, start - 40), start)
    if m is None:
        return None
    a, b = m.span(1)
    if any(x < b and a < y for x, y, *_ in ann.entities) or starts_with_given_name(m.group(1)):
        return None
    return a


def find_name_mentions(article: Article, ann: Annotation) -> list[NameMention]:
    """The cleaned name mentions of one article (the map step)."""
    text = article.text
    out: list[NameMention] = []
    taken: list[tuple[int, int]] = []
    starts = [t.start for t in ann.tokens]
    for m in _NICK.finditer(text):
        first, nick, last = m.group(1), m.group(2), m.group(3)
        if first.lower() in load_words("honorifics"):
            continue
        out.append(NameMention(article.id, m.start(), m.end(), f"{first} {last}", "person", nickname=nick))
        taken.append((m.start(), m.end()))
    for m in _TITLE.finditer(text):
        # "his memoir, “Second Wind”": a work, found or not by the recogniser
        before = re.findall(r"[\w’'-]+", text[max(0, m.start() - 40):m.start()].lower())[-4:]
        if any(w in load_words("work_words") for w in before) and not any(a < m.end() and m.start() < b for a, b in taken):
            s, e = m.start(1), m.end(1)
            if text[s:e].lower().startswith("the "):
                s += 4
            out.append(NameMention(article.id, s, e, text[s:e], "work"))
            taken.append((m.start(), m.end()))
    for m in _CAMPAIGN.finditer(text):
        # "Save Ashcombe A&E", "Stop the Carrow Ridge Turbines": a campaign's name is an imperative and what it is
        # for; the recogniser cuts it up ("Save Ashcombe" a person, "A&E" apart)
        s, e = m.start(), m.end()
        caps = re.findall(r"\b[A-Z][\w&’'.-]*", m.group(2))
        before = text[max(0, s - 4):s].lower()
        after = text[e:e + 12].lower().lstrip()
        if len(caps) < 2 and not (before.endswith("the ") or after.startswith(("campaign", "group", "coalition"))):
            continue
        if any(a < e and s < b for a, b in taken) or any(ch.isdigit() for ch in m.group(0)):
            continue
        out.append(NameMention(article.id, s, e, " ".join(m.group(0).split()), "organization"))
        taken.append((s, e))
    for ent in split_owned_names(text, ann.entities):
        kind = KIND_OF_LABEL.get(ent.label)
        if kind is None:
            continue
        if any(a < ent.end and ent.start < b for a, b in taken):
            continue
        label = ent.label
        if (label != "PERSON" and re.match(r"(\w+)\.?\s+[A-Z]", ent.text)
                and ent.text.split()[0].lower().rstrip(".") in load_words("personal_titles")):
            label, kind = "PERSON", "person"   # "Cllr Rooke" filed as an organisation: a personal title makes a person
        span = clean_name(text, ent.start, ent.end, label)
        if span is None:
            continue
        s, e = span
        s = past_leading_verb(text, ann, s, e, starts)
        if s is None:
            continue
        if is_description(text, ann, s, e, starts):
            continue
        if common_noun_alone(ann, s, e, starts):
            continue
        group_cue = after_group_noun(text, s)
        if kind != "person" and not group_cue and (speaks(ann, s, e, starts) or (kind != "work" and (
                has_role(ann, text, s, e, starts) or starts_with_given_name(text[s:e])))
                or (kind == "place" and told_as_someone(text, e))):
            kind = "person"   # a work does not tell the AP anything; a role beside a title is a parse error
        elif kind == "person" and after_work_noun(text, s):
            kind = "work"  # "her album Glass": the recogniser files titles under PERSON
        elif kind == "person" and group_cue:
            kind = "organization"  # "indie trio Copper Vane", "the transport consultants Harland Moore"
        elif kind == "person" and after_place_preposition(text, s, e):
            kind = "place"  # "turbines on Carrow Ridge", "a walk near Marl Hills"
        elif (kind == "person" and " " not in text[s:e].strip() and names_no_one(text, s, e)
              and not _FAMILY_AFTER.match(text, e)):
            kind = "organization"   # "she told the Courant", "the Crumb & Kettle bakery"
        if kind == "person" and " " not in text[s:e].strip():
            head = name_head_before(text, s, ann)
            if head is not None:
                s, kind = head, "organization"   # "the Room to Roam campaign": "Roam" ends a name, no one's
        if kind == "person" and _THE_BEFORE.search(text, max(0, s - 24), s) and business_after(text, e):
            kind = "organization"   # "my father kept the Admiral Benbow inn", "the Crumb & Kettle bakery"
        fam = _FAMILY_AFTER.match(text, e)
        if kind == "person" and fam and " " not in text[s:e].strip():
            # "a donation from the Pressman family": the family, no one member of it (kept apart from "Ann Pressman")
            e, kind = fam.end(), "organization"
        out.append(NameMention(article.id, s, e, " ".join(text[s:e].split()), kind,
                               place_cue=after_place_preposition(text, s, e), title=title_before(text, s),
                               group_cue=group_cue))
    ents = [(ent.start, ent.end) for ent in ann.entities] + taken
    for s, e in find_unlabelled_names(text, ann, ents):
        cue = after_place_preposition(text, s, e)
        group_cue = not cue and after_group_noun(text, s)
        kind = "place" if cue else "organization" if group_cue else "person"
        out.append(NameMention(article.id, s, e, " ".join(text[s:e].split()), kind, place_cue=cue,
                               title=title_before(text, s), group_cue=group_cue))
    for m in out:
        m.quoted = inside_quote(text, m.start)
        m.after_the = text[max(0, m.start - 4):m.start].lower() == "the "
    # "Tom, Dick and Harry", "Peeping Tom": sayings written with names that name nobody (lexicon/name_idioms.txt)
    sayings = [(x.start(), x.end()) for x in _name_idioms().finditer(text)]
    if sayings:
        out = [m for m in out if not any(a < m.end and m.start < b for a, b in sayings)]
    # a masthead or byline line ("Editorial | The Westmere Herald | 16 September 2025", "Posted by Keith Barlow |
    # 13 September 2025 | Pipe Dreams: notes from ..."): its only person is the one it says wrote the piece
    lines = masthead_lines(text)
    out = [m for m in out if not any(a <= m.start < b for a, b in lines)
           or re.search(r"\bby\s+$", text[max(0, m.start - 4):m.start], re.I)]
    out.sort(key=lambda m: m.start)
    return out


@lru_cache(maxsize=1)
def _name_idioms() -> re.Pattern:
    """One pattern for the sayings of lexicon/name_idioms.txt, longest first, any run of spaces between words."""
    from ..lexicon import read_lines

    sayings = sorted(read_lines("name_idioms.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sayings) + r")\b")


def masthead_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the short lines cut into pieces by "|" of which one is a date and nothing else."""
    from .ingest import parse_date_piece

    out, at = [], 0
    for line in text.split("\n"):
        pieces = [p.strip() for p in line.split("|")]
        if len(pieces) >= 2 and len(line) < 200 and any(p and parse_date_piece(p) for p in pieces):
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def inside_quote(text: str, pos: int) -> bool:
    """Whether ``pos`` stands inside quotation marks opened earlier in its paragraph."""
    para = text.rfind("\n", 0, pos) + 1
    seg = text[para:pos]
    return seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1


def common_noun_alone(ann: Annotation, start: int, end: int, starts: list[int]) -> bool:
    """One word the tagger reads as a common noun in the plural or a mass noun, capitalised only because a
    sentence opens with it ("Reunions built on one viral video tend to last ..."): no name."""
    r = token_range(ann, start, end, starts)
    if len(r) != 1:
        return False
    t = ann.tokens[r[0]]
    return t.tag == "NNS" and (r[0] == 0 or ann.tokens[r[0] - 1].sent != t.sent)


def split_owned_names(text: str, entities) -> list:
    """"the Vantry Athletics Federation's Appeals Panel": an organisation's name, its possessive, and the name of a
    body of it are two organisations (the owner's last word is an organisation's: federation, council, board);
    "the Teague Children's Wing" stays one name."""
    out = []
    for ent in entities:
        m = re.search(r"(\w+)['\u2019]s\s+(?=[A-Z])", ent.text) if ent.label in ("ORG", "FAC", "GPE") else None
        if m and m.group(1).lower() in load_words("not_person_words") and len(ent.text[:m.start(1)].split()) >= 1:
            a, b = ent.start, ent.start + m.end(1)
            c = ent.start + m.end()
            out.append(Entity(a, b, ent.label, text[a:b]))
            out.append(Entity(c, ent.end, ent.label, text[c:ent.end]))
        else:
            out.append(ent)
    return out


def past_leading_verb(text: str, ann: Annotation, start: int, end: int, starts: list[int]) -> int | None:
    """Where the name starts once a capitalised verb fused to its front is dropped: "Closing Elm Street saves…"."""
    idx = token_range(ann, start, end, starts)
    if len(idx) < 2:
        return start
    t = ann.tokens[idx.start]
    if t.start == start and t.tag in ("VBG", "VBD", "VBZ", "VB") and t.pos == "VERB":
        rest = ann.tokens[idx.start + 1]
        return rest.start if rest.text[:1].isupper() else None
    return start


_PLACE_PREPOSITIONS = frozenset({"on", "at", "near", "across", "above", "below", "beneath", "atop", "around", "inside",
                                  "outside"})
# "looked at Montraville", "laughed at Delaney": "at" after these verbs points at someone, not at a place
_AT_SOMEONE = re.compile(r"\b(?:look|glanc|star|gaz|glar|peer|smil|grinn?|laugh|point|shout|yell|nodd?|wink|frown|"
                         r"sneer|wav|aim)(?:e|s|es|ed|d|ing)?\s+at\s+$", re.IGNORECASE)


_THE_BEFORE = re.compile(r"\b[Tt]he\s+(?:[A-Z][\w.]*\s+)?$")


def business_after(text: str, end: int) -> bool:
    """A lower-case noun for a place of business follows the name (lexicon/business_nouns.txt)."""
    m = re.match(r"\s+([a-zé]+)\b", text[end:end + 24])
    return bool(m) and m.group(1) in load_words("business_nouns")


def names_no_one(text: str, start: int, end: int) -> bool:
    """One capitalised word the recogniser took for a person where no one person is named: after "the" ("she told
    the Courant", "the Kardashians") or beside an ampersand ("the Crumb & Kettle bakery")."""
    before = text[max(0, start - 4):start]
    return (before.lower() == "the " or text[:start].rstrip().endswith("&")
            or text[end:end + 3].lstrip().startswith("&"))


_SOMEONE_AFTER = re.compile(r",\s+who\b|\s+(?:is|was)\s+\d{1,3}(?:\s+years\s+old)?\s*[.,;]")


def told_as_someone(text: str, end: int) -> bool:
    """The name is followed by "who" or an age ("Kamala, who is 58", "Kamala is 58."): no place (a club may take
    "who" in British English, so this only turns places into people)."""
    return bool(_SOMEONE_AFTER.match(text, end))


def after_group_noun(text: str, start: int) -> bool:
    """The name follows "trio", "consultants", "charity"… directly (lexicon/group_nouns.txt): a band's or a firm's."""
    return _after_word_of(text, start, "group_nouns")


def after_place_preposition(text: str, start: int, end: int) -> bool:
    """The name follows "on", "near", "across"… directly: a person is rarely stood on ("twelve turbines on Carrow Ridge").
    Not before a possessive: "on Gil Porter's show" is on the show."""
    if text[end:end + 2] in ("'s", "’s") or text[end:end + 1] in ("'", "’"):
        return False
    if starts_with_given_name(text[start:end]):
        return False     # "aimed at Joel Amsden": a given name and a surname are a person wherever they stand
    before = re.findall(r"[\w’'-]+", text[max(0, start - 12):start])
    if _AT_SOMEONE.search(text[max(0, start - 24):start]):
        return False
    return bool(before) and before[-1] in _PLACE_PREPOSITIONS and text[start - 1:start] == " "


def written_title(text: str, start: int) -> str | None:
    """The title as written right before a name ("Cllr", "Dr."), else None."""
    m = re.search(r"\b(\w+)\.?\s+$", text[max(0, start - 24):start])
    return m.group().rstrip() if m and m.group(1).lower() in load_words("honorifics") else None


def title_before(text: str, start: int) -> str | None:
    """The title written right before a name ("Cllr" in "Cllr Rooke", "Dr." in "Dr. Pellow"), lower case, no
    dot, in its one spelling for all its abbreviations ("cllr" and "councillor" are "councillor")."""
    written = written_title(text, start)
    if written is None:
        return None
    word = written.rstrip(".").lower()
    return next((canon for canon, forms in load_map("title_abbreviations").items() if word in forms), word)


def after_work_noun(text: str, start: int) -> bool:
    """The name follows "album", "memoir", "film"… directly (a title, not a person)."""
    return _after_word_of(text, start, "work_words")


def _after_word_of(text: str, start: int, lexicon: str) -> bool:
    """The word right before ``start`` (one space between) is one of ``lexicon/<lexicon>.txt``."""
    before = re.findall(r"[\w’'-]+", text[max(0, start - 25):start])
    return bool(before) and before[-1].lower() in load_words(lexicon) and text[start - 1:start] == " "


def find_unlabelled_names(text: str, ann: Annotation, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names of people the small recogniser missed ("Singer Ana Ruiz and actor Tom Bell married").

    A run of two or three title-case proper nouns, outside every entity, counts when a role noun stands
    before it ("singer Ana Ruiz") or when it is the subject of a verb; a headline-shaped sentence (mostly
    title case) and runs holding a word the lexicon keeps off people are skipped.
    """
    toks = ann.tokens
    roles, honorifics = load_words("role_words"), load_words("honorifics")
    banned = load_words("not_person_words") | load_words("headline_words") | load_words("weekday_names")
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if not _name_token(toks[i]):
            i += 1
            continue
        j = i
        while j < len(toks) and _name_token(toks[j]) and toks[j].sent == toks[i].sent:
            j += 1
        run = list(range(i, j))
        lead_role = bool(run) and toks[run[0]].text.lower() in roles | honorifics
        if lead_role:
            run = run[1:]
        i = j
        if len(run) == 1 and says(toks, run[0]):
            pass  # "said Montraville", "Turkey remarked": one word that speaks is a name
        elif not 2 <= len(run) <= 3:
            continue
        s, e = toks[run[0]].start, toks[run[-1]].end
        if any(a < e and s < b for a, b in taken) or any(toks[k].text.lower() in banned for k in run):
            continue
        before = toks[run[0] - 1].text.lower() if run[0] > 0 else ""
        subject = toks[run[-1]].dep in ("nsubj", "nsubjpass") or (
            toks[run[-1]].dep == "conj" and toks[toks[run[-1]].head].dep in ("nsubj", "nsubjpass"))
        if not (lead_role or before in roles or subject):
            continue
        if _headline_shaped(text, ann, toks[run[0]].sent):
            continue
        out.append((s, e))
    return out


def says(toks, i: int) -> bool:
    """The token is the subject of a reporting or dialogue verb ("Montraville said", "said Montraville")."""
    t = toks[i]
    verbs = load_words("reporting_verbs") | load_words("dialogue_verbs")
    return (t.dep in ("nsubj", "nsubjpass") and toks[t.head].lemma.lower() in verbs
            and toks[t.head].pos in ("VERB", "AUX") and len(t.text) > 2)


def starts_with_given_name(name: str) -> bool:
    """Two or three words opening with a given name that is almost always a person's ("Diane Okafor",
    which the small recogniser may file as a place), and ending in no word of an organisation or
    a place ("Victoria Station", "Elizabeth Street", "Charlotte Hornets FC" stay what they were)."""
    words = name.split()
    return (2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
            and given_name_gender(words[0]) is not None
            and not any(w.lower() in load_words("not_person_words") | load_words("company_suffixes") for w in words[1:]))


def _name_token(t) -> bool:
    return t.pos == "PROPN" and t.text[:1].isupper() and t.text.replace("-", "").replace("'", "").isalpha()


def _headline_shaped(text: str, ann: Annotation, sent: int) -> bool:
    """Most content words capitalised ("Lamar Odom Says He Wants Khloé Back"): names there are not reliable."""
    words = [t for t in ann.tokens if t.sent == sent and t.pos in ("VERB", "NOUN", "ADJ", "ADV") and len(t.text) > 2]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) / len(words) > 0.6


def is_description(text: str, ann: Annotation, start: int, end: int, starts: list[int] | None = None) -> bool:
    """One capitalised word after "a", "the former", "ex-": a description ("a former Pioneer",
    "the ex-Laker"), which the quotes stage binds to the person it describes. Not when it
    modifies a noun: "an Obama supporter"."""
    if " " in text[start:end].strip():
        return False
    i = token_range(ann, start, end, starts).start
    if i < len(ann.tokens) and ann.tokens[i].start == start and ann.tokens[i].dep in ("compound", "amod", "poss", "nmod"):
        return False
    before = re.findall(r"[\w’'-]+", text[max(0, start - 30):start].lower())
    return bool(before) and (before[-1] in load_words("description_words") or before[-1].startswith("ex-")
                             or (before[-1] == "-" and len(before) > 1 and before[-2] == "ex"))


def token_range(ann: Annotation, start: int, end: int, starts: list[int] | None = None) -> range:
    """Indices of the tokens that start inside [start, end) (``starts``: every token's start, precomputed)."""
    starts = starts if starts is not None else [t.start for t in ann.tokens]
    return range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))


_CLOSING_MARKS = frozenset({"”", "’", '"', "'"})


def speaks(ann: Annotation, start: int, end: int, starts: list[int] | None = None) -> bool:
    """The name is the subject of a reporting verb ("Delaney told the host")."""
    verbs = load_words("reporting_verbs")
    inside = token_range(ann, start, end, starts)
    for i in inside:
        t = ann.tokens[i]
        if t.end <= end and t.dep in ("nsubj", "nsubjpass"):
            head = ann.tokens[t.head]
            if head.lemma.lower() in verbs:
                return True
    # “…,” observed Fergus — the verb straight after a closing quotation mark, the name straight after the verb
    # (the parser may make the name its object)
    k = inside.start
    if k >= 2 and ann.tokens[k - 1].pos == "VERB" and ann.tokens[k - 2].text in _CLOSING_MARKS and (
            ann.tokens[k - 1].lemma.lower() in verbs | load_words("dialogue_verbs")):
        return True
    return False


def has_role(ann: Annotation, text: str, start: int, end: int, starts: list[int] | None = None) -> bool:
    """The name stands beside a noun for a person: "his agent, Curtis Bell", "singer Renée Castillo"."""
    roles = load_words("role_words")
    inside = token_range(ann, start, end, starts)
    before = [t for t in ann.tokens[max(0, inside.start - 4):inside.start] if t.end <= start][-3:]
    words = [t.lemma.lower() for t in before if t.text not in (",", "’s", "'s")]
    if words and words[-1] in roles:
        return True
    for i in inside:
        t = ann.tokens[i]
        if t.end <= end and t.dep == "appos" and ann.tokens[t.head].lemma.lower() in roles:
            return True
    # the role after the name: "Tevane Iruka, chair of the Heritage Council"; an age: "Colin Farraday, 58,"
    head = set(inside)
    for t in ann.tokens[inside.stop:inside.stop + 8]:
        if t.dep == "appos" and t.head in head and t.lemma.lower() in roles:
            return True
    return bool(re.match(r",\s*\d{1,3},", text[end:end + 8]))


def name_key(name: str, kind: str) -> str:
    """The comparison key; a company's legal suffix does not tell two companies apart."""
    key = fold_name(name)
    words = key.replace(",", " ").split()
    suffixes = load_words("company_suffixes")
    if kind != "organization" and len(words) > 1 and words[-1].rstrip(".") in suffixes:
        kind = "organization"   # "Bank of America Corporation" filed as anything else is still a company
    if kind == "organization":
        while len(words) > 1 and words[-1].rstrip(".") in suffixes:
            words.pop()
        key = " ".join(words)
        # "U.S. Air Force", "US Air Force", "United States Air Force": one country, however it is written
        m = _COUNTRY_PREFIX.match(key)
        if m and len(key) > m.end():
            key = _COUNTRY_SHORT[m.group(1).replace(".", "").replace(" ", "")] + key[m.end() - 1:]
    return key


_COUNTRY_PREFIX = re.compile(r"(united states|u\.s\.|us|united kingdom|u\.k\.|uk)\s")
_COUNTRY_SHORT = {"unitedstates": "united-states", "us": "united-states", "unitedkingdom": "united-kingdom", "uk": "united-kingdom"}   # one word: no short name of its own


def initials(key: str) -> str:
    # ("united-states air force" is USAF, "rolls-royce" RR)
    return "".join(p[0] for w in key.split() if w not in ("of", "the", "and", "for", "&") for p in w.split("-") if p)


def far_better_attested(groups: list[Group]) -> list[Group]:
    """The groups, most mentioned first; only the first where it has three times the mentions of the next (the one
    far better attested than the rest is the one meant)."""
    ranked = sorted(groups, key=lambda f: -len(f.mentions))
    return ranked[:1] if len(ranked) > 1 and len(ranked[0].mentions) >= 3 * len(ranked[1].mentions) else ranked


def merge_acronyms(groups: dict[str, Group]) -> dict[str, Group]:
    """Attach an acronym ("UAW") to the one full name whose initials spell it ("United Auto Workers")."""
    out = dict(groups)
    spelt = {k: initials(k) for k in groups}
    for key, g in sorted(groups.items()):
        bare = max(g.names, key=g.names.get).replace(".", "")  # "U.S." is "US"
        if g.ntokens != 1 or not (2 <= len(bare) <= 6 and bare.isupper() and bare.isalpha()):
            continue
        owners = [f for k, f in out.items() if f is not g and spelt[k] == bare.lower() and f.ntokens > 1
                  and f.kind != "person"]
        if len(owners) > 1:
            # "GM" beside "General Motors" (40 mentions), "General Motor" (1) and "Grand Marquis" (1)
            owners = far_better_attested(owners)
        if len(owners) == 1:
            absorb(owners[0], g)
            del out[key]
    return out


def group_mentions(mentions: list[NameMention]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for m in mentions:
        key = name_key(m.name, m.kind)
        g = groups.setdefault(key, Group(key))
        g.names[m.name] += 1
        g.kinds[m.kind] += 1
        g.mentions.append(m)
        if m.nickname:
            g.nicknames.add(m.nickname)
    return groups


def split_titled_pairs(groups: dict[str, Group]) -> dict[str, Group]:
    """A surname written after titles of both genders is two people ("Mr. Bennet" and "Mrs. Bennet", "Mr Okafor"
    and "Mrs Okafor"), as is a surname after a title of the gender other than the given name of the one full name
    that carries it ("Mr. Bennet" beside "Elizabeth Bennet"). Each title's mentions become a group of their own,
    keyed by title and surname; the surname alone stays behind for ``merge_short_names`` to give to the one of
    them named last."""
    fulls: dict[str, set] = defaultdict(set)   # surname -> genders of the given names of full names with it
    for k, g in groups.items():
        words = k.split()
        if len(words) > 1 and g.kind == "person":
            fulls[words[-1]].add(given_name_gender(words[0]))   # (None: "Sandy" may be either)
    out = dict(groups)
    for key, g in groups.items():
        if g.ntokens != 1:
            continue
        by_gender: dict[str, list] = defaultdict(list)
        for m in g.mentions:
            if m.title and (sex := title_gender(m.title)):
                by_gender[sex].append(m)
        split = set(by_gender) if len(by_gender) == 2 else {
            gd for gd in by_gender if fulls.get(key) and gd not in fulls[key] and None not in fulls[key]}
        for gd in sorted(split):
            title = Counter(m.title for m in by_gender[gd]).most_common(1)[0][0]
            part = out.setdefault(f"{title} {key}", Group(f"{title} {key}", titled=title))
            for m in by_gender[gd]:
                part.names[m.name] += 1
                part.kinds[m.kind] += 1
                part.mentions.append(m)
                g.names[m.name] -= 1
                g.kinds[m.kind] -= 1
            g.mentions = [m for m in g.mentions if m not in by_gender[gd]]
        g.names, g.kinds = +g.names, +g.kinds
        if not g.mentions:
            del out[key]
    return out


def absorb(into: Group, g: Group, variant: bool = False) -> None:
    into.names.update(g.names)
    into.kinds.update({k: v for k, v in g.kinds.items()})
    into.mentions.extend(g.mentions)
    into.nicknames |= g.nicknames
    into.variants.extend(g.variants)
    if variant:
        into.variants.extend(sorted({(m.name, m.doc) for m in g.mentions}))


def mark_surnames_of_people(groups: dict[str, Group]) -> dict[str, Group]:
    """A two- or three-word name whose last word alone is a person elsewhere in the story ("Iruka said")
    and which the recogniser called a person at least once is a person's full name."""
    people = {k for k, g in groups.items() if g.ntokens == 1 and g.kind == "person"}
    banned = load_words("not_person_words") | load_words("company_suffixes")
    for g in groups.values():
        words = g.key.split()
        if 2 <= len(words) <= 3 and words[-1] in people and not any(w in banned for w in words):
            g.surname_of_person = True
    return groups


def merge_plural_forms(groups: dict[str, Group]) -> dict[str, Group]:
    """"Ford Motors Co." and "Ford Motor Company": two organisations' names of two words or more that differ only
    by a plural "s" on one word are one organisation (the less often written joins the other)."""
    orgs = {k: g for k, g in groups.items() if g.kind == "organization" and g.ntokens > 1}
    out = dict(groups)
    for key, g in sorted(orgs.items(), key=lambda kv: len(kv[1].mentions)):
        words = key.split()
        for i, w in enumerate(words):
            other = " ".join(words[:i] + [w[:-1] if w.endswith("s") else w + "s"] + words[i + 1:])
            f = out.get(other)
            if f is not None and f is not g and other in orgs and len(f.mentions) >= len(g.mentions) and key in out:
                absorb(f, g)
                del out[key]
                break
    return out


def merge_organisation_tails(groups: dict[str, Group]) -> dict[str, Group]:
    """"City Council" after "Corran City Council", "Pigment Works" after "Teague Pigment Works": an organisation's
    name of two words or more that ends one longer organisation's name, and no other's (or one far better attested
    than the others), is that organisation; so is one that opens the one longer name that adds only words for a
    company ("China Eastern", "China Eastern Airlines")."""
    orgs = {k: g for k, g in groups.items() if g.kind == "organization"}
    out = dict(groups)
    for key, g in sorted(orgs.items(), key=lambda kv: -len(kv[0])):
        if g.ntokens < 2 or key not in out:
            continue
        longer = [f for k, f in orgs.items() if k in out and f.ntokens > g.ntokens and k.endswith(" " + key)]
        if not longer:
            # "China Eastern" before "China Eastern Airlines": the longer name adds only words for a company
            longer = [f for k, f in orgs.items() if k in out and f.ntokens > g.ntokens and k.startswith(key + " ")
                      and all(w in load_words("not_person_words") for w in k[len(key) + 1:].split())]
        if len(longer) > 1:
            # "Air Force" beside "United States Air Force" (13 mentions) and "Royal Air Force" (one)
            longer = far_better_attested(longer)
        if len(longer) == 1:
            absorb(out[longer[0].key], g)
            del out[key]
    return out


def merge_short_names(groups: dict[str, Group]) -> dict[str, Group]:
    """Attach a first name or surname alone to the one full name that carries it."""
    full = [g for g in groups.values() if g.ntokens > 1 and g.kind not in ("place", "work")]
    out = {k: g for k, g in groups.items() if g.ntokens > 1}
    # absorbing one-word groups adds no nickname to a full name, so these hold throughout
    nicks = [{fold_name(n) for n in f.nicknames} for f in full]
    # a campaign's name has no short form: "A&E" alone is the department, not "Save Ashcombe A&E"
    ends = [() if _CAMPAIGN.match(f.names.most_common(1)[0][0]) else (f.key.split()[0], f.key.split()[-1])
            for f in full]
    for key, g in sorted(groups.items()):
        if g.ntokens > 1:
            continue
        nick_owners = [f for f, ns in zip(full, nicks) if key in ns]
        bare = max(g.names, key=g.names.get).replace(".", "")
        if not nick_owners and g.kind != "person" and 2 <= len(bare) <= 5 and bare.isupper() and bare.isalpha():
            out[key] = g     # "US" is no short form of "US Treasury" (an acronym: merge_acronyms' to place)
            continue
        owners = nick_owners or [f for f, ends_ in zip(full, ends) if key in ends_]
        if not owners and g.kind == "person":
            # "Carrie" alone, "Caroline Meeber" in full: a short form of the one full first name it can be
            # (lexicon/nicknames.txt only: "Dan" is not taken for "Daniela")
            table = load_map("nicknames")
            owners = [f for f in full if f.kind == "person" and key in table.get(f.key.split()[0], ())]
            owners = owners if len(owners) == 1 else []
        if len(owners) > 1:  # two share it: prefer people, then the one whose surname it is
            owners = [f for f in owners if f.kind == "person"] or owners
        if len(owners) > 1 and owners[0].kind == "person":
            owners = [f for f in owners if f.key.split()[-1] == key] or owners
        if len(owners) > 1:
            owners = far_better_attested(owners)
        if len(owners) > 1 and all(f.kind != "person" for f in owners):
            # "Kilncote" of "Kilncote District Council", "Kilncote Angling Association" and "University of
            # Kilncote": no one of them; when it opens two or more of their names, the place they are named after
            if sum(f.key.split()[0] == key for f in owners) >= 2:
                g.place_stem = True
            out[key] = g
            continue
        if len(owners) == 1:
            absorb(out[owners[0].key], g)
        elif len(owners) > 1:
            # two share the surname: "Cllr Rooke" is the one of them written "Cllr Alice Rooke"
            g = split_by_title(g, owners, out)
            if g.mentions:
                out[key] = g
        else:
            out[key] = g
    return out


def split_by_title(g: Group, owners: list[Group], out: dict[str, Group]) -> Group:
    """Hand each titled mention of a surname alone to the one owner written with that title
    ("Cllr Rooke" -> "Cllr Alice Rooke", "Dr Pellow" -> "Dr Martin Pellow"); what is left stays."""
    rest = Group(g.key, nicknames=g.nicknames, variants=g.variants)
    chosen: list[list[Group]] = []
    by_last: list[bool] = []     # chosen as the one named last before it, for want of anything better
    for m in g.mentions:
        mine = [f for f in owners if m.title and any(fm.title == m.title for fm in f.mentions)]
        gender = title_gender(m.title)
        if not mine and gender:   # "Mrs Pellow": the one of them whose first name is a woman's
            mine = [f for f in owners if given_name_gender(f.key.split()[0]) == gender]
        by_last.append(not mine)
        if not mine:
            # "Marian Teague ... Teague said": the one of them named last before it in the same article — but one
            # the article calls by a first name alone in its own words ("He and Jeanette married") is not the one
            # its surname alone names
            firsts = [f for f in owners if not any(fm.doc == m.doc and len(fm.name.split()) == 1 and not fm.quoted
                                                   and fold_name(fm.name) != g.key for fm in f.mentions)]
            pool = firsts if 0 < len(firsts) < len(owners) else owners
            last = {id(f): max((fm.start for fm in f.mentions if fm.doc == m.doc and fm.end <= m.start), default=-1)
                    for f in pool}
            best = max(last.values())
            if best >= 0:
                mine = [f for f in pool if last[id(f)] == best]
        chosen.append(mine)
    # the story's convention: where the other articles give the surname alone to one of them only, an article
    # that names the other just before it ("his divorce from Catriona Delahaye ... Delahaye's business manager")
    # still means that one
    first = Counter((m.doc, mine[0].key) for m, mine in zip(g.mentions, chosen) if len(mine) == 1)
    for i, m in enumerate(g.mentions):
        if not by_last[i] or len(chosen[i]) != 1:
            continue
        elsewhere = Counter({f.key: sum(n for (doc, key), n in first.items() if key == f.key and doc != m.doc)
                             for f in owners})
        top = [f for f in owners if elsewhere[f.key] >= 3 and not any(
            elsewhere[o.key] for o in owners if o is not f)]
        if top and top[0] is not chosen[i][0] and elsewhere[chosen[i][0].key] == 0:
            chosen[i] = top
    for m, mine in zip(g.mentions, chosen):
        if len(mine) == 1:
            part = Group(g.key, names=Counter({m.name: 1}), kinds=Counter({m.kind: 1}), mentions=[m])
            absorb(out[mine[0].key], part)
        else:
            rest.names[m.name] += 1
            rest.kinds[m.kind] += 1
            rest.mentions.append(m)
    return rest


def same_first_name(a: str, b: str) -> bool:
    """"Sam" and "Samuel", "Chris" and "Christopher", "Bob" and "Robert": one person's first name, short or full."""
    if a == b:
        return True
    short, full = sorted((a, b), key=len)
    if len(short) >= 3 and full.startswith(short):
        return True
    nick = load_map("nicknames")
    return short in nick.get(full, ()) or full in nick.get(short, ())


def merge_first_name_forms(groups: dict[str, Group]) -> dict[str, Group]:
    """Join "Sam Reyes" to "Samuel Reyes": same surname, first names that are short and full forms of one name.

    Only people; only when exactly one other full name fits and the two never stand in one document
    (two relatives "Sam Reyes" and "Samantha Reyes" in one article stay apart). The short form becomes an alias.
    """
    people = sorted((g for g in groups.values() if g.ntokens == 2 and g.kind == "person"),
                    key=lambda g: (-len(g.mentions), g.key))
    out = dict(groups)
    for g in reversed(people):  # the rarer form joins the better attested one
        if g.key not in out:
            continue
        first, last = g.key.split()
        # "Len Marchbank" after "Leonard “Len” Marchbank": the nickname the text gave him, in any document
        nicked = [o for o in people if o is not g and o.key in out and o.key.split()[1] == last
                  and first in {fold_name(n) for n in o.nicknames}]
        if len(nicked) == 1:
            absorb(nicked[0], g)
            del out[g.key]
            continue
        fits = [o for o in people if o is not g and o.key in out and o.key.split()[1] == last
                and o.key.split()[0] != first and same_first_name(first, o.key.split()[0])]
        if len(fits) != 1 or fits[0].docs & g.docs:
            continue
        o = fits[0]
        if (len(o.mentions), o.key) < (len(g.mentions), g.key):
            continue
        absorb(o, g)
        del out[g.key]
    return out


def merge_fused_words(groups: dict[str, Group]) -> dict[str, Group]:
    """A name seen once with a capitalised word fused to its front ("Closing Elm Street saves…") joins the name
    without it, when that name is known: the front word was the sentence's verb or a headline word."""
    out = dict(groups)
    for key, g in sorted(groups.items()):
        words = key.split()
        if len(g.mentions) != 1 or len(words) < 3:
            continue
        rest = out.get(" ".join(words[1:]))
        if rest is not None and rest is not g and (words[0].endswith("ing") or words[0] in load_words("headline_words")):
            m = g.mentions[0]
            cut = len(m.name.split()[0]) + 1
            rest.mentions.append(NameMention(m.doc, m.start + cut, m.end, m.name[cut:], m.kind, m.nickname))
            rest.names[m.name[cut:]] += 1
            del out[key]
    return out


def has_acronym(g: Group) -> bool:
    return any(w.isupper() and len(w) >= 2 for n in g.names for w in n.replace(".", "").split())


def looks_misspelt(key: str, cand: str) -> bool:
    """One or two letters off, word by word, in words long enough to misspell.

    "castilo" / "castillo" and "gil" / "gill" are slips; "ctv news" / "cbc news" are two
    broadcasters (acronyms are kept out by the caller: their letters differ on purpose).
    """
    diffs = [(a, b) for a, b in zip(key.split(), cand.split()) if a != b]
    if not diffs:
        return False
    for a, b in diffs:
        shortest = min(len(a), len(b))
        if shortest < 3:
            return False
        if shortest >= 5 and sound_key(a) == sound_key(b):
            continue
        if not (one_edit_apart(a, b) if shortest < 8 else edit_distance(a, b, 2) <= 2):
            return False
    return True


def one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance exactly 1 (a != b), in one pass."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] if len(a) == len(b) else a[i:] == b[i + 1:]


_SOUNDS = (("cks", "x"), ("ks", "x"), ("cs", "x"), ("ck", "k"), ("ph", "f"), ("ie", "y"), ("ey", "y"))


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """Spellings that sound alike fold together: "maddocks" / "maddox", "philips" / "fillips" no, "phillips" / "philips" yes."""
    w = word.lower()
    for a, b in _SOUNDS:
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


def merge_misspellings(groups: dict[str, Group]) -> dict[str, Group]:
    """Merge a spelling seen in one document into a near-identical, better attested name."""
    keys = sorted(groups, key=lambda k: (-len(groups[k].docs), -len(groups[k].mentions), k))
    merged: dict[str, Group] = dict(groups)
    # absorbing a group without acronyms never gives one to its new owner, so this holds throughout
    acronym = {k: has_acronym(g) for k, g in groups.items()}
    words = {k: k.split() for k in keys}
    initials = {k: {w[0] for w in ws} for k, ws in words.items()}
    # the longer names of each document: "Woody" where "Sgt. Michael Woody" is named is his surname, not a
    # slip of a better attested "Woods" elsewhere - unless that longer name is itself a slip of the other
    # ("Markovich" beside "Helen Markovich", a misspelling of "Helen Markovic")
    fulls_in_doc: dict[str, list[str]] = {}
    for k, g in groups.items():
        if len(words[k]) > 1:
            for d in g.docs:
                fulls_in_doc.setdefault(d, []).append(k)
    for key in reversed(keys):  # rarest first
        g = merged.get(key)
        if g is None or len(g.docs) != 1 or len(key) < 5 or acronym[key]:
            continue
        own_fulls = [f for f in fulls_in_doc.get(next(iter(g.docs)), []) if key in words[f]] if len(words[key]) == 1 else []
        n, docs, best = len(words[key]), g.docs, None
        for other_key in keys:  # the best attested first: the first that fits is the one
            if key[0] not in initials[other_key] or other_key == key or acronym[other_key]:
                continue
            # a one-word name may be a slip of any word of a longer one; longer names compare whole
            cands = set(words[other_key]) if n == 1 else {other_key} if len(words[other_key]) == n else set()
            if key in cands:  # a word of a better attested name, spelt the same: not a slip (merge_short_names)
                break
            cands = [c for c in cands if c[0] == key[0]
                     and c + "s" != key and key + "s" != c]  # "the Castillos" is the family
            if not cands:
                continue
            o = merged.get(other_key)
            if o is None or o is g or len(o.mentions) < len(g.mentions) or not (o.docs - docs):
                continue
            if any(looks_misspelt(key, c) for c in cands) and (not own_fulls or any(
                    len(words[f]) == len(words[other_key]) and looks_misspelt(f, other_key) for f in own_fulls)):
                best = o
                break
        if best is not None:
            absorb(best, g, variant=True)
            del merged[key]
    return merged


def canonical_name(g: Group, variant_names: set[str]) -> str:
    def rank(item):
        name, count = item
        has_accent = fold_name(name) != name.lower()
        return (len(name.split()), count, has_accent, name)
    good = [(n, c) for n, c in g.names.items() if n not in variant_names] or list(g.names.items())
    return max(good, key=rank)[0]


_ALIAS_START = re.compile(r"(?<![\w’'])\S")
_WORD_CHAR = re.compile(r"\w")


def alias_index(aliases: dict[str, str]) -> dict[str, list[str]]:
    """Every alias under its first two characters, longest first. (One regex alternation of
    hundreds of names spent most of the cast stage compiling itself.)"""
    index: dict[str, list[str]] = defaultdict(list)
    for a in sorted(aliases, key=lambda a: (-len(a), a)):
        index[a[:2]].append(a)
    return dict(index)


def find_alias_mentions(article: Article, aliases: dict[str, str], taken: list[tuple[int, int]],
                        index: dict[str, list[str]] | None = None,
                        shared: dict[str, set[str]] | None = None,
                        known: list[Mention] | None = None) -> list[Mention]:
    """Occurrences of known person names that the entity recogniser missed: an alias that starts
    after no word character or apostrophe and ends before no word character, longest first. A word two
    people share (``shared``: "Teague" of Marian and Teddy Teague) goes to the one of them named last
    before it in this article (``known``: the article's mentions so far), and to nobody when neither is."""
    shared = shared or {}
    if shared:
        aliases = {**{a: "" for a in shared}, **aliases}
        index = None
    index = index if index is not None else alias_index(aliases)
    if not index:
        return []
    text = article.text
    spans = sorted(taken)
    starts = [a for a, _ in spans]
    out = []
    last_end = 0
    for m in _ALIAS_START.finditer(text):
        p = m.start()
        if p < last_end:
            continue
        for alias in index.get(text[p:p + 2], []) + index.get(text[p:p + 1], []):
            e = p + len(alias)
            if not text.startswith(alias, p) or _WORD_CHAR.match(text, e):
                continue
            i = bisect.bisect_right(starts, p)
            if i > 0 and spans[i - 1][1] > p:
                last_end = e
                break       # inside a name found already
            if i < len(spans) and spans[i][0] < e:
                continue    # runs into a name found already: a shorter alias may not ("Beatles ' Apple Corps" over
                #             a found "Apple Corps": "Beatles" still is)
            if i < len(spans) and spans[i][0] - e < 3 and not text[e:spans[i][0]].strip():
                last_end = e
                break       # a word straight before a name found already is part of it ("Stonebridge Royal Infirmary")
            last_end = e
            member = aliases[alias]
            if alias in shared:
                before = [k for k in list(known or ()) + out if k.end <= p and k.member in shared[alias]]
                # one of them the article calls by a first name alone ("Jeanette") is not the one named so
                first_named = {k.member for k in list(known or ()) + out
                               if " " not in k.text.strip() and k.text.strip() != alias
                               and not inside_quote(text, k.start)}
                others = [k for k in before if k.member not in first_named]
                if others and len({k.member for k in others}) < len({k.member for k in before}):
                    before = others
                member = max(before, key=lambda k: k.start).member if before else ""
            if member:
                out.append(Mention(doc=article.id, start=p, end=e, text=alias, member=member))
            break
    return out


def quoted_title_mentions(article: Article, titles: dict[str, str], taken: list[tuple[int, int]]) -> list[Mention]:
    """A one-word title another article gave a work ("Tidewater"), where this one writes it as a title in quotation
    marks (“Tidewater”, ``_TITLE``) and nothing else holds those words: the work again. Outside quotation marks a
    one-word title is too often a word."""
    out = []
    for m in _TITLE.finditer(article.text):
        p, e = m.span(1)
        member = titles.get(m.group(1))
        if member and not any(a < e and p < b for a, b in taken):
            out.append(Mention(doc=article.id, start=p, end=e, text=m.group(1), member=member))
    return out


def build_cast(articles: list[Article], annotations: dict[str, Annotation]) -> tuple[list[CastMember], list[Mention]]:
    raw: list[NameMention] = []
    for a in articles:
        if a.id in annotations:
            raw.extend(find_name_mentions(a, annotations[a.id]))
    groups = merge_organisation_tails(merge_plural_forms(merge_misspellings(merge_fused_words(
        split_titled_pairs(group_mentions(raw))))))
    groups = merge_acronyms(merge_short_names(merge_first_name_forms(mark_surnames_of_people(groups))))
    ordered = sorted(groups.values(), key=lambda g: (-len(g.mentions), fold_name(canonical_name(g, set()))))
    members: list[tuple[Group, str, str]] = []
    for i, g in enumerate(ordered, 1):
        vnames = {n for n, _ in g.variants}
        members.append((g, f"p{i}", canonical_name(g, vnames)))

    texts = {a.id: a.text for a in articles}
    mentions: list[Mention] = []
    for g, mid, _ in members:
        for m in g.mentions:
            mentions.append(Mention(doc=m.doc, start=m.start, end=m.end, text=texts[m.doc][m.start:m.end], member=mid))
    # person names and nicknames the recogniser missed; an ambiguous short name is skipped
    token_owner: dict[str, set[str]] = defaultdict(set)
    quoted_titles: dict[str, str] = {}     # one-word titles ("Tidewater"): a mention only inside quotation marks
    work_names: dict[str, set[str]] = defaultdict(set)   # titles of several words: where no other name has them
    kind_of = {mid: g.kind for g, mid, _ in members}
    for g, mid, _ in members:
        vnames = {n for n, _ in g.variants}
        if g.kind in ("organization", "place", "work"):  # "Northwind", "the Elm Street branch", "Glass Weather"
            # where the recogniser missed them: whole names only, never a word of one (a one-word title only
            # inside quotation marks, below)
            for n in g.names:
                if n in vnames or len(n) <= 3:
                    continue
                if g.kind != "work":
                    token_owner[n].add(mid)
                elif " " in n:
                    work_names[n].add(mid)
                else:
                    quoted_titles[n] = mid
            continue
        if g.kind != "person":
            continue
        for n in g.names:
            if n in vnames:
                continue
            token_owner[n].add(mid)
            for tok in n.split():
                if len(tok) > 2 and tok[:1].isupper():   # never "and", "for", "van" on their own
                    token_owner[tok].add(mid)
        for n in vnames:  # "Maddocks" alone where the source that misspells "Kieran Maddox" says it again
            for tok in n.split():
                if len(tok) > 2 and tok[:1].isupper() and tok not in g.names:
                    token_owner[tok].add(mid)
        for nick in g.nicknames:
            token_owner[nick].add(mid)
    aliases = {a: next(iter(ids)) for a, ids in token_owner.items() if len(ids) == 1}
    aliases |= {a: next(iter(ids)) for a, ids in work_names.items() if len(ids) == 1 and a not in token_owner}
    aliases = dict(sorted(aliases.items(), key=lambda kv: (-len(kv[0]), kv[0])))  # longest first
    # a single word two people carry ("Teague") is read by who was named last
    shared = {a: ids for a, ids in token_owner.items()
              if len(ids) > 1 and " " not in a and all(kind_of.get(i) == "person" for i in ids)}
    by_doc: dict[str, list[tuple[int, int]]] = defaultdict(list)
    known: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc].append((m.start, m.end))
        known[m.doc].append(m)
    index = alias_index(aliases)
    for a in articles:
        # (nor in a masthead line: "Posted by Keith Barlow | 13 September 2025 | Pipe Dreams: notes from ...")
        lines = masthead_lines(a.text)
        found = [m for m in find_alias_mentions(a, aliases, by_doc[a.id], index, shared, known[a.id])
                 if not any(s <= m.start < e for s, e in lines)]
        mentions.extend(found)
        mentions.extend(quoted_title_mentions(a, quoted_titles, by_doc[a.id] + [(m.start, m.end) for m in found]))
    mentions.sort(key=lambda m: (m.doc, m.start))

    counts: dict[str, Counter] = defaultdict(Counter)
    surfaces: dict[str, set[str]] = defaultdict(set)
    titled_forms: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        counts[m.member][m.doc] += 1
        surfaces[m.member].add(" ".join(m.text.split()))
        titled = written_title(texts[m.doc], m.start)
        if titled:
            titled_forms[m.member][f"{titled} {' '.join(m.text.split())}"] += 1   # "Cllr Pellow", "Mr. Bennet"
    for mid, forms in titled_forms.items():
        surfaces[mid].update(forms)
    doc_order = {a.id: i for i, a in enumerate(articles)}
    members = name_authors(members, articles, counts)
    cast = []
    for g, mid, name in members:
        if g.titled:   # "Mrs. Bennet", as the text writes the title, not "Bennet" for her and for him
            name = titled_forms[mid].most_common(1)[0][0]
        aliases_ = set(g.names) | g.nicknames | {n for n, _ in g.variants}
        # surface forms, but not the nickname form with its quotation marks
        aliases_ |= {clean_surface(s) for s in surfaces[mid] if not _NICK.fullmatch(s)}
        aliases_.discard(name)
        cast.append(CastMember(
            id=mid, name=name, kind=g.kind,
            aliases=tuple(sorted(a for a in aliases_ if a)),
            mentions=tuple(DocCount(doc=d, count=c) for d, c in sorted(counts[mid].items(), key=lambda kv: doc_order.get(kv[0], 0))),
            variants=tuple(sorted(set(g.variants))),
        ))
    return cast, mentions


def name_authors(members: list, articles: list[Article], counts: dict[str, Counter]) -> list:
    """A person called by a given name alone only in the article of an author who has that given name is the
    author: "Keith, I've never seen anything like it," a friend tells the blogger of "Posted by Keith Barlow".
    The member takes the byline's full name; a given name other people carry, or one used in other articles,
    is left alone."""
    out = list(members)
    for a in articles:
        full = " ".join((a.author or "").split())
        if len(full.split()) < 2 or not all(w[:1].isupper() for w in full.split()):
            continue
        given = full.split()[0]
        same = [n for n, (g, mid, name) in enumerate(out) if g.kind == "person" and name.split()[0] == given]
        if len(same) != 1:
            continue
        g, mid, name = out[same[0]]
        if name == given and set(counts[mid]) == {a.id}:
            out[same[0]] = (g, mid, full)
    return out


def clean_surface(s: str) -> str:
    for suffix in ("'s", "’s"):
        if s.endswith(suffix):
            return s[: -len(suffix)]
    return s


def run(story: Story, res) -> Story:
    cast, mentions = build_cast(list(story.articles), story.annotations)
    return story.model_copy(update={"cast": tuple(cast), "mentions": tuple(mentions)})
