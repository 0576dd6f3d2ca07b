"""Stance stage and stance model. Texts are our own, written for these tests."""
from __future__ import annotations

import hashlib
import re
import socket

import numpy as np
import pytest

from counterpoint.errors import ModelMissingError
from counterpoint.model import Annotation, Article, Quote, Story
from counterpoint.stages import stance
from counterpoint.stancemodel import MODEL_PATH, load_stance_model


# --- fakes --------------------------------------------------------------------

def fake_embed(texts):
    """Deterministic unit vectors from a bag of hashed words (similar words, similar vectors)."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in re.findall(r"[a-z]+", t.lower()):
            out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 384] += 1.0
        out[i] /= np.linalg.norm(out[i]) or 1.0
    return out


class FakeModel:
    """'bad'/'never' lean against, 'great'/'should' lean for; no real model."""

    version = "fake"

    def sentence_probs(self, claim, sentences):
        rows = []
        for s in sentences:
            s = s.lower()
            f = 1.0 + 2 * ("great" in s) + ("should" in s)
            a = 1.0 + 2 * ("bad" in s) + ("never" in s)
            rows.append([f, a, 1.5])
        p = np.array(rows, dtype=float).reshape(-1, 3)
        return p / p.sum(1, keepdims=True)

    def relevance(self, claim, sentences):
        return np.array([0.9 if "bridge" in s.lower() else 0.2 for s in sentences])

    def document_probs(self, claim, sentences, weights=None):
        p = self.sentence_probs(claim, sentences)
        w = np.ones(len(p)) if weights is None else np.asarray(weights)
        f, a = (p[:, 0] * w).sum(), (p[:, 1] * w).sum()
        z = np.array([f, a, 0.6 * (f + a), 0.1])
        return z / z.sum()


class FakeRes:
    def __init__(self):
        self.stance_model = FakeModel()

    def embed(self, texts):
        return fake_embed(texts)


def split_sentences(text):
    return tuple((m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]”?", text)
                 if text[m.start():m.end()].strip())


def make_story(docs, claim=None, quotes=()):
    arts, anns = [], {}
    for i, (title, text) in enumerate(docs, 1):
        did = f"d{i}"
        arts.append(Article(id=did, source=f"{did}.txt", text=text, title=title))
        spans = tuple(stance_trim(text, a, b) for a, b in split_sentences(text))
        anns[did] = Annotation(doc=did, sentences=spans, tokens=(), entities=())
    return Story(articles=tuple(arts), annotations=anns, claim_text=claim, quotes=tuple(quotes))


def stance_trim(text, a, b):
    while a < b and text[a].isspace():
        a += 1
    return a, b


FOR_TEXT = (
    "The new bridge over the Elm river is a great idea. It should be built this year. "
    "Commuters would save an hour a day, and the town deserves a great link to the coast."
)
AGAINST_TEXT = (
    "The bridge plan is a bad idea. The town can never afford it, and the river valley would be ruined. "
    "It is a bad deal for everyone who lives here."
)


# --- claim --------------------------------------------------------------------

def test_stance_claim_user_kept_verbatim():
    story = make_story([("Bridge news", FOR_TEXT)], claim="The Elm bridge should be built.")
    out = stance.run(story, FakeRes())
    assert out.claim.text == "The Elm bridge should be built."
    assert out.claim.origin == "user"


@pytest.mark.parametrize("title,expected,reported", [
    ("Marco Vell Says He Wants Dana Back", "Marco Vell wants Dana back.", True),
    ("Dana Ruiz and Marco Vell Should Get Back Together", "Dana Ruiz and Marco Vell should get back together.", False),
    ("Should the Town Build the Bridge?", None, False),
    ("Storm closes the harbour for a week", None, False),   # news, not a proposition
])
def test_stance_headline_proposition(title, expected, reported):
    prop, rep = stance.headline_proposition(title)
    assert prop == expected
    if expected:
        assert rep is reported


def test_stance_proposed_claim_is_declarative_not_reported_speech():
    story = make_story([
        ("Marco Vell Says He Wants Dana Back",
         "Marco Vell spoke to a radio host on Monday. Honestly, Dana and Marco should get back together. "
         "Fans have waited for years."),
        ("Why the reunion makes sense",
         "I think Dana and Marco should get back together. They were happier as a couple."),
        ("A reunion would be a mistake",
         "Dana should not go back to Marco. She has built a new life."),
    ])
    claim = stance.run(story, FakeRes()).claim
    assert claim.origin == "auto"
    assert claim.text.endswith(".")
    assert not re.search(r"\bsays\b", claim.text, re.I)
    assert "should" in claim.text
    assert claim.text[0].isupper()
    assert len(claim.alternatives) <= 3


@pytest.mark.parametrize("sentence,expected", [
    ("I know it isn't an excuse, but he has changed his ways for good.", "he has changed his ways for good."),
    ("Although the cost is high, the bridge will pay for itself quickly.", "the bridge will pay for itself quickly."),
    ("The bridge will pay for itself.", "The bridge will pay for itself."),
    ("Fine, but no.", "Fine, but no."),   # too short after "but": keep the whole sentence
])
def test_stance_concession_clause(sentence, expected):
    assert stance.stance_text(sentence) == expected


# --- sentences and documents with a fake model ---------------------------------

def test_stance_quoted_speech_is_reported():
    text = ("The mayor spoke at noon. \u201cThe bridge is a bad idea and we will never pay for it.\u201d "
            "The bridge is a great idea anyway.")
    story = make_story([("Bridge", text)])
    out = stance.run(story, FakeRes())
    voices = {s.text: s.voice for s in out.sentence_stances}
    quoted = next(t for t in voices if "never pay" in t)
    assert voices[quoted] == "reported"
    assert voices["The bridge is a great idea anyway."] == "author"


def test_stance_quote_spans_mark_reported():
    text = "Officials agreed the bridge is a bad deal for the town. Others disagreed."
    q = Quote(id="q1", doc="d1", start=0, end=54, text=text[0:54], speaker=None, kind="indirect")
    out = stance.run(make_story([("Bridge", text)], quotes=[q]), FakeRes())
    assert out.sentence_stances[0].voice == "reported"
    assert out.sentence_stances[1].voice == "author"


def test_stance_every_sentence_gets_a_stance_with_valid_offsets():
    story = make_story([("For", FOR_TEXT), ("Against", AGAINST_TEXT)])
    out = stance.run(story, FakeRes())
    n = sum(len(a.sentences) for a in story.annotations.values())
    assert len(out.sentence_stances) == n
    for s in out.sentence_stances:
        assert story.article(s.doc).text[s.start:s.end] == s.text
        assert 0 <= s.relevance <= 1 and 0 <= s.score <= 1
    for doc in out.stances.values():
        assert 2 <= len(doc.evidence) <= 5
        assert [e.start for e in doc.evidence] == sorted(e.start for e in doc.evidence)
        assert 0 <= doc.confidence <= 1


def test_stance_document_labels_with_fake_model():
    out = stance.run(make_story([("For", FOR_TEXT), ("Against", AGAINST_TEXT)],
                                claim="The Elm bridge should be built."), FakeRes())
    assert out.stances["d1"].label == "for"
    assert out.stances["d2"].label == "against"


def test_stance_deterministic():
    story = make_story([("For", FOR_TEXT), ("Against", AGAINST_TEXT)])
    assert stance.run(story, FakeRes()) == stance.run(story, FakeRes())


@pytest.mark.parametrize("probs,label", [
    ([0.6, 0.1, 0.2, 0.1], "for"),
    ([0.1, 0.5, 0.3, 0.1], "against"),
    ([0.4, 0.1, 0.3, 0.2], "neutral"),   # discuss + unrelated outweigh agree
])
def test_stance_fnc_labels_map_to_counterpoint(probs, label):
    got, conf = stance.to_label(np.array(probs))
    assert got == label
    assert 0 < conf <= 1


def test_stance_no_articles():
    out = stance.run(Story(claim_text="Bridges are good."), FakeRes())
    assert out.claim.text == "Bridges are good."
    assert out.stances == {}


# --- the real model -------------------------------------------------------------

def test_stance_model_missing_raises(tmp_path):
    with pytest.raises(ModelMissingError):
        load_stance_model(fake_embed, tmp_path / "nope.npz")


def test_stance_model_loads_without_network(monkeypatch):
    def refuse(*a, **k):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert MODEL_PATH.exists()
    model = load_stance_model(fake_embed)
    assert model.version.startswith("stance-v1")
    p = model.sentence_probs("The bridge should be built.", ["It is a bad idea.", "We need it."])
    assert p.shape == (2, 3)
    np.testing.assert_allclose(p.sum(1), 1, atol=1e-5)
    d = model.document_probs("The bridge should be built.", ["It is a bad idea.", "We need it."], [1.0, 0.4])
    assert d.shape == (4,)
    assert abs(d.sum() - 1) < 1e-5
    r = model.relevance("The bridge should be built.", ["It is a bad idea."])
    assert 0 <= r[0] <= 1


@pytest.fixture(scope="module")
def real_res():
    from counterpoint.resources import Resources

    return Resources()


def real_story(res, docs, claim):
    from counterpoint.stages import language

    arts = tuple(Article(id=f"d{i}", source=f"d{i}.txt", text=t, title=h) for i, (h, t) in enumerate(docs, 1))
    return Story(articles=arts, annotations=language.annotate(list(arts), res.nlp), claim_text=claim)


@pytest.mark.slow
def test_stance_real_model_for_and_against(real_res):
    claim = "The city should ban cars from the old town centre."
    docs = [
        ("Car-free streets would save the old town",
         "The city should ban cars from the old town centre. Banning cars would make the streets safer "
         "for children and cleaner for everyone. Cities that closed their centres to traffic saw more "
         "visitors and busier shops. A ban on cars in the old town is the right decision and it is long overdue."),
        ("A car ban would kill the old town",
         "Banning cars from the old town centre is a terrible mistake. The claim that a ban would help "
         "shops is false: traders say they would lose half their customers. The city must not ban cars; "
         "the plan should be rejected. There is no evidence that closing the streets helps anyone."),
    ]
    out = stance.run(real_story(real_res, docs, claim), real_res)
    assert out.stances["d1"].label == "for"
    assert out.stances["d2"].label == "against"
    for s in out.sentence_stances:
        assert abs(s.p_for + s.p_against + (1 - s.p_for - s.p_against) - 1) < 1e-9
        assert s.p_for + s.p_against <= 1.0001


@pytest.mark.slow
def test_stance_real_model_probabilities_sum_to_one(real_res):
    m = real_res.stance_model
    sents = ["The ban starts in May.", "It is a bad idea.", "Nobody asked the traders."]
    p = m.sentence_probs("The city should ban cars.", sents)
    np.testing.assert_allclose(p.sum(1), 1, atol=1e-5)
    d = m.document_probs("The city should ban cars.", sents)
    assert abs(d.sum() - 1) < 1e-5 and (d >= 0).all()
    np.testing.assert_array_equal(d, m.document_probs("The city should ban cars.", sents))


@pytest.mark.parametrize("title", [
    "Moose and Renée: Why I’m Rooting for a Reunion (and You Should Be Too!)",
    "Why the Council Should Keep the Library Open",
    "Should They Get Back Together?",
])
def test_stance_headline_that_is_no_proposition(title):
    from counterpoint.stages.stance import headline_proposition

    assert headline_proposition(title)[0] is None


# --- the cross-encoder ------------------------------------------------------------

class FakeCrossEncoder:
    """Reads every sentence as arguing against the claim, with one certainty."""

    version = "fake-ce"

    def __init__(self, p_for=0.05):
        self.p_for = p_for
        self.calls = []

    def prob_for(self, claim, sentences):
        self.calls.append(list(sentences))
        return np.full(len(sentences), self.p_for)


def test_stance_cross_encoder_split_keeps_the_stance_taking_mass():
    probs = np.array([[0.6, 0.2, 0.2], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])
    rel = np.array([0.9, 0.5, 0.1])
    out, q = stance.cross_encoder_split(probs, rel, np.ones(3), [0, 1], np.array([0.1, 0.9]))
    np.testing.assert_allclose(out.sum(1), 1)
    np.testing.assert_allclose(out[:, 2], probs[:, 2])          # neutral mass untouched
    np.testing.assert_allclose(out[0, :2], [0.08, 0.72])        # 0.8 taken, split 0.1 / 0.9
    np.testing.assert_allclose(out[2], probs[2])                # not read: unchanged
    assert q == pytest.approx((0.9 * 0.8 * 0.1 + 0.5 * 0.2 * 0.9) / (0.9 * 0.8 + 0.5 * 0.2))
    assert probs[0, 0] == 0.6                                   # the input is not changed


def test_stance_cross_encoder_reads_the_most_relevant_wordy_sentences():
    ce = FakeCrossEncoder()
    texts = [f"The bridge plan number {i} is here." for i in range(10)] + ["Bridge!"]
    rel = np.linspace(0.1, 1.0, 11)
    idx, p = stance.cross_encoder_read("The bridge should be built.", texts, rel, np.ones(11), ce)
    assert idx == list(range(10 - stance.CE_TOP, 10))           # "Bridge!" is too short to read
    assert len(p) == stance.CE_TOP and ce.calls == [[texts[i] for i in idx]]
    assert stance.cross_encoder_read("c", texts, rel, np.ones(11), None) == ([], pytest.approx(np.zeros(0)))


def test_stance_cross_encoder_decides_a_loose_thesis():
    # "It should be finished this year" restates the claim too loosely for the similarity rule, with an action the
    # opposites list cannot relate to building; a cross-encoder sure of its side makes it the article's thesis
    res = FakeRes()
    text = FOR_TEXT.replace("It should be built this year.", "It should be finished this year.")
    story = make_story([("For", text)], claim="The Elm bridge should be built.")
    assert stance.run(story, res).stances["d1"].label == "for"
    res.stance_cross_encoder = FakeCrossEncoder(0.02)
    out = stance.run(story, res)
    assert out.stances["d1"].label == "against"
    read = [s for s in out.sentence_stances if s.p_against > s.p_for]
    assert read and all(s.label in ("against", "neutral") for s in read)


def test_pair_model_missing_raises(tmp_path):
    from counterpoint.pairmodel import load_pair_model

    with pytest.raises(ModelMissingError, match="train_stance_ce.py"):
        load_pair_model(tmp_path / "nope.safetensors")


@pytest.mark.slow
def test_pair_model_refuses_another_base_model(tmp_path):
    import torch
    from safetensors.torch import save_file

    from counterpoint.pairmodel import load_pair_model

    path = tmp_path / "other.safetensors"
    save_file({"head.weight": torch.zeros(2, 384)}, str(path),
              metadata={"counterpoint": '{"version": "x", "word_embeddings_sha256": "' + "0" * 64 + '"}'})
    with pytest.raises(ModelMissingError, match="another all-MiniLM"):
        load_pair_model(path)


@pytest.mark.slow
def test_pair_model_reads_sides_of_unseen_claims(real_res):
    ce = real_res.stance_cross_encoder
    claim = "Cities should make public transport free."
    sents = [
        "Free buses and trams would get cars off the road and help people on low incomes.",
        "Making transport free would drain the budget that pays for new lines and better service.",
        "Fares are a small part of what keeps people from taking the bus.",
    ]
    p = ce.prob_for(claim, sents)
    assert p.shape == (3,) and ((p >= 0) & (p <= 1)).all()
    assert p[0] > 0.5 > p[1]
    q = ce.prob_for("Cities should not make public transport free.", sents[:2])   # the claim turned round
    assert q[0] < 0.5 < q[1]
    np.testing.assert_array_equal(p, ce.prob_for(claim, sents))   # deterministic
    np.testing.assert_allclose(p[:1], ce.prob_for(claim, sents[:1]), atol=1e-4)  # batch-independent enough


def test_stance_cross_encoder_also_reads_the_authors_arguments():
    ce = FakeCrossEncoder()
    texts = [f"Sentence number {i} says something here." for i in range(40)]
    rel = np.full(40, 0.5)
    rel[:6] = 0.9                                   # the six most relevant
    weights = np.ones(40, dtype=np.float32)
    weights[10] = stance.REPORTED_WEIGHT            # someone else's words: not an argument of the author's
    arg = np.zeros(40)
    arg[[8, 10, 12]] = 0.9
    arg[14] = 0.3                                   # not surely an argument
    rel[12] = 0.05                                  # an argument about something else
    idx, p = stance.cross_encoder_read("A claim.", texts, rel, weights, ce, arg)
    assert idx == [0, 1, 2, 3, 4, 5, 8]
    arg[6:40] = 0.9
    idx, _ = stance.cross_encoder_read("A claim.", texts, rel, weights, ce, arg)
    assert len(idx) == stance.CE_MAX and set(range(6)) <= set(idx) and 10 not in idx


def test_pair_model_remembers_whole_calls():
    from counterpoint.pairmodel import PairModel

    calls = []

    def logits(claim, sentences, batch_size=32):
        calls.append(tuple(sentences))
        return np.array([[0.0, float(len(s))] for s in sentences], dtype=np.float32)

    m = PairModel(module=None, tokenizer=None, version="fake", memo_size=2)
    m.logits = logits
    a = m.prob_for("c", ["ab", "abc"])
    b = m.prob_for("c", ["ab", "abc"])
    np.testing.assert_array_equal(a, b)
    assert calls == [("ab", "abc")]
    m.prob_for("c", ["x"])
    m.prob_for("other claim", ["x"])              # the memo keeps the last two calls
    m.prob_for("c", ["ab", "abc"])
    assert len(calls) == 4 and len(m._memo) == 2
    b[0] = -1                                     # a caller changing its copy changes nothing remembered
    assert m.prob_for("c", ["ab", "abc"])[0] == a[0]


@pytest.mark.parametrize("sentence,claim,polarity", [
    ("The board should close the pool this winter.", "The board should keep the pool open.", -1),
    ("The board should keep the pool open all year.", "The board should keep the pool open.", 1),
    ("The board should not close the pool.", "The board should keep the pool open.", 1),
    ("The museum must never sell the painting.", "The museum should keep the painting.", 1),
    ("United should keep their captain.", "United should sell their captain.", -1),
    ("United should not keep him.", "United should sell their captain.", 1),
    ("The bypass should be scrapped.", "The bypass should be built.", -1),
    ("The county should reject the bypass.", "The bypass should be built.", -1),
    ("The county should approve the bypass.", "The bypass should be built.", 1),   # not opposites
    ("They should move on.", "Ana and Tom should get back together.", -1),
    ("They should split up for good.", "Ana and Tom should get back together.", -1),
    ("They should get back together.", "Ana and Tom should get back together.", 1),
    ("He should stop talking about it.", "Ana and Tom should get back together.", 1),  # no listed action: by negation
    ("The weather was fine.", "The bypass should be built.", 0),
    ("On 28 November it should leave the licence where it is.", "The licence should be taken away.", -1),
    ("The regulator should revoke the licence.", "The licence should be taken away.", 1),
    ("Kestrel should reinstate Len Marchbank.", "Kestrel should drop Len Marchbank.", -1),
])
def test_stance_thesis_polarity_reads_opposite_actions(sentence, claim, polarity):
    assert stance.thesis_polarity(sentence, claim) == polarity


def test_stance_opposite_actions_list_reads_both_ways():
    assert "keep" in stance._OPPOSITE["close"] and "close" in stance._OPPOSITE["keep"]
    assert stance.base_form("scrapped") == "scrap" and stance.base_form("built") == "build"
    assert stance.base_form("closed") == "close" and stance.base_form("approved") == "approve"


def test_stance_mix_related_keeps_relatedness():
    from counterpoint.stancemodel import mix_related

    head = np.array([0.3, 0.1, 0.4, 0.2])
    out = mix_related(head, np.array([0.0, 1.0, 0.0]), 0.25)
    assert out[3] == pytest.approx(0.2) and out.sum() == pytest.approx(1.0)
    assert out[1] > head[1] and out[0] < head[0]                   # moved towards the cross-encoder's split
    np.testing.assert_allclose(mix_related(head, np.array([0.2, 0.7, 0.1]), 0.0), head)   # beta 0: the head


class FakeDocCrossEncoder:
    """Always reads the evidence as disagreeing; records what it was given."""

    def __init__(self, beta=1.0):
        self.meta = {"mix_beta": beta}
        self.seen = []

    def probs(self, claim, evidence):
        self.seen.append((claim, list(evidence)))
        return np.array([[0.0, 1.0, 0.0]] * len(evidence))


@pytest.mark.slow
def test_stance_document_cross_encoder_splits_the_related_mass(real_res):
    texts = ["The council voted to keep the Harbour Lane library open on Monday.",
             "Supporters said the branch is used by hundreds of children every week.",
             "The weather was mild.",
             "Officials will publish the budget next month."]
    voices = ["author"] * 4
    claim = "The council should keep the Harbour Lane library open."
    model = real_res.stance_model
    plain = stance.article_stance(texts, voices, claim, model)
    fake = FakeDocCrossEncoder(beta=1.0)
    mixed = stance.article_stance(texts, voices, claim, model, doc_ce=fake)
    assert len(fake.seen) == 1 and fake.seen[0][0] == claim
    assert len(fake.seen[0][1]) == 1 and len(fake.seen[0][1][0].split()) >= 4   # one joined evidence text
    assert mixed[2][3] == pytest.approx(plain[2][3])        # how related: the head's alone
    assert mixed[2][1] > plain[2][1] and mixed[2][0] < plain[2][0]


@pytest.mark.slow
def test_stance_document_cross_encoder_is_the_committed_one(real_res):
    ce = real_res.stance_doc_cross_encoder
    assert ce is not None, "models/stance-doc-ce-v1.safetensors is committed with its card"
    assert ce.version == "stance-doc-ce-v1" and ce.meta["mix_beta"] == 0.25
    p = ce.probs("A new stadium should be built in Rowley.",
                 ["The club confirmed on Monday that plans for a new stadium in Rowley had been filed."])
    assert p.shape == (1, 3) and p.sum() == pytest.approx(1.0, abs=1e-3)


# --- reports, arguments and headline theses --------------------------------------

@pytest.mark.parametrize("verb,want", [
    ("send", "sent"), ("keep", "kept"), ("close", "closed"), ("scrap", "scrapped"), ("ban", "banned"),
    ("open", "opened"), ("bury", "buried"), ("merge", "merged"), ("return", "returned"), ("stay", "stayed"),
])
def test_stance_participle(verb, want):
    assert stance.participle(verb) == want


@pytest.mark.parametrize("sentence,want", [
    ("The bridge plan is a bad idea.", True),
    ("Closing the branch would be a mistake.", True),
    ("It should be built this year.", True),
    ("The museum is right to wait.", True),
    # someone else's verdict, a rule, a fact: not the author judging
    ("Smith said the plan was a bad idea.", False),
    ("The council argued that the branch should close.", False),
    ("Residents must sign up in advance with the clerk.", False),
    ("The deal was signed on Monday.", False),
    ("The vote was a close one.", False),
])
def test_stance_judges(sentence, want):
    assert stance.judges(sentence) is want


REPORT = ("The council voted on Tuesday to close the Elm bridge. The bridge opened in 1962. "
          "Smith said the closure was a bad idea. The final vote is due in June.")
COLUMN = ("I have crossed the Elm bridge every day for thirty years. My children learned to fish from it. "
          "Why close it now? Who gains? The council has not said.")


def test_stance_an_unsigned_editorial_argues():
    text = ["The council should keep the Elm bridge open.", "Closing it would be a mistake.",
            "The bridge carries 4,000 cars a day.", "The repairs were costed in May."]
    assert stance.argues(text, ["author"] * 4) and not stance.reports_only(text, ["author"] * 4)


def test_stance_reports_only_and_argues():
    sents = lambda t: [t[a:b] for a, b in split_sentences(t)]
    r, c = sents(REPORT), sents(COLUMN)
    assert stance.reports_only(r, ["author"] * len(r)) and not stance.argues(r, ["author"] * len(r))
    assert stance.argues(c, ["author"] * len(c)) and not stance.reports_only(c, ["author"] * len(c))
    # a first person inside a quote is the speaker's, not the author's
    assert stance.reports_only(c, ["reported"] * 2 + ["author"] * (len(c) - 2)) is False   # two questions left
    assert stance.reports_only(r[:2], ["author"] * 2) is False    # too short to tell


def test_stance_a_quote_begun_in_the_sentence_before_is_not_the_authors():
    # a report whose one first-person sentence is the tail of a two-sentence quote still reports only
    text = ["More than 150 people came to the hearing last night.",
            "\"She used to say it was the worst corner in town.",
            "I would like this council to prove her right,\" said Joel Amsden, 37, who married her in 2019.",
            "The council votes on Nov. 18."]
    voices = ["author", "reported", "author", "author"]
    assert stance.reports_only(text, voices)
    text[2] = "I would like this council to prove her right, and I said so to Joel Amsden."
    assert not stance.reports_only(text, voices)


def test_stance_a_report_takes_no_side_on_what_should_be_done():
    # the fake model leans "for" on "great"; a report that never speaks for its author stays neutral on a
    # claim of what should be done, and keeps the model's reading on a claim of fact
    text = ("The great Elm bridge opened in 1962. The council voted on Tuesday to keep the great bridge open. "
            "Engineers inspected the great bridge in May.")
    normative = stance.run(make_story([("Report", text)], claim="The Elm bridge should stay open."), FakeRes())
    factual = stance.run(make_story([("Report", text)], claim="The Elm bridge is open."), FakeRes())
    assert normative.stances["d1"].label == "neutral"
    assert factual.stances["d1"].label == "for"


def test_stance_an_author_arguing_in_the_first_person_takes_a_side():
    text = ("I have crossed the Elm bridge for thirty years. My view is simple. "
            "The bridge matters to my street. Is a ferry any better? Is anyone listening?")
    out = stance.run(make_story([("Column", text)], claim="The Elm bridge should be kept."), FakeRes())
    assert out.stances["d1"].label in ("for", "against")


@pytest.mark.slow
@pytest.mark.parametrize("title,want", [
    ("Send the harbour bells home", "The harbour bells should be sent home."),
    ("The bells belong to everyone. Keep them in Dunmere", "The bells should be kept in Dunmere."),
    ("Merging our two colleges is the only way to save them", "The two colleges should be merged."),
    ("Closing the Elm Street pool would save pennies and cost a town", "The Elm Street pool should be closed."),
    ("Forty boats, one message: keep the harbour ferry", "The harbour ferry should be kept."),
    ("Our view: Let the three bears retire to the sanctuary", "The three bears should retire to the sanctuary."),
    ("Let the library close", "The library should close."),
    # a report, a question, a statement of fact: no thesis
    ("Council votes to close Elm Street pool", None),
    ("Why the bells matter", None),
    ("Mayor Says Bells Should Stay", None),
])
def test_stance_headline_thesis(res, title, want):
    assert stance.headline_thesis(title, res.nlp) == want


# --- verdicts on the story's decision ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,want", [
    ("On Monday the trustees made the right decision.", 1),
    ("I still think Friday's vote was the right one.", 1),
    ("The board was right to wait for the surveyors.", 1),
    ("The committee got it wrong.", -1),
    ("The closure is a terrible mistake.", -1),
    ("The full assembly should overturn the cut and ask for a proper study.", -1),
    ("The governors must think again.", -1),
    ("The vote was not the right one.", -1),
    # not a verdict on a decision
    ("She is right to be careful with wood this old.", 0),
    ("Was it the right decision?", 0),
    ("The pool opened in 1962 and was painted blue.", 0),
])
def test_stance_decision_verdict(sentence, want):
    assert stance.decision_verdict(sentence) == want


@pytest.mark.parametrize("a,b,want", [
    ("keep", "send", -1), ("send", "send", 1), ("end", "stop funding", 1), ("close", "keep", -1),
    ("build", "hire", 0),
])
def test_stance_action_relation(a, b, want):
    assert stance.action_relation(a, b) == want


def test_stance_story_decision_side_toward_the_claim():
    claim = "The Elm bridge should be closed."
    sents = ["Councillors voted to keep the Elm bridge open on Tuesday.",
             "Elm bridge: council votes to keep it open"]
    assert stance.story_decision(sents, claim, fake_embed, min_sim=0.2) == -1
    assert stance.story_decision(["The council voted to close the Elm bridge."], claim, fake_embed, 0.2) == 1
    assert stance.story_decision(["The council voted not to close the Elm bridge."], claim, fake_embed, 0.2) == -1
    # a decision about something else, or two that disagree, or no listed action: no side
    assert stance.story_decision(["The club voted to keep its chairman."], claim, fake_embed, 0.5) == 0
    assert stance.story_decision(sents + ["The council voted to close the Elm bridge."], claim, fake_embed, 0.2) == 0
    assert stance.story_decision(["The council voted to paint the Elm bridge."], claim, fake_embed, 0.2) == 0
    # "by four votes to five" is a count, not a decision
    assert stance.story_decision(["The Elm bridge motion fell by four votes to five."], claim, fake_embed, 0.2) == 0


def test_stance_a_verdict_on_the_decision_takes_the_decisions_side():
    # the council decided to keep the bridge; calling that right argues against closing it, calling it wrong for
    report = ("The Elm bridge will stay open. The council voted on Tuesday to keep the Elm bridge open. "
              "Engineers inspected the Elm bridge in May.")
    right = ("I have crossed the Elm bridge all my life. On Tuesday the council made the right decision. "
             "My street depends on the bridge.")
    wrong = ("The council got it wrong on the Elm bridge. The full council should overturn the decision. "
             "The bridge is older than the town hall.")
    out = stance.run(make_story([("Council keeps Elm bridge", report), ("Column", right), ("Editorial", wrong)],
                                claim="The Elm bridge should be closed."), FakeRes())
    assert out.stances["d2"].label == "against"
    assert out.stances["d3"].label == "for"
    assert out.stances["d1"].label == "neutral"


def test_stance_a_pending_decision_is_no_decision():
    claim = "The Elm bridge should be closed."
    assert stance.story_decision(["The council will make a decision on whether to close the Elm bridge."],
                                 claim, fake_embed, 0.2) == 0
    assert stance.story_decision(["The council voted 7-2 on Tuesday to close the Elm bridge."],
                                 claim, fake_embed, 0.2) == 1


@pytest.mark.slow
def test_stance_body_imperatives(res):
    texts = ["Fill in the form and tell the health authority what the town knows: keep the colleges apart, "
             "and keep our campus whole.",
             "So close the pool and be done with it.",
             "Write to your councillor before Tuesday.",          # not an action the opposites list knows
             "Close to the river, the old hut still stands.",     # not an imperative
             "Keep the colleges apart?"]                          # a question
    out = stance.body_imperatives(texts, ["author"] * 5, res.nlp)
    assert out == [(0, "The colleges should be kept apart."), (1, "The pool should be closed.")]
    # a listed action of two words, and an object after "for" / "against"
    assert stance.body_imperatives(["Here is my ask to the board: vote for the all-day ban.",
                                    "Vote against the bypass."], ["author"] * 2, res.nlp) == [
        (0, "The all-day ban should be voted for."), (1, "The bypass should be voted against.")]
    # a quoted speaker's imperative is not the author's
    assert stance.body_imperatives(texts[:1], ["reported"], res.nlp) == []


@pytest.mark.slow
def test_stance_an_imperative_in_the_body_is_a_thesis(res):
    # the opposites list relates "kept apart" to "merge", so a loose restatement still counts, on the other side
    claim = "Harlow College and Wexley College should merge."
    found = stance.find_theses(["The colleges should be kept apart."], ["author"], claim, res.embed)
    assert [(i, pol) for i, pol, _ in found] == [(0, -1)]


@pytest.mark.parametrize("sentence,claim,polarity", [
    ("The wind farm should be voted against.", "The wind farm should be built.", -1),
    ("The wind farm should be voted for.", "The wind farm should be built.", 1),
    ("The council should vote against the wind farm.", "The council should reject the wind farm.", 1),
    ("Councillors should oppose the bypass.", "The bypass should be built.", -1),
])
def test_stance_a_refusing_action_argues_against(sentence, claim, polarity):
    assert stance.thesis_polarity(sentence, claim) == polarity


def test_stance_a_quote_inside_an_authors_sentence_is_not_the_author_speaking():
    text = ["\u201cMy little brother was six,\u201d said Ann Lee, 67, who grew up near the plant.",
            "Asked whether she would accept a compromise, the councilwoman said: \u201cI'd listen.",
            "The council meets on Tuesday."]
    assert stance.reports_only(text, ["author"] * 3)
    assert not stance.argues(text, ["author"] * 3)


@pytest.mark.parametrize("texts,want", [
    (["The question in front of the council is whether to rename the library after Ann Lee.", "I went along.",
      "My answer is no, and I think most of my street's answer is no."],
     [(2, "The council should not rename the library after Ann Lee.")]),
    (["The board must decide whether the museum should return the posts.", "Our answer is a simple yes."],
     [(1, "The museum should return the posts.")]),
    (["My answer is no."], []),                                    # no question before it
])
def test_stance_an_answer_to_the_storys_question_is_a_thesis(texts, want):
    assert stance.answered_questions(texts, ["author"] * len(texts)) == want


def test_stance_an_answer_to_a_should_question(res):
    got = stance.answered_questions(["Should the city council rename the library?", "The answer is yes."],
                                    ["author"] * 2, res.nlp)
    assert got == [(1, "The city council should rename the library.")]


@pytest.mark.parametrize("clause,want", [
    ("the federation should clear her.", "the federation should clear Ann Lee."),
    ("they should lift her ban.", "they should lift Ann Lee's ban."),
    ("he should go.", "he should go."),                       # another gender: somebody else
])
def test_stance_pronouns_of_the_main_person_are_named(clause, want):
    assert stance.name_pronouns(clause, "Ann Lee") == want
    assert stance.name_pronouns(clause, None) == clause


def test_stance_two_actions_that_undo_the_same_thing_agree():
    assert stance.action_relation("clear", "lift") == 1
    assert stance.action_relation("uphold", "lift") == -1


@pytest.mark.parametrize("clause,reported", [
    ("The council's own policy says a name should honor an exceptional contribution", True),
    ("Critics argue the ban should go", True),
    ("I say we should keep it", False),
    ("The council should vote no", False),
    ("The man who said it should resign", False),
])
def test_stance_a_rule_reported_in_the_authors_sentence_is_no_claim(clause, reported):
    assert stance.reported_rule(clause) is reported


def test_stance_a_thesis_sentence_argues_its_side_whatever_the_sentence_model_read():
    # the fake model leans "for" on "great"; the sentence that states the claim's negation is read against
    text = "The great Elm bridge should not be built. I think the great plan is wrong. I walk there daily."
    out = stance.run(make_story([("Column", text)], claim="The great Elm bridge should be built."), FakeRes())
    first = [s for s in out.sentence_stances if s.text.startswith("The great Elm bridge should not")]
    assert first and first[0].label == "against" and first[0].p_against > first[0].p_for


def test_stance_a_vote_for_the_thing_the_claim_does_is_for_it():
    assert stance._votes_on_the_action("vote for", "ban", "The all-day ban should be voted for.")
    assert stance._votes_on_the_action("vote against", "ban", "The all-day ban should be voted against.")
    assert not stance._votes_on_the_action("vote for", "ban", "The budget should be voted for.")
    assert not stance._votes_on_the_action("keep", "ban", "The ban should be kept.")      # the opposites list's job


@pytest.mark.parametrize("clause,reported", [
    ("That researcher, Claire Mottram, wrote in a column last week that Kestrel should not take him back", True),
    ("wrote in a newspaper column last week that Kestrel should not take him back", True),
    ("So, since everyone else has had their say, here is mine: Saltmarsh Radio should ask her back", False),
    ("The Tavu posts should be sent home", False),          # "posts" is a noun here
    ("The man who said it should resign", False),
    ("I said then that the council should wait", False),
])
def test_stance_what_somebody_else_said_should_be_is_no_thesis_of_the_authors(clause, reported):
    assert stance.reports_someone(clause) is reported


def test_stance_the_question_a_hearing_is_about_is_no_thesis():
    texts = ["Westmere gave up the bonus, a week after a hearing into whether it should lose its licence.",
             "The licence should be taken away."]
    embed = lambda xs: np.ones((len(xs), 4), dtype=np.float32) / 2.0    # every clause as close as the claim
    theses = stance.find_theses(texts, ["author", "author"], "The licence should be taken away.", embed)
    assert [i for i, _, _ in theses] == [1]


def test_precision_env_turns_bfloat16_off(monkeypatch):
    from counterpoint.pairmodel import PRECISION_ENV, native_bf16

    monkeypatch.setenv(PRECISION_ENV, "fp32")
    assert native_bf16() is False
    monkeypatch.setenv(PRECISION_ENV, "auto")  # otherwise: whatever the CPU can do
    import torch

    assert native_bf16() is bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


@pytest.mark.slow
def test_pair_model_bfloat16_reads_as_fp32(real_res):
    # bfloat16 autocast (used where the CPU has it) must not move a reading: P(for) within 0.03 of fp32
    from dataclasses import replace

    ce = real_res.stance_cross_encoder
    claim = "The council should keep the Elm Street branch open."
    sents = ["Closing the branch would cut off the children who do their homework there every evening.",
             "The building needs a new roof the council cannot pay for.",
             "The branch opened in 1962."]
    z32 = replace(ce, bf16=False).logits(claim, sents)
    z16 = replace(ce, bf16=True).logits(claim, sents)
    p32, p16 = (1 / (1 + np.exp(-(z[:, 1] - z[:, 0]))) for z in (z32, z16))
    assert not np.array_equal(z32, z16)       # the two precisions really ran
    np.testing.assert_allclose(p16, p32, atol=0.03)


def test_stance_off_topic_articles():
    assert stance.off_topic({"d1": [0.9, 0.8, 0.95], "d2": [0.3, 0.2, 0.1, 0.25], "d3": [0.6, 0.2, 0.2]}) == {"d2", "d3"}
    assert stance.off_topic({"d1": [0.2, 0.1], "d2": [0.3]}) == set()     # all of them: the claim is off, not they
    assert stance.off_topic({"d1": [0.9], "d2": []}) == set()
    # with vectors: a low-relevance article whose words are the other articles' is still about the story
    vecs = {"d1": np.array([1.0, 0.0]), "d2": np.array([0.0, 1.0]), "d3": np.array([0.96, 0.28])}
    rel = {"d1": [0.9], "d2": [0.2], "d3": [0.2]}
    assert stance.off_topic(rel, vecs) == {"d2"}


def test_stance_an_off_topic_item_proposes_no_claim():
    # the fake model finds sentences about the bridge relevant; the roundup's second item is about leaves
    bridge = ("The council should keep the Elm bridge open. The Elm bridge carries 4,000 cars a day. "
              "Closing the bridge would cut the town in two.")
    report = "The Elm bridge vote is on Tuesday. The bridge was inspected in May. The bridge opened in 1962."
    leaves = "Residents should rake leaves to the curb. Collection starts on Monday. Bags go to the yard site."
    got = stance.run(make_story([("Keep the bridge", bridge), ("Bridge vote", report), ("Leaves", leaves)]),
                     FakeRes())
    assert "leaves" not in got.claim.text.lower()
    assert not any("leaves" in alt.lower() for alt in got.claim.alternatives)


def test_checks_flag_an_off_topic_article():
    from counterpoint.stages import checks

    bridge = "The council should keep the Elm bridge open. The Elm bridge carries 4,000 cars a day."
    leaves = "Residents should rake leaves to the curb. Collection starts on Monday. Bags go to the yard site."
    story = stance.run(make_story([("Keep the bridge", bridge), ("Leaves", leaves)],
                                  claim="The Elm bridge should stay open."), FakeRes())
    story = story.model_copy(update={"cast": (), "events": ()})
    found = checks.run(story, None).checks
    assert [(c.kind, c.docs) for c in found] == [("other", ("d2",))]
    assert "'Leaves' (d2) seems to be about something else" in found[0].message
    assert story.off_topic == ("d2",)


@pytest.mark.parametrize("refusal", [
    "Council should refuse the Carrow Ridge wind farm.",
    "Councillors must turn down the Carrow Ridge wind farm.",
    "Carrow Ridge wind farm should be rejected.",
])
def test_stance_proposed_claim_puts_the_proposal_not_its_refusal(refusal):
    """Of a proposal and a call to refuse it, equally central, the claim is the proposal put affirmatively; the
    refusal stays among the alternatives."""
    import numpy as np

    from counterpoint.stages.stance import calls_for_refusal

    embed = lambda texts: np.eye(4, dtype=np.float32)[: len(texts)]   # two candidates, equally central
    claim = stance.propose_claim([(refusal, "opinion", 0), ("The wind farm should be built.", "opinion", 1)], embed)
    assert claim.text == "The wind farm should be built." and claim.alternatives == (refusal,)
    assert calls_for_refusal(refusal) and not calls_for_refusal("The wind farm should be built.")


@pytest.mark.parametrize("text,voice", [
    # a title in quotation marks is nobody's words: the sentence is the author's
    ("If you have not read “Ageing Elephants in a Northern City”, please do.", "author"),
    ("I watched every series of “Delahaye's Kitchen Table” from 2016 until 2022.", "author"),
    # speech in quotation marks is reported, with or without a quote span
    ("“We are angry that a board can read a report like that and decide to wait and see.”", "reported"),
    ("“Force, no,” she said.", "reported"),
])
def test_stance_voice_a_title_in_quotation_marks_is_the_authors(text, voice):
    from counterpoint.stages.stance import quoted_mask, voice_of

    assert voice_of(quoted_mask(text, []), 0, len(text)) == voice
