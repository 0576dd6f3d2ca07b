"""Quotes: spans in quotation marks, their speakers, and the rows that must produce nothing."""
from __future__ import annotations

import pytest

from counterpoint.model import Article
from counterpoint.stages.cast import build_cast
from counterpoint.stages.language import annotate
from counterpoint.stages.quotes import QuoteSpan, find_quote_spans, find_quotes, is_real_quote


@pytest.mark.parametrize("text,inner", [
    ("He said “I will be back soon.” Then he left.", ["I will be back soon."]),
    ('"We won the game tonight," she said.', ["We won the game tonight"]),
    ("A 6'8\" forward who said \"nothing at all for now\" went home.", ["nothing at all for now"]),
    ("“Open quote with no end", []),
    ("“First part”\n\n“second paragraph”", ["First part", "second paragraph"]),
    ("‘We’re not done yet,’ she said.", ["We’re not done yet"]),                 # British single quotes
    ("Delaney’s agent didn’t call the players’ union back.", []),              # apostrophes only
    ("“He told me ‘never again’ last year,” she said.", ["He told me ‘never again’ last year"]),  # nested
    # straight single quotes: marks at the edges of words, apostrophes inside and after them
    ("'We will appeal,' the minister said.", ["We will appeal"]),
    ("'We will appeal', the minister said.", ["We will appeal"]),                  # logical punctuation
    ("The coach said 'we will not give up on this team' after the game.", ["we will not give up on this team"]),
    ("'I don't regret it,' O'Neill said.", ["I don't regret it"]),                # apostrophes inside
    ("'The players' union will not sign,' she said.", ["The players' union will not sign"]),
    ("He said: 'I told her “never”, and I meant it.'", ["I told her “never”, and I meant it."]),  # nested
    ("He said: 'I told her \"never\" twice.'", ['I told her "never" twice.']),
    ("“He told me 'never again' last year,” she said.", ["He told me 'never again' last year"]),
    ("' Not today, ' he said.", ["Not today"]),                                  # tokenised spacing
    ("Delaney's agent didn't call the players' union back.", []),              # apostrophes only
    ("Jones' lawyer met the Smiths' neighbour on Monday.", []),                 # possessives ending in s'
    ("She loved rock 'n' roll and the music of the '90s.", []),
    ("They kept 'em dancing 'til dawn at the class of '89 reunion.", []),
    ("The 'Jones' case was closed, 'no comment' said.", ["no comment"]),         # a second ' opens first
    ("He was goin' home, 'cause it was late.", []),
    ("Moze, you an ' Shady go wait outside.", []),                                 # loose elisions
    ("The word ' Wuthering ' being old, we said ' fine, ' and went on.", []),    # a loose mark stops
    ("'Open single quote with no end", []),
    # speech after a dash, in a text written without quotation marks
    ("— I will not go back, she said.\n— Why not? he asked.\n— Because it is over.",
     ["I will not go back", "Why not?", "Because it is over."]),
    ("The host asked: — Did you call her?\nDelaney answered: — Every single day.",
     ["Did you call her?", "Every single day."]),
    ("— Come in, said Mrs Gildea, and sit down.\n— Thank you, Tom replied.", ["Come in", "Thank you"]),
    ("What we know so far:\n— The fire started at night.\n— Two people were hurt.", []),   # a list
    ("Key points:\n— Prices will rise, the bank said.\n— Rates stay the same.", []),    # one attribution
    ("“Not now,” he said.\n— Yes, she said.\n— No, he said.", ["Not now"]),      # a text with quote marks
    ("— I —\nThe morning was cold, he said.\n— II —", []),                          # headings
])
def test_quotes_find_spans(text, inner):
    assert [text[q.start:q.end] for q in find_quote_spans(text)] == inner


@pytest.mark.parametrize("text,real", [
    ("She called it “a stunt” and moved on.", False),           # scare quotes
    ("His memoir “Second Wind Rising Again” is out.", False),   # a title
    ("He said “I love her and I always will.”", True),
    ("He called it “the best thing that ever happened to me.”", True),  # partial quote
    ("“Oh, Tommy!” she cried.", True),                               # an exclamation, not a title
    ("She called it 'a stunt' and moved on.", False),                # straight scare quotes
    ("His memoir 'Second Wind Rising Up' is out.", False),           # a straight-quoted title
    ("A song titled 'Nobody waits for me anymore' played.", False),  # a title cue before it
    ("' Not today, ' he said.", True),                               # short, ends in its own comma
])
def test_quotes_real_or_not(text, real):
    spans = find_quote_spans(text)
    assert len(spans) == 1
    assert is_real_quote(text, spans[0]) is real


CASES = [
    # (text, [(quote text, speaker name or None)])
    ("Marcus Delaney went on the radio. “I still love her,” Delaney told the host.",
     [("I still love her", "Marcus Delaney")]),
    ("“Renée deserves better than a radio stunt,” said her friend Tasha Monroe.",
     [("Renée deserves better than a radio stunt", "Tasha Monroe")]),
    ("Renée Castillo was asked about it. According to Castillo's representative, “She is focused on her music.”",
     [("She is focused on her music.", None)]),
    ("Marcus Delaney spoke. “I made mistakes,” he said. “But I am a different man now.”",
     [("I made mistakes", "Marcus Delaney"), ("But I am a different man now.", "Marcus Delaney")]),
    ("Asked whether he would try again, Marcus Delaney said: “Every single day, I would.”",
     [("Every single day, I would.", "Marcus Delaney")]),
    ("The crowd chanted for an hour. “This is the best night of our lives,” someone wrote on a sign.",
     [("This is the best night of our lives", None)]),
    ("Renée Castillo smiled. She said she was “very happy” with the album.", []),
    # a description the article bound to a name earlier
    ("The singer Renée Castillo spoke after Marcus Delaney left. “I have moved on with my life,” the singer said.",
     [("I have moved on with my life", "Renée Castillo")]),
    # a description bound to nobody stays unnamed
    ("Marcus Delaney left early. “It was a long night for all of us,” the doorman said.",
     [("It was a long night for all of us", None)]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", CASES)
def test_quotes_speakers(res, text, expected):
    a = Article(id="d1", source="t", text=text)
    anns = annotate([a], res.nlp)
    cast, mentions = build_cast([a], anns)
    quotes = find_quotes(a, anns["d1"], mentions, cast)
    names = {c.id: c.name for c in cast}
    got = [(q.text, names.get(q.speaker)) for q in quotes]
    assert got == expected
    for q in quotes:
        assert a.text[q.start:q.end] == q.text
        assert q.speaker is None or q.speaker in names


# Every common news form, in our own words about an invented story (singer Renée Castillo, her ex
# Marcus "Moose" Delaney, a former forward, radio host Gil Porter, her friend Tasha Monroe), and the
# rows that must give no quote or a null speaker. (text, [(quote text, speaker name or None)])
NEWS_FORMS = [
    pytest.param("“I never stopped loving her,” Marcus Delaney said on Tuesday.",
                 [("I never stopped loving her", "Marcus Delaney")], id="X-said"),
    pytest.param("Marcus Delaney said, “I never stopped loving her.”",
                 [("I never stopped loving her.", "Marcus Delaney")], id="X-said-before"),
    pytest.param("“The new album is finished and I am proud of it,” said Renée Castillo.",
                 [("The new album is finished and I am proud of it", "Renée Castillo")], id="said-X"),
    pytest.param("“I was a fool back then and I know it,” Delaney told the show on Tuesday morning.",
                 [("I was a fool back then and I know it", "Delaney")], id="X-told-the-show"),
    pytest.param("Marcus Delaney told the radio show, “I wake up thinking about her every day.”",
                 [("I wake up thinking about her every day.", "Marcus Delaney")], id="X-told-the-show-before"),
    pytest.param("According to Tasha Monroe, “Renée has not listened to the interview and she will not.”",
                 [("Renée has not listened to the interview and she will not.", "Tasha Monroe")], id="according-to-X"),
    pytest.param("“The tour will start in May as planned,” according to Curtis Bell, her manager.",
                 [("The tour will start in May as planned", "Curtis Bell")], id="according-to-X-after"),
    pytest.param("Renée Castillo arrived at the studio on Monday. Asked whether she had heard the interview, "
                 "she said: “I have not, and I will not.”",
                 [("I have not, and I will not.", "Renée Castillo")], id="colon-introduction"),
    pytest.param("“I made my choices,” Delaney said, “and I live with them every single day.”",
                 [("I made my choices", "Delaney"), ("and I live with them every single day.", "Delaney")],
                 id="split-by-attribution"),
    pytest.param("“We talked for an hour. She was kind to me. That is all I will say about it,” Delaney said.",
                 [("We talked for an hour. She was kind to me. That is all I will say about it", "Delaney")],
                 id="multi-sentence"),
    pytest.param("Delaney said he had been “a very different person back then” and asked for patience.",
                 [("a very different person back then", "Delaney")], id="partial-quote"),
    pytest.param("“He told me, ‘I will always wait for you,’ and then he hung up,” Renée Castillo said.",
                 [("He told me, ‘I will always wait for you,’ and then he hung up", "Renée Castillo")],
                 id="quote-inside-quote"),
    pytest.param("Renée Castillo thanked Gil Porter for the invitation. “It felt good to sing in public again,” she said.",
                 [("It felt good to sing in public again", "Renée Castillo")], id="pronoun-not-last-named"),
    pytest.param("The former forward Marcus Delaney sat beside Gil Porter in the studio. "
                 "“I owe her an apology and I will make it,” the former forward said.",
                 [("I owe her an apology and I will make it", "Marcus Delaney")], id="description-bound-to-name"),
    pytest.param("Walter Briggs, the old man who runs the diner across the street, listened to the broadcast. "
                 "“He sounded like he meant every word of it,” the old man said.",
                 [("He sounded like he meant every word of it", "Walter Briggs")], id="the-old-man-bound-by-apposition"),
    pytest.param("Marcus Delaney, a former Pioneer, spoke for forty minutes before Gil Porter cut to a song. "
                 "“I just want one more conversation with her,” the former Pioneer said.",
                 [("I just want one more conversation with her", "Marcus Delaney")], id="the-former-Pioneer"),
    pytest.param("Marcus Delaney called Renée Castillo twice last week. Castillo said she did not pick up. "
                 "“He has to stop calling me,” she said.",
                 [("He has to stop calling me", "Renée Castillo")], id="pronoun-after-two-people"),
    pytest.param("'We will appeal the decision,' Renée Castillo said on Friday.",
                 [("We will appeal the decision", "Renée Castillo")], id="single-quotes-british"),
    pytest.param("Marcus Delaney said: 'I told her “never again”, and I meant it.'",
                 [("I told her “never again”, and I meant it.", "Marcus Delaney")], id="double-inside-single"),
    pytest.param("'The players' union didn't call me back,' said Marcus Delaney.",
                 [("The players' union didn't call me back", "Marcus Delaney")], id="single-quotes-with-apostrophes"),
    pytest.param("— Do you still love her? Gil Porter asked.\n— I do, and I always will, Marcus Delaney said.",
                 [("Do you still love her?", "Gil Porter"), ("I do, and I always will", "Marcus Delaney")],
                 id="dash-dialogue"),
    pytest.param("Diane Okafor arrived twenty minutes late. Tom Bell was waiting by the door. "
                 "“I am sorry about the traffic,” she said.",
                 [("I am sorry about the traffic", "Diane Okafor")], id="she-skips-the-last-man-named"),
    pytest.param("Mrs. Lennox came in from the garden. Her nephew Tom was reading by the fire. "
                 "“Put that book away now,” she said.",
                 [("Put that book away now", "Lennox")], id="she-by-a-title"),
    pytest.param("Kieran Maddox sat down opposite Paul Reardon. “Kieran, you are staying with us,” he said.",
                 [("Kieran, you are staying with us", "Paul Reardon")], id="he-is-not-the-person-addressed"),
    pytest.param("Paul Reardon looked up.\n“Back to training, all of you!”\nhe said sternly.",
                 [("Back to training, all of you!", "Paul Reardon")], id="attribution-continues-on-next-line"),
    pytest.param("The dog barked at the stranger. 'You'd better leave the dog alone,' growled Mr. Heathcliff.",
                 [("You'd better leave the dog alone", "Heathcliff")], id="said-Mr-Name"),
    pytest.param("“Pho,” said Belcour, “a musket ball from our friends may make you feel worse.”",
                 [("a musket ball from our friends may make you feel worse.", "Belcour")],
                 id="one-word-speaker-after-a-one-word-quote"),
    pytest.param("Ana Ruiz, 47, a retired teacher, has lived on the street for twenty years. Tom Bell disagrees with her. "
                 "“Nobody asked us about any of this,” the 47-year-old said.",
                 [("Nobody asked us about any of this", "Ana Ruiz")], id="the-N-year-old"),
    pytest.param("Paul Grant, who chairs the parish council, opened the meeting. Ana Ruiz spoke next. "
                 "“We will decide in June and not before,” the chairman said.",
                 [("We will decide in June and not before", "Paul Grant")], id="who-chairs-is-the-chairman"),
    pytest.param("Her father, Tom Bell, has skippered the harbour launch for thirty years. Ana Ruiz rides it daily. "
                 "“I take the same nurses across every morning,” said the skipper.",
                 [("I take the same nurses across every morning", "Tom Bell")], id="has-skippered-is-the-skipper"),
    pytest.param("Ana Ruiz spoke first. One resident, who did not want to be named, said the plan had come as a shock. "
                 "“Nobody told us anything at all,” she said.",
                 [("Nobody told us anything at all", None)], id="pronoun-after-an-unnamed-person"),
    pytest.param("Tom Bell says the street is safe. One of my regulars, a retired mail carrier who would never forgive "
                 "me if I used his name, put it better. “I walked this street for thirty years,” he said.",
                 [("I walked this street for thirty years", None)], id="pronoun-after-one-of-my-regulars"),
    pytest.param("Curtis Vail, who founded the advocacy group Safe Streets Halbrook two years ago, called the corner "
                 "“a coin flip with a delivery truck” and asked for a signal.",
                 [("a coin flip with a delivery truck", "Curtis Vail")], id="the-name-a-relative-clause-describes"),
    pytest.param("Lowfield Books, the publisher, has paused further printings. In a statement, it said: “We are "
                 "reviewing the manuscript.”",
                 [("We are reviewing the manuscript.", "Lowfield Books")], id="it-said-is-the-organisation"),
    pytest.param("Lowfield Books has paused printing. Ana Ruiz read the review. It said the recipes were “copied "
                 "line for line”.",
                 [("copied line for line", None)], id="it-after-a-person-is-no-organisation"),
    pytest.param("Ana Ruiz rode to work every day. She used to tell me, “Tom, I would rather ride in the snow than "
                 "drive on High Street.” I laughed. I don't any more.",
                 [("Tom, I would rather ride in the snow than drive on High Street.", "Ana Ruiz")],
                 id="a-verb-after-the-full-stop-is-the-next-sentence"),
    pytest.param("Tom Bell says the street is safe. One of his neighbours put it better. “I walked this street for "
                 "thirty years,” he said.",
                 [("I walked this street for thirty years", None)], id="pronoun-after-one-of-his-neighbours"),
    pytest.param("Ana Ruiz told me she changed her mind after reading the report Maria Lopez had written. "
                 "“I went in undecided and came out certain,” she said.",
                 [("I went in undecided and came out certain", "Ana Ruiz")], id="main-clause-subject-over-relative-clause"),
    pytest.param("The council's treasurer, Maria Lopez, stood up. She thanked Ana Ruiz for the figures. "
                 "“These numbers do not add up yet,” she said.",
                 [("These numbers do not add up yet", "Maria Lopez")], id="name-in-apposition-to-the-subject"),
    pytest.param("Paul Grant issued a statement saying the council “will not be rushed into a decision” on the plan.",
                 [("will not be rushed into a decision", "Paul Grant")], id="statement-saying"),
    pytest.param("Councillor Ruth Hale chairs the committee. Her brother, Dr Tom Hale, is a surgeon. "
                 "“The committee will not be a rubber stamp,” Cllr Hale said. “It never has been,” Dr Hale said.",
                 [("The committee will not be a rubber stamp", "Ruth Hale"), ("It never has been", "Tom Hale")],
                 id="shared-surname-told-apart-by-title"),
    pytest.param("Paul Grant, who chairs the trustees, said the board needed advice. A trustee who asked not to be "
                 "named said the board was split. “Half of us would vote yes tomorrow,” the trustee said.",
                 [("Half of us would vote yes tomorrow", None)], id="the-trustee-brought-in-unnamed"),
    pytest.param("Chief executive Ana Ruiz wants the merger. In 2016 the then chief executive told a meeting that the "
                 "change was “temporary and under review” for the time being.",
                 [("temporary and under review", None)], id="the-then-holder-is-not-the-current-one"),
    pytest.param("Ashcombe's medical director, Dr Kwame Asante, spoke to staff. “A stroke unit needs volume,” he said.\n\n"
                 "“We are not taking services away from anyone,” the medical director went on.",
                 [("A stroke unit needs volume", "Kwame Asante"), ("We are not taking services away from anyone", "Kwame Asante")],
                 id="went-on"),
    pytest.param("“I have asked the minister to meet us,” said Priya Sandhu, the local MP, who spoke next to the crowd. "
                 "“So far I have had an acknowledgement slip.”",
                 [("I have asked the minister to meet us", "Priya Sandhu"), ("So far I have had an acknowledgement slip.", "Priya Sandhu")],
                 id="second-quote-after-a-long-attribution"),
    pytest.param("Priya Sandhu spoke first. Members of the Greenway Alliance campaign marched through the town on "
                 "Saturday. “We will ask the same question at every meeting,” the campaign said.",
                 [("We will ask the same question at every meeting", "Greenway Alliance")], id="the-campaign-is-the-organisation"),
    pytest.param("Colin Farraday said the overnight change amounted to “closure by stealth” for the town.",
                 [("closure by stealth", "Colin Farraday")], id="three-word-partial-quote"),
    pytest.param("The council called it an “efficiency review” in its papers.", [], id="two-word-scare-quote-called"),
    pytest.param("Tom Bell said Ana Ruiz had not been on the bus. Another man, Joseph Miller, who was on it, said he "
                 "had been asking for years.\n\n'It was something personal for us,' he told the paper.",
                 [("It was something personal for us", "Joseph Miller")], id="description-with-a-name-in-apposition"),
    # negative rows: no quote at all
    pytest.param("Gil Porter called the segment “a conversation” and nothing more.", [], id="scare-quotes"),
    pytest.param("What we know:\n— Marcus Delaney called the show on Tuesday.\n— Renée Castillo said she did not "
                 "listen, her manager said.", [], id="dashed-list-of-points"),
    pytest.param("Gil Porter called the segment 'a conversation' and nothing more.", [], id="single-scare-quotes"),
    pytest.param("Delaney's agent met the Pioneers' owner about the '90s rock 'n' roll tour.", [],
                 id="apostrophes-not-quotes"),
    pytest.param("Her new single, 'Nobody Waits Forever,' entered the charts this week.", [], id="single-quoted-title"),
    pytest.param("Delaney’s memoir, “Second Wind,” comes out in March.", [], id="title-of-a-book"),
    pytest.param("He appeared on “The Morning Drive with Gil Porter” on Tuesday.", [], id="title-of-a-show"),
    pytest.param("Her new single, “Nobody Waits Forever,” entered the charts this week.", [], id="title-of-a-song"),
    pytest.param("The paper ran the headline “Delaney Begs Castillo For Another Chance” on its front page.", [],
                 id="quoted-headline"),
    pytest.param("A tabloid ran a headline reading “Moose pleads for a second chance on live radio” on Wednesday.", [],
                 id="quoted-headline-sentence-case"),
    # negative rows: a quote, but nobody can be named
    pytest.param("“We are asking for privacy at this difficult time,” a spokesperson said.",
                 [("We are asking for privacy at this difficult time", None)], id="unnamed-spokesperson"),
    pytest.param("“I will not comment on any of this,” he said.",
                 [("I will not comment on any of this", None)], id="pronoun-with-no-antecedent"),
    pytest.param("“It is a sad day for everyone who loved them both,” one listener wrote online.",
                 [("It is a sad day for everyone who loved them both", None)], id="unnamed-listener"),
    pytest.param("Marcus Delaney left early. “The whole night felt like a show to me,” a guest said.",
                 [("The whole night felt like a show to me", None)], id="description-bound-to-nobody"),
    # a noun beside a name gives its gender: "he" is not the one named last, who is the band's manager and a sister
    pytest.param("Kit Amory sang on Saturday. Robin Hale, the band's manager and Amory's older sister, watched from "
                 "the wings. “I looked up and there she was,” he told the Skelby Gazette.",
                 [("I looked up and there she was", "Kit Amory")], id="gender-from-a-noun-in-apposition"),
    # the partial quote is what the old rule "asked"; Lindqvist said it
    pytest.param("Margaret Lindqvist, a retired teacher, said the old rule asked “teenagers to out-stare an industry.”",
                 [("teenagers to out-stare an industry.", "Margaret Lindqvist")], id="a-thing-inside-what-is-said"),
    # "members who answered its survey" do not say the quote; the association does
    pytest.param("The Harlow Teachers Union said in a statement that 71% of members who answered its survey supported "
                 "a ban, “provided that the district enforces it.”",
                 [("provided that the district enforces it.", "Harlow Teachers Union")], id="relative-clause-verb"),
    # a person in a "when" clause is not the "he" of the main clause
    pytest.param("Kit Amory was not running for the exit. When a fan at the back shouted a question, he laughed. "
                 "“Ask me after I have slept,” he said.",
                 [("Ask me after I have slept", "Kit Amory")], id="when-clause-person-is-not-he"),
    # "the company said": the organisation named last; "the federation said": the one whose name ends so
    pytest.param("The powder is made by Halden Performance in Leeds. “We have cooperated fully,” the company said.",
                 [("We have cooperated fully", "Halden Performance")], id="the-company-said"),
    pytest.param("Thrale was banned by the Vantry Athletics Federation in February. In a statement, the federation said: "
                 "“The panel is independent of the board.”",
                 [("The panel is independent of the board.", "Vantry Athletics Federation")], id="the-federation-said"),
    # an organisation before a person's noun says whom the unnamed speaker works for; before "spokesperson" it speaks
    pytest.param("Kestrel Television dropped the presenter. One Kestrel producer, who asked not to be named, said the "
                 "mood was “split right down the middle.”",
                 [("split right down the middle.", None)], id="an-organisations-unnamed-employee"),
    pytest.param("The Water Standards Commission met on Tuesday. “The decision will rest on the evidence,” a Commission "
                 "spokesperson said.",
                 [("The decision will rest on the evidence", "Water Standards Commission")], id="its-spokesperson"),
    # verbs of speech that only attribute next to a quotation (lexicon/dialogue_verbs.txt)
    pytest.param("Renée Castillo sat by the window.\n\n“Oh, don't take him away yet,” she moaned.",
                 [("Oh, don't take him away yet", "Renée Castillo")], id="she-moaned"),
    # "went on Syme": the particle of a phrasal verb of speech, parsed as a preposition, before the speaker
    pytest.param("Gabriel Syme stood up. “I tell you,” went on Syme with passion, “that every train is a victory.”",
                 [("I tell you", "Gabriel Syme"), ("that every train is a victory.", "Gabriel Syme")],
                 id="went-on-the-speaker"),
    # a title before the name is the role: "Dr. Archie" is "the doctor", "Cllr Rooke" the councillor
    pytest.param("Dr. Howard Archie came in from the snow and took off his coat. The doctor looked at the child. "
                 "“She will be well by morning,” the doctor said.",
                 [("She will be well by morning", "Howard Archie")], id="the-title-is-the-role"),
    # the same where the title is written as part of the name ("Parson Tringham" is the cast member's name)
    pytest.param("Parson Tringham rode up on a gray mare. The old man stared at him.\n\n"
                 "“It was only my whim,” said the parson.",
                 [("It was only my whim", "Parson Tringham")], id="the-title-in-the-name-is-the-role"),
    # an age nobody was given in so many words: the person the story has just been about
    pytest.param("Owen Fell was arrested in October 2023. He is no relation of the Commission's Harriet Fell, who "
                 "chaired the hearing. Asked whether he regretted the protest, the 58-year-old said: “Not for a second.”",
                 [("Not for a second.", "Owen Fell")], id="an-age-not-given-before"),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", NEWS_FORMS)
def test_quotes_news_forms(res, text, expected):
    a = Article(id="d1", source="t", text=text)
    anns = annotate([a], res.nlp)
    cast, mentions = build_cast([a], anns)
    quotes = find_quotes(a, anns["d1"], mentions, cast)
    names = {c.id: c for c in cast}
    got = [(q.text, q.speaker) for q in quotes]
    assert [t for t, _ in got] == [t for t, _ in expected]
    for (_, sp), (_, want) in zip(got, expected):
        if want is None:
            assert sp is None
        else:  # the speaker is the cast member that carries this name
            assert sp is not None and want in {names[sp].name, *names[sp].aliases}, (names.get(sp), want)


_INTERVIEW = ("“Why did you call the show at all?” Gil Porter asked.\n\n"
              "“Because I had nothing left to lose,” Marcus Delaney said.\n\n")
TURNS = [
    pytest.param(_INTERVIEW + "“Do you think she was listening this morning?”\n\n“I hope so. I really do hope so.”",
                 ["Gil Porter", "Marcus Delaney", "Gil Porter", "Marcus Delaney"], id="alternates-after-A-then-B"),
    pytest.param(_INTERVIEW + "Delaney looked at the floor for a while.\n\n“Do you think she was listening this morning?”",
                 ["Gil Porter", "Marcus Delaney", "Gil Porter"], id="narration-naming-a-speaker-keeps-the-run"),
    pytest.param(_INTERVIEW + "Tasha Monroe, who was in the studio, shook her head.\n\n"
                 "“Do you think she was listening this morning?”",
                 ["Gil Porter", "Marcus Delaney", None], id="narration-naming-someone-else-stops"),
    pytest.param(_INTERVIEW + "* * *\n\n“Do you think she was listening this morning?”",
                 ["Gil Porter", "Marcus Delaney", None], id="scene-break-stops"),
    pytest.param("“I made every mistake a man can make,” Marcus Delaney told the host.\n\n"
                 "“She is focused on her music now,” said Tasha Monroe.\n\n“She has moved on, and so should he.”",
                 ["Marcus Delaney", "Tasha Monroe", "Tasha Monroe"], id="news-quotes-addressing-nobody-do-not-alternate"),
    pytest.param("“I made every mistake a man can make,” Marcus Delaney told the host.\n\n"
                 "Tasha Monroe, who was in the studio, shook her head.\n\n“She has moved on, and so should he.”",
                 ["Marcus Delaney", None], id="no-follow-on-after-narration"),
    pytest.param("“I made every mistake a man can make,” Marcus Delaney told the host.\n\n“Why would anyone say that?”",
                 ["Marcus Delaney", None], id="no-follow-on-for-a-short-reply"),
    pytest.param("“Because I had nothing left to lose,” Marcus Delaney said.\n\n"
                 "“Do you think she was listening this morning?”",
                 ["Marcus Delaney", None], id="one-turn-before-is-not-enough"),
    pytest.param("“I had nothing left to lose,” Marcus Delaney said.\n\n“It was the only way,” Delaney said.\n\n"
                 "“Do you think she was listening this morning?”",
                 ["Marcus Delaney", "Marcus Delaney", None], id="same-speaker-twice-is-no-dialogue"),
    # lines of speech with nothing between them answer each other (a text written one paragraph a line): the cue
    # at the end of the exchange names one side, the name that side speaks to names the other
    pytest.param("Tom Hale looked up from the fire.\n“Have you heard the news?”\n“No. What news?”\n"
                 "“The mill is closing, Tom,” said Mrs. Lennox.",
                 ["Lennox", "Tom Hale", "Lennox"], id="lines-of-speech-answer-each-other"),
    # “…,” I said — in reply to “Well, Watson, …”: the narrator is the one the other side speaks to
    pytest.param("Sherlock Holmes sat with his back to me.\n“Well, Watson, what do you make of it?”\n"
                 "“I think he is a country doctor,” I said.\n“Why so, Watson?”\n“Because of the stick.”",
                 ["Holmes", "Watson", None, "Watson"], id="the-narrator-named-by-the-other-side"),
    # "replied his wife": the other one of the article's one couple named by title ("Mr. Bennet", "Mrs. Bennet")
    pytest.param("Mr. Bennet sat by the fire and Mrs. Bennet came in.\n“You want to tell me, and I have no "
                 "objection to hearing it.”\n“My dear Mr. Bennet,” replied his wife, “how can you be so tiresome!”",
                 ["Mr. Bennet", "Mrs. Bennet", "Mrs. Bennet"], id="replied-his-wife"),
    pytest.param("Marcus Delaney sat by the fire.\n\n“How can you be so tiresome!” replied his wife.",
                 [None], id="his-wife-without-a-couple-named"),
    pytest.param("Mr. Bennet sat by the fire and Mrs. Bennet came in with Kitty.\n\n“Kitty has no discretion in her "
                 "coughs,” said her father.\n\n“Don't keep coughing so, Kitty,” said her mother.",
                 ["Mr. Bennet", "Mrs. Bennet"], id="her-father-her-mother"),
    pytest.param("Uncle Ralph Moreton came in from the yard with Florence Linden.\n\n“It is too much for your strength, "
                 "my child,” said her uncle.", ["Ralph Moreton"], id="her-uncle"),
    # a line of speech nothing attributes, after a line of narration whose subject is one named person
    pytest.param("“It is a fine morning,” said Tasha Monroe.\nGil Porter rose and walked over to the window.\n"
                 "“An artist is identical with an anarchist.”", ["Tasha Monroe", "Gil Porter"],
                 id="named-in-the-narration-before"),
    pytest.param("“It is a fine morning,” said Tasha Monroe.\nGil Porter rose and walked over to Marcus Delaney.\n"
                 "“An artist is identical with an anarchist.”", ["Tasha Monroe", "Gil Porter"],
                 id="the-subject-not-the-object"),
    pytest.param("“It is a fine morning,” said Tasha Monroe.\n\nGil Porter rose and walked over to the window.\n\n"
                 "“An artist is identical with an anarchist.”", ["Tasha Monroe", None],
                 id="not-across-blank-line-paragraphs"),
    # the narration's "she", read as a cue's pronoun is: the last woman (or person of no known gender) in focus
    pytest.param("Mary Lennox sat by the fire.\n“It is late,” somebody said.\nShe stood up and walked to the window.\n"
                 "“An artist is identical with an anarchist.”", [None, "Mary Lennox"], id="she-in-the-narration-before"),
    pytest.param("Mary Lennox sat by the fire.\n“It is late,” somebody said.\nHe stood up and walked to the window.\n"
                 "“An artist is identical with an anarchist.”", [None, None], id="he-is-not-mary"),
    # one narrator a text: once an exchange names "I", every "I said" is that one
    pytest.param("Sherlock Holmes sat with his back to me.\n“Well, Watson, what do you make of it?”\n"
                 "“I think he is a country doctor,” I said.\nHolmes lit his pipe and stared at the fire for a long "
                 "while, and then he rose and walked over to the window without a word.\n“It is late,” I said.",
                 ["Holmes", "Watson", "Watson"], id="one-narrator-a-text"),
    # a line of narration naming nobody after a quote the exchange named later: that speaker still
    pytest.param("Sherlock Holmes sat with his back to me.\n“Well, Watson, what do you make of it?”\n"
                 "“I think he is a country doctor,” I said.\nI took up the stick and turned it over in my hands.\n"
                 "“It is heavy for a walking stick.”", ["Holmes", "Watson", "Watson"], id="continued-after-the-exchange"),
    # ... and the one who asks next, answered by Holmes, is the narrator again
    pytest.param("Sherlock Holmes sat with his back to me.\n“Well, Watson, what do you make of it?”\n"
                 "“I think he is a country doctor,” I said.\n“Why so?”\n“Because of the stick,” said Holmes.",
                 ["Holmes", "Watson", "Watson", "Holmes"], id="the-narrator-then-a-named-speaker"),
    # no cue at all: each side is the one person the other side speaks to
    pytest.param("Tom Hale and Mary Lennox sat by the fire.\n“Have you heard the news, Tom?”\n“No, Mary. What news?”\n"
                 "“The mill is closing.”", ["Mary Lennox", "Tom Hale", "Mary Lennox"], id="replies-named-by-address"),
    pytest.param("Tom Hale looked up from the fire.\n\n“Have you heard the news?”\n\n“No. What news?”\n\n"
                 "“The mill is closing, Tom,” said Mrs. Lennox.",
                 [None, None, "Lennox"], id="blank-line-paragraphs-are-not-read-as-replies"),
    pytest.param("Tom Hale looked up from the fire.\n“We heard the news.”\n“The mill is closing.”\n"
                 "“The mill is closing for good,” said Mrs. Lennox.",
                 ["Tom Hale", None, "Lennox"], id="lines-asking-and-addressing-nobody-are-no-exchange"),
    # the next line is nothing but the attribution, in capitals: a name, or "I" (the narrator: nobody in the cast)
    pytest.param("Buck Mulligan stood at the top of the stairs.\n“Our mighty mother!”\nBuck Mulligan said.\n"
                 "He turned to Stephen Dedalus.", ["Buck Mulligan"], id="the-attribution-alone-on-the-next-line"),
    pytest.param("“It is a fine morning,” said Buck Mulligan.\n“A thousand thanks!”\nI murmured.",
                 ["Buck Mulligan", None], id="i-murmured-on-the-next-line"),
    # a line of narration (twenty words at most, naming nobody else) between two lines of speech: the same speaker
    pytest.param("“I will not go,” said Mrs. Lennox.\nShe folded her arms and looked out at the rain for a long "
                 "while.\n“Not tonight, not ever.”", ["Lennox", "Lennox"], id="a-line-of-narration-between"),
    pytest.param("“I will not go,” said Mrs. Lennox.\nTom Hale folded his arms and looked out at the rain.\n"
                 "“Not tonight, not ever.”", ["Lennox", "Tom Hale"], id="narration-naming-someone-else-between"),
    # the parser closes the sentence at the closing mark; the attribution goes on in lower case, however long
    pytest.param("Marcus Delaney walked over to the table.\n\n“What is the joke?” he inquired languidly, his chin "
                 "thrust out and his eyes turned up to the ceiling of the room.",
                 ["Marcus Delaney"], id="a-long-attribution-after-the-mark"),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", TURNS)
def test_quotes_turn_taking(res, text, expected):
    a = Article(id="d1", source="t", text=text)
    anns = annotate([a], res.nlp)
    cast, mentions = build_cast([a], anns)
    names = {c.id: c.name for c in cast}
    assert [names.get(q.speaker) for q in find_quotes(a, anns["d1"], mentions, cast)] == expected


def test_quotes_unattributed_quote_keeps_speaker_null():
    text = "“Nobody saw this coming at all,” the statement read."
    spans = find_quote_spans(text)
    assert isinstance(spans[0], QuoteSpan)
    a = Article(id="d1", source="t", text=text)
    from counterpoint.model import Annotation

    ann = Annotation(doc="d1", sentences=((0, len(text)),), tokens=(), entities=())
    (q,) = find_quotes(a, ann, [], [])
    assert q.speaker is None and q.text == "Nobody saw this coming at all"


@pytest.mark.parametrize("name,gender", [
    ("Mary Lennox", "f"), ("John Reed", "m"), ("Sister Carrie", "f"), ("Countess Amelia", "f"),
    ("Old Billy", "m"), ("Khloé Kardashian", "f"), ("Jordan Smith", None), ("Heathcliff", None),
    ("Kowalski", None),
])
def test_quotes_name_gender(name, gender):
    from counterpoint.stages.quotes import name_gender

    assert name_gender(name) == gender


@pytest.mark.parametrize("text,gender", [
    ("growled Mrs. Hall", "f"), ("said Mr Hall", "m"), ("asked Uncle Hall", "m"), ("said the Hall", None),
])
def test_quotes_title_gender(text, gender):
    from counterpoint.stages.quotes import title_gender

    assert title_gender(text, text.index("Hall")) == gender


def test_quotes_infer_genders_from_pronouns_needs_two_clear_votes():
    """No title, no known given name: the pronouns of sentences about that person alone decide,
    and only when they agree (two votes at least, three to one)."""
    from counterpoint.model import Annotation, Mention, Token
    from counterpoint.stages.quotes import infer_genders

    def tok(text, start, dep, sent):
        return Token(start, start + len(text), text, text.lower(), "PRON" if dep != "nsubj" or text.islower() else "PROPN",
                     "", dep, 0, sent, "O", "")

    text = "Zorbel came in. He sat down. Zorbel took his coat."
    toks = (tok("Zorbel", 0, "nsubj", 0), tok("He", 16, "nsubj", 1), tok("Zorbel", 29, "nsubj", 2), tok("his", 41, "poss", 2))
    ann = Annotation(doc="d1", sentences=((0, 15), (16, 28), (29, len(text))), tokens=toks, entities=())
    ms = [Mention(doc="d1", start=0, end=6, text="Zorbel", member="p1"), Mention(doc="d1", start=29, end=35, text="Zorbel", member="p1")]
    assert infer_genders(text, ann, ms, {"p1"}, (), {"p1": "Zorbel"}) == {"p1": "m"}
    assert infer_genders(text, ann, ms[:1], {"p1"}, (), {"p1": "Zorbel"}) == {}      # one vote is not enough


@pytest.mark.parametrize("name,person", [
    ("Diane Okafor", True), ("Tom Bell", True), ("Victoria Station", False), ("Elizabeth Street", False),
    ("Charlotte Hornets FC", False), ("Jordan Smith", False), ("Diane", False),
])
def test_cast_given_name_marks_a_person(name, person):
    from counterpoint.stages.cast import starts_with_given_name

    assert starts_with_given_name(name) is person


@pytest.mark.slow
def test_quotes_role_bound_in_one_article_names_the_speaker_in_another(res):
    """"The historian Ana Ruiz" in one article lets "the historian said" name her in another that
    names her too; a role bound to two people in the story names nobody."""
    from counterpoint.model import Story
    from counterpoint.stages import quotes

    a1 = Article(id="d1", source="a", text="The historian Ana Ruiz has studied the letters for a decade.")
    a2 = Article(id="d2", source="b", text="Ana Ruiz was at the meeting. Tom Bell spoke after her. "
                                             "“The letters say nothing of the kind,” the historian said.")
    anns = annotate([a1, a2], res.nlp)
    cast, mentions = build_cast([a1, a2], anns)
    story = Story(articles=(a1, a2), annotations=anns, cast=tuple(cast), mentions=tuple(mentions))
    names = {c.id: c.name for c in cast}
    (q,) = quotes.run(story, res).quotes
    assert names.get(q.speaker) == "Ana Ruiz"


def test_quotes_a_name_before_a_persons_noun_binds_no_role(res):
    """"Gil Thornbury, the former Kestrel controller" makes Gil Thornbury "the former controller" in another
    article; the organisation before the noun does not bind the role too (which would drop it as bound to two)."""
    from counterpoint.model import Story
    from counterpoint.stages import quotes

    a1 = Article(id="d1", source="a", text="“I would have him back,” said Gil Thornbury, the former Kestrel controller "
                                           "who gave Len Marchbank his own show.")
    a2 = Article(id="d2", source="b", text="I asked Gil Thornbury, who gave Len Marchbank the show, what he made of it. "
                                           "“Kestrel should read the petition,” the former controller told me.")
    anns = annotate([a1, a2], res.nlp)
    cast, mentions = build_cast([a1, a2], anns)
    story = Story(articles=(a1, a2), annotations=anns, cast=tuple(cast), mentions=tuple(mentions))
    names = {c.id: c.name for c in cast}
    assert [names.get(q.speaker) for q in quotes.run(story, res).quotes] == ["Gil Thornbury", "Gil Thornbury"]


def test_quotes_a_co_presenter_is_not_the_presenter(res):
    """"Jeanette Marchbank, his co-presenter" binds "co-presenter", never "presenter": "the presenter said" in
    another article is not her."""
    from counterpoint.model import Story
    from counterpoint.stages import quotes

    a1 = Article(id="d1", source="a", text="Jeanette Marchbank spoke. He married Jeanette, later his co-presenter, in "
                                           "1988; they divorced, noisily, in 2003.")
    a2 = Article(id="d2", source="b", text="Jeanette Marchbank has backed the petition. Asked whether he hoped to "
                                             "return, the presenter said: “The rest is up to them.”")
    anns = annotate([a1, a2], res.nlp)
    cast, mentions = build_cast([a1, a2], anns)
    story = Story(articles=(a1, a2), annotations=anns, cast=tuple(cast), mentions=tuple(mentions))
    names = {c.id: c.name for c in cast}
    assert [names.get(q.speaker) for q in quotes.run(story, res).quotes] == [None]


@pytest.mark.parametrize("text,kept", [
    ("The savings were first set out in the joint report “Two Towns, One Service” last October.", False),
    ("The leaflet pushed through every door this week, “Your Hospitals, Your Say”, does not use the word closure.", False),
    ("“Thank You, Mister President, For Everything,” she said as she left the stage.", True),
    ("He told the crowd: “Yes, We Can, And We Will.”", True),
])
def test_quotes_title_case_titles_with_commas(text, kept):
    spans = find_quote_spans(text)
    assert [is_real_quote(text, q) for q in spans] == [kept]


def test_quotes_next_line_attribution_only_without_blank_lines():
    from counterpoint.stages.quotes import continues_on_next_line, find_quote_spans, paragraph_spans

    one_a_line = "Tom looked up.\n“Back to work!”\nhe said sternly."
    blank_lines = "“Back to work!”\n\nlower-case-slug\n(According to reports, it was late.)"
    for text, want in ((one_a_line, True), (blank_lines, False)):
        (q,) = find_quote_spans(text)
        lines = paragraph_spans(text)
        li = max(i for i, (a, _) in enumerate(lines) if a <= q.open)
        assert continues_on_next_line(text, q, lines, li) is want


def test_quotes_given_name_lists_stay_apart():
    # a name used for both men and women belongs on neither list
    from counterpoint.lexicon import load_words
    female, male = load_words("given_names_female"), load_words("given_names_male")
    assert not female & male
    assert {"jean", "leslie", "jamie", "alex", "sam", "taylor", "jordan"}.isdisjoint(female | male)


def test_quotes_infer_genders_strong_evidence_three_to_one_wins():
    """"Robert" four times and once a "Madame Lebrun" wrongly read as him: he. Evenly split: nobody can tell."""
    from counterpoint.model import Annotation, Mention
    from counterpoint.stages.quotes import infer_genders

    text = "Robert came. Robert sat. Robert ran. Madame Lebrun left."
    ann = Annotation(doc="d1", sentences=((0, len(text)),), tokens=(), entities=())
    at = [(text.index("Robert"), 6), (text.index("Robert sat"), 6), (text.index("Robert ran"), 6),
          (text.index("Lebrun"), 6)]
    ms = [Mention(doc="d1", start=s, end=s + n, text=text[s:s + n], member="p1") for s, n in at]
    assert infer_genders(text, ann, ms, {"p1"}, (), {"p1": "Robert Lebrun"}) == {"p1": "m"}
    assert infer_genders(text, ann, ms[2:], {"p1"}, (), {"p1": "Lebrun"}) == {}


@pytest.mark.parametrize("speech,addressed", [
    ("Good night, Sir John Durbey.", True),
    ("My dear John Durbey, how can you be so tiresome!", True),   # words of endearment before the name
    ("Poor John Durbey!", False),                                 # spoken about, not to
    ("Impossible, John Durbey, impossible.", True),
    ("John Durbey!", True),                                  # calls him
    ("John Durbey.", False),                                 # answers a question with his name
    ("You and the girls may go, and John Durbey may like you best.", False),   # a name inside a clause
    ("Why, you must know, John Durbey says the farm is let.", False),
])
def test_quotes_addressed_in(speech, addressed):
    from counterpoint.model import Mention
    from counterpoint.stages.quotes import addressed_in

    text = f"“{speech}”"
    (q,) = find_quote_spans(text)
    at = text.index("John Durbey")
    m = Mention(doc="d1", start=at, end=at + len("John Durbey"), text="John Durbey", member="p1")
    assert (addressed_in(text, q, [m]) == {"p1"}) is addressed
