"""Arguments: author-voice argument sentences clustered into key points per side."""
from __future__ import annotations

import numpy as np
import pytest

from counterpoint.model import Claim, DocStance, SentenceStance, Story
from counterpoint.stages import arguments
from counterpoint.stages.arguments import pick_side, tighten


def sst(doc, text, p_for, p_against, voice="author", start=0, relevance=0.6):
    p_neutral = max(0.0, 1 - p_for - p_against)
    label = max((("for", p_for), ("against", p_against), ("neutral", p_neutral)), key=lambda t: t[1])[0]
    return SentenceStance(doc=doc, start=start, end=start + len(text), text=text, label=label,
                          score=max(p_for, p_against, p_neutral), p_for=p_for, p_against=p_against,
                          relevance=relevance, voice=voice)


@pytest.mark.parametrize("sentence,expected", [
    ("And honestly, everyone deserves a second chance.", "Everyone deserves a second chance."),
    ("I think they should try again", "They should try again."),
    ("Look, a public plea is not an apology.", "A public plea is not an apology."),
    ("So what?", "What?"),
    ("I know, I know, relapse is a real risk, but a risk is not a sentence.", "A risk is not a sentence."),
    ("Sure, but why?", "Sure, but why?"),
    ("Here is the thing nobody on the call-in lines wanted to say: Castillo and Delaney should not get back "
     "together, and a radio studio is the last place on earth to decide it.",
     "Castillo and Delaney should not get back together, and a radio studio is the last place on earth to decide it."),
])
def test_arguments_tighten(sentence, expected):
    assert tighten(sentence) == expected


@pytest.mark.parametrize("text,p_for,p_against,doc,expected", [
    ("Everyone deserves a second chance.", 0.8, 0.1, "for", "for"),
    ("A radio plea is a performance.", 0.1, 0.8, "for", "against"),       # own right beats the article
    ("I know, relapse is a real risk.", 0.1, 0.7, "for", "against"),      # conceded: the other side's argument
    ("I know, relapse is a real risk.", 0.6, 0.2, "for", "against"),      # whatever the model reads in it
    ("I know relapse is a risk, but people change.", 0.7, 0.2, "for", "for"),
    # "OK" or "Yes" opening the writer's own talk grants nothing to the other side
    ("OK, I need to talk about this, because I have not stopped thinking about it.", 0.5, 0.3, "for", "for"),
    ("Yes, let me say it plainly: they belong together.", 0.6, 0.2, "for", "for"),
    ("OK, he relapsed once.", 0.6, 0.2, "for", "against"),                # still a concession
])
def test_arguments_pick_side(text, p_for, p_against, doc, expected):
    assert pick_side(sst("d1", text, p_for, p_against), doc)[0] == expected


def story_with(stances, labels):
    return Story(
        claim=Claim(text="They should get back together.", origin="user"),
        sentence_stances=tuple(stances),
        stances={d: DocStance(doc=d, label=lab, confidence=0.8, evidence=()) for d, lab in labels.items()},
    )


def test_arguments_cluster_across_articles(fake_res):
    stances = [
        sst("d1", "Everyone deserves a second chance at love.", 0.8, 0.1, start=0),
        sst("d2", "Everyone deserves a second chance, even him.", 0.8, 0.1, start=0),
        sst("d1", "Addiction is a disease and not a character flaw.", 0.7, 0.1, start=50),
        sst("d3", "A plea on the radio is a performance for the cameras.", 0.1, 0.8, start=0),
        sst("d3", "He quoted her saying no.", 0.1, 0.8, voice="reported", start=80),  # reported: not the author's
        sst("d2", "The weather was fine.", 0.3, 0.3, relevance=0.01, start=90),        # irrelevant
    ]
    story = arguments.run(story_with(stances, {"d1": "for", "d2": "for", "d3": "against"}), fake_res)
    by_side = {s: [a for a in story.arguments if a.side == s] for s in ("for", "against")}
    first = by_side["for"][0]
    assert first.key_point == "Everyone deserves a second chance at love." or first.key_point.startswith("Everyone deserves")
    assert first.documents == ("d1", "d2") and first.prevalence == 1.0
    assert len(first.support) == 2
    assert len(by_side["for"]) == 2 and by_side["for"][1].prevalence == 0.5
    assert [a.key_point for a in by_side["against"]] == ["A plea on the radio is a performance for the cameras."]
    texts = {s.text for a in story.arguments for s in a.support}
    assert "He quoted her saying no." not in texts and "The weather was fine." not in texts


def test_arguments_none_without_sentences(fake_res):
    assert arguments.run(Story(), fake_res).arguments == ()


def test_arguments_low_argument_probability_dropped():
    from tests.conftest import FakeResources

    stances = [sst("d1", "Everyone deserves a second chance at love.", 0.8, 0.1)]
    story = arguments.run(story_with(stances, {"d1": "for"}), FakeResources(arg_prob=0.1))
    assert story.arguments == ()


@pytest.mark.parametrize("sentence,expected", [
    ("Let us remember the history, too.", True),
    ("Here is the thing nobody wanted to say.", True),
    ("Let us be clear: a radio plea is not an apology, and she owes him nothing at all.", False),  # long: it argues
    ("Private matters belong in private.", False),
    # the writer talking about the writing, at any length
    ("OK, I need to talk about this, because I have not stopped thinking about it since Friday morning.", True),
    ("Honestly, I can’t stop thinking about it.", True),
    ("I have been thinking about second chances, and everyone deserves one.", False),   # a topic, not "it"
])
def test_arguments_steers_only(sentence, expected):
    from counterpoint.stages.arguments import steers_only

    assert steers_only(sentence) is expected


def test_arguments_a_sentence_answered_by_but_is_conceded():
    from counterpoint.stages.arguments import answered_by_next

    stances = [sst("d1", "Wanting someone back is human.", 0.2, 0.6),
               sst("d1", "But a radio studio is no place to ask.", 0.1, 0.8),
               sst("d2", "But this opens another article.", 0.1, 0.8)]
    assert answered_by_next(stances) == [True, False, False]
    assert pick_side(stances[0], "against", answered=True)[0] == "for"


def test_arguments_cluster_with_the_key_point_vectors():
    """The stage clusters with ``res.kp_embed`` (the key-point encoder), not the general sentence vectors."""
    import numpy as np

    from tests.conftest import FakeResources

    stances = [sst("d1", "Everyone deserves a second chance at love.", 0.8, 0.1, start=0),
               sst("d2", "Addiction is a disease and not a character flaw.", 0.8, 0.1, start=0)]
    res = FakeResources()
    assert len([a for a in arguments.run(story_with(stances, {"d1": "for", "d2": "for"}), res).arguments]) == 2
    res.kp_embed = lambda texts: np.ones((len(texts), 4), dtype=np.float32) / 2   # every sentence one point
    (only,) = arguments.run(story_with(stances, {"d1": "for", "d2": "for"}), res).arguments
    assert only.documents == ("d1", "d2") and len(only.support) == 2


@pytest.mark.slow
def test_kp_encoder_puts_one_point_nearer_than_another(res):
    """Sentences on one topic: two wordings of one point lie closer than either lies to a different point of
    the same side (the bundled MiniLM, which reads topic, puts the constitution nearer to the first)."""
    texts = ["Young people should be able to own a gun to protect themselves.",
             "Self-defence is a right, and a firearm lets a person defend their home.",
             "Gun ownership is protected by the constitution."]
    v = res.kp_embed(texts)
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] and v[0] @ v[1] > v[1] @ v[2]
    w = res.embed(texts)
    assert w[0] @ w[1] < w[0] @ w[2]


def test_kp_encoder_missing_artifact_is_a_clear_error(tmp_path):
    from counterpoint.errors import ModelMissingError
    from counterpoint.kpencoder import load_kp_encoder

    with pytest.raises(ModelMissingError, match="train_kp_encoder.py"):
        load_kp_encoder(tmp_path / "kp-encoder-v2.safetensors")


@pytest.mark.parametrize("sentence,expected", [
    ("I get it, but I don’t agree.", False),
    ("That has to mean something, right?", False),       # the tag "right?" names nothing
    ("A risk is not a sentence.", True),
    ("Wanting someone back is human.", True),
    ("They should give it another shot.", True),
    ("Is a radio studio the right place, really?", True),
])
def test_arguments_a_key_point_names_something(res, sentence, expected):
    """A sentence with no noun, name, adjective or number states no point to cluster or show."""
    from counterpoint.stages.arguments import names_something
    from counterpoint.stages.language import to_annotation

    assert names_something(to_annotation("d1", res.nlp(sentence)).tokens) is expected


def test_arguments_content_free_sentences_are_no_key_points(fake_res, res):
    """With the language pass's tokens at hand, the stage drops a sentence that names nothing."""
    from counterpoint.stages.language import to_annotation

    text = "I get it, but I don’t agree. Everyone deserves a second chance at love."
    cut = text.index("Everyone")
    stances = [sst("d1", text[:cut - 1], 0.8, 0.1, start=0), sst("d1", text[cut:], 0.8, 0.1, start=cut)]
    story = story_with(stances, {"d1": "for"})
    story = story.model_copy(update={"annotations": {"d1": to_annotation("d1", res.nlp(text))}})
    texts = {s.text for a in arguments.run(story, fake_res).arguments for s in a.support}
    assert texts == {"Everyone deserves a second chance at love."}


def test_arguments_a_short_sentence_that_only_grants_is_conceded_without_but():
    from counterpoint.stages.arguments import answered_by_next, grants

    stances = [sst("d1", "Wanting someone back is human.", 0.2, 0.6),
               sst("d1", "Broadcasting it is a performance.", 0.1, 0.8),
               sst("d1", "His grief is understandable.", 0.2, 0.6),              # the article's last sentence
               sst("d2", "Her anger is perfectly natural.", 0.2, 0.6),
               sst("d2", "His wish is only natural.", 0.2, 0.6),                  # grants again: not answered
               sst("d2", "The plan is a performance.", 0.1, 0.8)]
    assert answered_by_next(stances) == [True, False, False, False, True, False]
    assert pick_side(stances[0], "against", answered=True)[0] == "for"
    assert not grants("Wanting someone back is human, but this is not how.")      # a turn of its own
    assert not grants("The plan the council put to a vote last night is perfectly reasonable.")   # too long
    assert not grants("The plan is a human rights disaster.")
