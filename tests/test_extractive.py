"""The pieces of the extractive decision as named cases: answer types, entities, attribution, features."""

from __future__ import annotations

import numpy as np
import pytest

from qa.extractive import token_match
from qa.extractive.decision import Decision
from qa.extractive.evidence import asking_part
from qa.extractive.features import FEATURES, FeatureExtractor, sentence_stems
from qa.extractive.question import (
    AGENT_LABELS,
    MONEY_ASKED,
    NUMBER_LABELS,
    PLACE_LABELS,
    TIME_LABELS,
    analyse,
)
from qa.extractive.short import _trimmed, short_answer, speaker
from qa.index.article import article_from_text
from qa.index.build import IndexedArticle
from qa.index.nlp import Annotation, annotate, consistent_people
from qa.index.split import split_article
from qa.text import phrase_stems, stem


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        pytest.param("Who founded the company?", AGENT_LABELS, id="who"),
        pytest.param("When did the bridge open?", TIME_LABELS, id="when"),
        pytest.param("In what year was the treaty signed?", TIME_LABELS, id="what-year"),
        pytest.param("Which city hosted the summit?", PLACE_LABELS, id="which-city"),
        pytest.param("How many people attended?", NUMBER_LABELS - {"ORDINAL", "PERCENT"}, id="how-many-a-count"),
        pytest.param("How many percent voted yes?", NUMBER_LABELS - {"ORDINAL"}, id="how-many-percent"),
        pytest.param("How many of the voters backed it?", NUMBER_LABELS - {"ORDINAL"}, id="how-many-of-a-share"),
        pytest.param("Why did the mayor resign?", frozenset(), id="why-has-no-type"),
        pytest.param("How hot is the surface?", frozenset({"QUANTITY", "CARDINAL", "PERCENT"}), id="how-a-measure"),
        pytest.param("How successful was the campaign?", frozenset(), id="how-not-a-measure"),
        pytest.param("How much did the renovation cost?", MONEY_ASKED, id="how-much-cost-a-sum"),
        pytest.param("How much will tickets cost?", MONEY_ASKED, id="how-much-will-cost"),
        pytest.param("How much did the city pay for it?", MONEY_ASKED, id="how-much-pay"),
        pytest.param("What was the share price?", frozenset({"MONEY"}), id="the-last-noun-of-a-compound-with-a-kind"),
        pytest.param("Which country today has the most?", PLACE_LABELS, id="a-noun-without-a-kind-after-it"),
        pytest.param(
            "How much water was lost?", frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"}), id="how-much"
        ),
    ],
)
def test_expected_answer_type(question: str, labels: frozenset[str]) -> None:
    assert analyse(question).expected == labels


def test_the_verb_of_a_price_only_restates_the_asked_type() -> None:
    """'cost' in "How much did the renovation cost?" weighs as a stop word: '$12 million renovation' answers."""
    terms = {t.surface: t for t in analyse("How much did the renovation cost?").terms}
    assert terms["cost"].stop and not terms["renovation"].stop
    assert not {t.surface: t for t in analyse("What did the renovation cost the city?").terms}["cost"].stop


@pytest.mark.parametrize(
    ("sentence", "spelled"),
    [
        pytest.param("Gov. Bill Lee toured the damage.", "governor", id="a-title"),
        pytest.param("Sen. Ted Cruz, R-Tex., voted no.", "senator texas", id="a-title-and-a-state"),
        pytest.param("Sen. Ana Ruiz, D-N.M., voted yes.", "new mexico", id="a-state-split-off-a-hyphen"),
        pytest.param("The vote in Nashville, Tenn., was held on Aug. 3.", "tennessee august", id="spacy-norms"),
        pytest.param("Chief executive Maria Delgado blamed costs.", "ceo", id="the-words-of-an-abbreviation"),
    ],
)
def test_sentence_stems_match_abbreviations_both_ways(sentence: str, spelled: str) -> None:
    note = annotate([sentence])[0]
    assert phrase_stems(spelled) <= sentence_stems(sentence, note)


def test_abbreviations_leave_other_words_alone() -> None:
    sentence = "The market fell on Monday."
    note = annotate([sentence])[0]
    assert all(t.norm == "" for t in note.tokens)
    assert sentence_stems(sentence, note) == {stem(w) for w in ("market", "fell", "fall", "Monday")}


def test_question_terms_names_numbers_and_negation() -> None:
    q = analyse("Did Maria Lopez not sign the 300-page audit?")
    names = {t.surface for t in q.terms if t.name}
    numbers = {t.surface for t in q.terms if t.number}
    assert {"Maria", "Lopez"} <= names and "300" in numbers
    assert q.negations == ("sign",)


@pytest.mark.parametrize(
    ("sentence", "entity", "label"),
    [
        pytest.param("The device will cost $499 in the United States.", "$499", "MONEY", id="the-currency-sign"),
        pytest.param("Hawks rally past Bulls 112-108 behind Young.", "112-108", "CARDINAL", id="a-score"),
        pytest.param("The Bulls led 60-47 at halftime.", "60-47", "CARDINAL", id="a-score-spacy-calls-a-date"),
        pytest.param("He was sentenced to 5-10 years.", "5-10 years", "DATE", id="a-longer-entity-is-kept"),
        pytest.param("The war lasted from 1756-1763.", "1756-1763", "DATE", id="years-are-no-score"),
        pytest.param(
            "City Councilwoman Ana Rivera won the mayor's race on Tuesday.",
            "Ana Rivera",
            "PERSON",
            id="a-first-name-before-a-surname-spacy-calls-a-place",
        ),
        pytest.param("New York City approved the plan.", "New York City", "GPE", id="a-place-stays-a-place"),
    ],
)
def test_entities_keep_currency_signs_and_scores_whole(sentence: str, entity: str, label: str) -> None:
    note = annotate([sentence])[0]
    assert (entity, label) in [(sentence[e.start : e.end], e.label) for e in note.entities]


def test_annotation_round_trips_through_json() -> None:
    note = annotate(['"We will rebuild," she said on Friday in Denver.'])[0]
    assert Annotation.from_json(note.to_json()) == note
    abbreviated = annotate(["Gov. Bill Lee toured Dickson, Tenn., by helicopter."])[0]
    assert Annotation.from_json(abbreviated.to_json()) == abbreviated
    assert {e.label for e in note.entities} >= {"DATE", "GPE"}
    assert note.speaker is not None and note.speaker_is_pronoun


def _indexed(text: str) -> IndexedArticle:
    article = article_from_text(text)
    passages, sentences = split_article(article)
    notes = tuple(annotate([s.text for s in sentences]))
    matrix = np.zeros((len(sentences), 384), dtype=np.float32)
    return IndexedArticle(article, tuple(passages), tuple(sentences), matrix, "test", annotations=notes)


def _typed(sentence: str, question: str) -> bool:
    """Whether a one-sentence article holds an answer of the kind the question expects (`typed_here`)."""
    q = analyse(question)
    return FeatureExtractor(_indexed(sentence), scorer=None).typed_here(q, 0, {t.stem for t in q.terms})


def _short(sentence: str, question: str) -> str | None:
    """The short answer's text to `question` in a one-sentence article (None when there is none)."""
    span = short_answer(analyse(question), _indexed(sentence), 0)
    return sentence[span.start : span.end] if span else None


def test_who_said_names_the_speaker_from_an_earlier_sentence() -> None:
    ix = _indexed(
        'Mayor Dana Whitfield spoke at the opening. The crowd cheered. "This bridge changes everything," she said.'
    )
    found = speaker(ix, 2)
    assert found is not None and found.position == 0
    assert ix.sentences[0].text[found.start : found.end] == "Dana Whitfield"
    span = short_answer(analyse("Who said the bridge changes everything?"), ix, 2)
    assert span == found


def test_a_pronoun_no_earlier_sentence_names_is_no_short_answer() -> None:
    assert _short("They said the bridge would close in May.", "Who said the bridge would close?") is None


def test_a_quote_carried_on_is_said_by_the_speaker_of_the_sentence_it_carries_on() -> None:
    from qa.extractive.short import continues_quote

    ix = _indexed(
        '"We cannot wait for the next storm," Mayor Daniel Okafor said. "Every dollar here counts."\n\n'
        '"The vote was close." The council adjourned.'
    )
    assert [continues_quote(ix, p) for p in range(len(ix.sentences))] == [False, True, False, False]
    found = speaker(ix, 1)
    assert found is not None and found.position == 0
    assert ix.sentences[0].text[found.start : found.end] == "Mayor Daniel Okafor"
    assert speaker(ix, 2) is None, "a new paragraph's quote is not the mayor's"


def test_what_did_x_say_quotes_the_whole_quotation(settings) -> None:
    from qa.api import Assistant

    text = (
        "Flood plan approved\n\n"
        "The council approved the flood plan on Tuesday. "
        '"We cannot wait for the next storm," Mayor Daniel Okafor said. "Every dollar here is a dollar saved." '
        "The vote was 7-2."
    )
    answer = Assistant.from_text(text, settings=settings).ask("What did the mayor say?")
    assert [c.quote[:12] for c in answer.citations] == ['"We cannot w', '"Every dolla']


def test_what_did_x_say_quotes_x_not_one_who_speaks_of_x(settings) -> None:
    from qa.api import Assistant

    text = (
        "New striker signs\n\n"
        '"He presses and he finishes," said head coach Linda Brandt. '
        "Ruiz said he chose the club over two others because of Brandt. The fee was 28 million euros."
    )
    answer = Assistant.from_text(text, settings=settings).ask("What did Brandt say?")
    assert [c.quote[:10] for c in answer.citations] == ['"He presse']


def test_every_reporting_subject_is_a_speaker() -> None:
    sentence = "Officials said the talks went well, with Mayor Okoye telling reporters she had cooled on the plan."
    note = annotate([sentence])[0]
    assert [sentence[s:e] for s, e in note.speakers] == ["Officials", "Mayor Okoye"]
    assert note.speaker == note.speakers[0]


def test_he_said_names_an_earlier_speaker_spacy_did_not_tag_as_a_person() -> None:
    ix = _indexed(
        "The previous record was the fee paid to Lyon for Kofi Mensah. "
        "Ruiz said he chose the club because of the coach. "
        '"She called me every week," he said.'
    )
    found = speaker(ix, 2)
    assert found is not None and ix.sentences[found.position].text[found.start : found.end] == "Ruiz"


@pytest.mark.parametrize(
    ("sentence", "speaker_text"),
    [
        pytest.param(
            '"It is not safe," said Mayor Janet Okoye, who cast the deciding vote.', "Mayor Janet Okoye", id="relcl"
        ),
        pytest.param("John Smith, the company's chief executive, said sales fell.", "John Smith", id="appos"),
        pytest.param(
            "A spokesman for the defence ministry said the talks stalled.",
            "A spokesman for the defence ministry",
            id="prep-kept",
        ),
        pytest.param(
            "Tom Brandt and Luis Ferreira said they would appeal.", "Tom Brandt and Luis Ferreira", id="conj-kept"
        ),
        pytest.param(  # a dateline's city is no speaker: the phrase beside it is
            "MINNEAPOLIS — Northwind Foods, the maker of cereal, said Tuesday it would cut jobs.",
            "Northwind Foods",
            id="dateline-city-the-phrase-beside-it",
        ),
        pytest.param(
            "NASHVILLE, Tenn. (AP) — Gov. Bill Lee said the state would help.", "Gov. Bill Lee", id="dateline-subject"
        ),
        pytest.param(  # spaCy parses 'a move officials' as one noun phrase
            "The board voted to deepen the channel, a move officials say will let larger ships reach the docks.",
            "officials",
            id="a-move-officials-say",
        ),
        pytest.param("A group of residents said the plan was rushed.", "A group of residents", id="a-group-kept"),
        pytest.param(  # spaCy makes the name an apposition of the title, with no comma between
            '"It is the first time," said lead author Dr. Kenji Watanabe of the University of Tokyo.',
            "lead author Dr. Kenji Watanabe",
            id="a-title-then-the-name",
        ),
    ],
)
def test_speaker_is_the_subject_without_its_asides(sentence: str, speaker_text: str) -> None:
    note = annotate([sentence])[0]
    assert note.speaker is not None and sentence[note.speaker[0] : note.speaker[1]] == speaker_text


@pytest.mark.parametrize(
    ("sentence", "speaker_text"),
    [
        pytest.param('"We will act," the mayor added.', "the mayor", id="added-quote"),
        pytest.param("The report notes that prices rose.", "The report", id="notes-that"),
        pytest.param("The plan, the mayor argued, had failed.", "the mayor", id="aside"),
        pytest.param("Police warned residents to stay indoors.", "Police", id="warned-to"),
        pytest.param("City budget adds $4.5 million for flood defences", None, id="adds-money"),
        pytest.param("She wrote a book about the war.", None, id="wrote-a-book"),
        pytest.param("The company announced a merger on Monday.", None, id="announced-a-thing"),
    ],
)
def test_speech_verbs_other_than_say_need_what_was_said(sentence: str, speaker_text: str | None) -> None:
    note = annotate([sentence])[0]
    found = sentence[note.speaker[0] : note.speaker[1]] if note.speaker else None
    assert found == speaker_text


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param(
            "Council members Tom Brandt and Luis Ferreira voted against the plan.",
            "Who voted against the plan?",
            "Tom Brandt and Luis Ferreira",
            id="two-people",
        ),
        pytest.param(
            "The treaty was signed by France, Spain and Italy in 1951.",
            "Which countries signed the treaty?",
            "France, Spain and Italy",
            id="three-places",
        ),
        pytest.param(
            "Tom Brandt voted against the plan, while Luis Ferreira abstained.",
            "Who voted against the plan?",
            "Tom Brandt",
            id="not-coordinated",
        ),
        pytest.param(
            "Tom Brandt and Luis Ferreira voted against the plan.",
            "Who voted with Tom Brandt against the plan?",
            "Luis Ferreira",
            id="the-one-the-question-names-left-out",
        ),
        pytest.param(
            "Prime Minister Ana Ruiz visited Oslo on Saturday and met with Hale.",
            "Who did Ruiz meet in Oslo?",
            "Hale",
            id="the-person-asked-about-by-surname-left-out",
        ),
        pytest.param(
            "Maria Lopez replaced Carlos Lopez as chair of the board.",
            "Who replaced Carlos Lopez as chair?",
            "Maria Lopez",
            id="a-shared-surname-is-another-person",
        ),
    ],
)
def test_short_answer_joins_coordinated_entities(sentence: str, question: str, answer: str) -> None:
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param("The Senate passed the bill on Tuesday.", "Which chamber passed the bill?", "Senate", id="a-name"),
        pytest.param(
            "The builders used steel beams for the frame.",
            "What material did the builders use?",
            None,
            id="no-name-no-short-answer",
        ),
    ],
)
def test_short_answer_to_a_what_noun_question_is_a_name_or_nothing(
    sentence: str, question: str, answer: str | None
) -> None:
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        pytest.param("How many countries were the scientists from?", "countri", id="plural-noun"),
        pytest.param("How many new members joined?", "member", id="past-an-adjective"),
        pytest.param("How much telescope time did they ask for?", "time", id="last-of-a-compound"),
        pytest.param("How much did the bridge cost?", "", id="nothing-counted"),
        pytest.param("Which country has many members?", "", id="not-how"),
    ],
)
def test_what_how_many_counts(question: str, counted: str) -> None:
    assert analyse(question).counted == counted


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param(
            "The team of 42 scientists from nine countries measured the light.",
            "How many countries were the scientists from?",
            "nine",
            id="the-number-of-what-is-counted",
        ),
        pytest.param(
            "The team of 42 scientists from nine countries measured the light.",
            "How many scientists were on the team?",
            "42",
            id="the-other-count",
        ),
        pytest.param(
            "The planet was observed over 11 nights last autumn.",
            "How many nights was the planet observed?",
            "11 nights",
            id="a-count-spacy-calls-a-time",
        ),
        pytest.param(
            "He scored 19 goals in 31 league games for Porto.",
            "How many league games did he play for Porto?",
            "31",
            id="a-compound-noun",
        ),
    ],
)
def test_how_many_answers_with_the_number_of_what_it_counts(sentence: str, question: str, answer: str) -> None:
    assert _short(sentence, question) == answer


def test_how_many_gives_no_count_of_something_else() -> None:
    sentence = "Three Republicans joined all Democrats in voting for the bill."
    assert _short(sentence, "How many Democrats voted against the bill?") is None
    assert _short(sentence, "How many Republicans voted for the bill?") == "Three"


def test_how_many_is_a_count_and_a_share_is_asked_as_one() -> None:
    sentence = "Rivera won the race with 54% of the vote."
    assert _short(sentence, "How many votes did Rivera get?") is None
    assert _short(sentence, "How many of the voters backed Rivera?") == "54%"
    assert _short(sentence, "What share of the vote did Rivera get?") == "54%"


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        pytest.param("When did Palmer plead guilty?", "March", id="when-not-an-age"),
        pytest.param("How old is Gregory Palmer?", "51", id="the-age-after-the-name"),
    ],
)
def test_ages_are_not_dates(question: str, answer: str | None) -> None:
    sentence = "Gregory Palmer, 51, of Springfield, pleaded guilty in March to 14 counts of fraud."
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param(
            "Prosecutors said Palmer targeted 23 customers.", "How old is Palmer?", None, id="how-old-no-count"
        ),
        pytest.param(
            "House Speaker Rob Whitman has not said whether he will bring the bill to a vote.",
            "Who is the House Speaker?",
            "Rob Whitman",
            id="who-is-the-title-asks-for-the-name",
        ),
        pytest.param(
            "Republican leader Thomas Hale said the bill was too expensive.",
            "Who said the bill was too expensive?",
            "Thomas Hale",
            id="who-said-gives-the-name-without-the-title",
        ),
        pytest.param(
            "Dr. Elena Marchetti observed the planet with the James Webb Space Telescope.",
            "Which telescope did Marchetti use?",
            "James Webb Space Telescope",
            id="which-noun-prefers-a-name-holding-that-noun",
        ),
        pytest.param(
            "The Red Cross opened three shelters, and schools in Dickson County will be closed Monday.",
            "Which schools will be closed?",
            "Dickson County",
            id="which-noun-no-name-holds-is-a-name-not-a-date",
        ),
        pytest.param(
            "Ruth Ellen Abernathy was born on April 18, 1933, in Dayton, Ohio.",
            "How old was Abernathy?",
            None,
            id="how-old-is-no-birth-date",
        ),
        pytest.param(
            "Prime Minister Naftali Bennett visited Moscow on Saturday.",
            "How old is Naftali Bennett?",
            None,
            id="how-old-is-no-day",
        ),
        pytest.param(
            "Bennett met Putin on Saturday for three hours.",
            "How long did the meeting last?",
            "three hours",
            id="how-long-is-a-span-not-a-day",
        ),
        pytest.param(
            "Bennett met Putin in Moscow on Saturday.", "How long did the meeting last?", None, id="how-long-no-span"
        ),
        pytest.param(
            "Bennett met Putin in Sochi on Oct. 22, 2021.",
            "How long did the meeting last?",
            None,
            id="how-long-no-calendar-day",
        ),
        pytest.param(
            "Bennett met Putin in Sochi in Oct. 2022.", "How long did the meeting last?", None, id="how-long-no-month"
        ),
        pytest.param(
            "Proportionality has been a general principle of EU law since the 1950s.",
            "How long has proportionality been a general principle?",
            "the 1950s",
            id="how-long-since-a-decade",
        ),
        pytest.param(
            "Chief executive Maria Delgado blamed higher costs for wheat.",
            "Who is the CEO?",
            "Maria Delgado",
            id="who-is-the-abbreviated-role-asks-for-the-name",
        ),
        pytest.param(
            "She studied geology at Oberlin College and earned a doctorate from Columbia University in 1961.",
            "Where did she get her PhD?",
            "Columbia University",
            id="the-abbreviation-anchors-the-nearest-place",
        ),
        pytest.param(
            "The company earned $214 million, or 97 cents a share, in the three months ended Sept. 30.",
            "How much did the company earn?",
            "$214 million",
            id="a-restatement-after-comma-or-is-not-joined",
        ),
        pytest.param(
            "The company was founded in 2019 in Austin, Texas.",
            "Who founded the company?",
            None,
            id="who-is-no-place-after-in",
        ),
        pytest.param(
            "France signed the treaty in 1763.", "Who signed the treaty?", "France", id="who-a-country-that-acts"
        ),
        pytest.param(
            "Young hit the go-ahead 3-pointer with 24 seconds left as Atlanta won 112-108.",
            "How much time was left when Young hit the 3-pointer?",
            "24 seconds",
            id="how-much-time-is-a-duration",
        ),
        pytest.param(
            "Walking was linked to a 47% lower risk of death, a 25% lower risk of heart disease and a 38% lower "
            "risk of dementia.",
            "How much lower was the risk of heart disease?",
            "25%",
            id="nearest-to-all-question-words-not-across-a-conjunction",
        ),
        pytest.param(
            "Walking was linked to a 47% lower risk of death, a 25% lower risk of heart disease and a 38% lower "
            "risk of dementia.",
            "How much lower was the risk of dementia?",
            "38%",
            id="nearest-to-the-word-only-one-span-is-near",
        ),
        pytest.param(
            "With all precincts reporting, Rivera had 54% of the vote to Castellano's 46%.",
            "What share of the vote did Castellano get?",
            "46%",
            id="nearest-to-the-name-asked-about",
        ),
        pytest.param(
            "COLUMBUS, Ohio (AP) — A federal judge on Thursday blocked a county ordinance.",
            "Who blocked the ordinance?",
            None,
            id="the-agency-of-a-dateline-is-no-answer",
        ),
        pytest.param(
            "The bridge reopened after a two-year repair.",
            "When did the bridge reopen?",
            None,
            id="a-length-is-no-when",
        ),
        pytest.param(
            "Acme said it would cut about 1,200 jobs after quarterly profit fell 23%.",
            "How much did profit fall?",
            "23%",
            id="how-much-is-no-count-of-other-things",
        ),
        pytest.param(
            "Acme to cut 1,200 jobs as profit falls",
            "How much did profit fall?",
            None,
            id="how-much-has-no-answer-in-a-count-of-jobs",
        ),
        pytest.param(
            "The wildfire had burned about 1,800 acres by evening, officials said.",
            "How many acres burned?",
            "about 1,800 acres",
            id="a-quantity-ends-with-its-unit",
        ),
        pytest.param(
            "The bridge reopened on Friday after a 10-day closure.",
            "When did the bridge reopen?",
            "Friday",
            id="the-day-not-the-length",
        ),
        pytest.param(
            "The hearing was set for mid-March 2025.", "When is the hearing?", "mid-March 2025", id="a-hyphenated-date"
        ),
        pytest.param(
            "Field trials are due to begin next spring, and the first varieties could reach farmers by 2030.",
            "When will field trials start?",
            "next spring",
            id="the-date-nearest-the-question-words-with-or-without-digits",
        ),
        pytest.param(
            "Harbor City stuns Westfield to reach first cup final in 40 years",
            "When did Harbor City last reach the final?",
            None,
            id="a-count-of-years-is-no-when",
        ),
        pytest.param(
            "Kublai Khan established the Yuan dynasty in 1271.",
            "When did Kublai Khan establish the Yuan?",
            "1271",
            id="a-period-the-question-names-is-no-when",
        ),
        pytest.param(
            "NORWICH, England — Researchers at the John Innes Centre said on Wednesday that they found a gene.",
            "Where is the John Innes Centre?",
            "NORWICH, England",
            id="the-whole-place-of-a-dateline",
        ),
        pytest.param(
            "The definition of linear bounded automata was John Myhill's work of 1960.",
            "Who defined linear bounded automata?",
            "John Myhill",
            id="no-trailing-possessive",
        ),
    ],
)
def test_short_answer_of_news_sentences(sentence: str, question: str, answer: str | None) -> None:
    assert _short(sentence, question) == answer


def test_a_name_the_question_already_states_is_no_answer_whatever_its_stop_words() -> None:
    ix = _indexed("Riverside will face the winner of the semi-final between Eastport and Kingsbridge.")
    assert short_answer(analyse("Who scored in the semi-final between Eastport and Kingsbridge?"), ix, 0) is None


def test_who_prefers_a_person_to_a_nearer_nationality_or_place() -> None:
    sentence = "Washington was invited to dine by the French, whose commander was Jacques Legardeur."
    assert _short(sentence, "Who invited Washington to dine?") == "Jacques Legardeur"


ELECTION = [
    "Rivera wins Springfield mayor's race by 412 votes",
    (
        "Former school board president Luis Rivera narrowly won the race for mayor of Springfield on Tuesday,"
        " defeating two-term incumbent Karen Holt by 412 votes."
    ),
    "Holt, 61, had campaigned on her record.",
    "Paris voted too, and the Paris Agreement came up.",
]


def test_a_surname_alone_is_the_person_the_article_names_in_full() -> None:
    """spaCy's small model tags the lone 'Rivera' a place and leaves 'Holt' untagged; a full name elsewhere in
    the article makes each a person. A word no person's name ends with keeps its label."""
    notes = consistent_people(ELECTION, annotate(ELECTION))
    people = [
        {text[e.start : e.end] for e in note.entities if e.label == "PERSON"}
        for text, note in zip(ELECTION, notes, strict=True)
    ]
    assert "Rivera" in people[0] and "Holt" in people[2]
    assert not people[3]


def test_who_won_is_the_person_not_the_place(settings) -> None:
    from qa.api import Assistant

    answer = Assistant.from_text("\n\n".join(ELECTION), settings=settings).ask("Who won the mayor's race?")
    assert answer.short is not None and answer.short.text in ("Rivera", "Luis Rivera")


def test_who_is_no_name_that_modifies_a_noun() -> None:
    sentence = "The mayor and her aides briefed Ohio, the Obama administration, France and Germany about the deal."
    assert "Obama" not in (_short(sentence, "Who did the mayor brief?") or "")


def test_who_is_not_the_one_who_only_reports_it() -> None:
    sentence = "The turnout was the highest for a city election since 2011, county clerk Ben Osgood said."
    assert _short(sentence, "Who won the election?") is None
    assert _short(sentence, "Who said turnout was the highest?") == "Ben Osgood"


def test_when_prefers_a_date_with_digits_to_a_nearer_vague_one() -> None:
    sentence = "Signed in the first years of the reign, the treaty dates from 1271."
    assert _short(sentence, "When was the treaty signed?") == "1271"


def test_short_answer_is_the_entity_of_the_expected_type() -> None:
    ix = _indexed("The council approved the budget on March 3, 2021, after a long debate.")
    span = short_answer(analyse("When did the council approve the budget?"), ix, 0)
    assert span is not None and ix.sentences[0].text[span.start : span.end] == "March 3, 2021"


@pytest.mark.parametrize(
    ("features", "direction"),
    [
        pytest.param(("coverage", "coverage_gap", "evidence"), 1, id="more-coverage-raises"),
        pytest.param(
            tuple(n for n in token_match.NAMES if "worst" not in n), 1, id="closer-word-by-word-matches-raise"
        ),
        pytest.param(("type_present",), 1, id="answer-type-present-raises"),
        pytest.param(("negation_added",), -1, id="negation-added-by-the-question-lowers"),
        pytest.param(("names_missing",), -1, id="missing-names-lower"),
        pytest.param(("number_swapped",), -1, id="swapped-number-lowers"),
    ],
)
def test_decision_moves_the_right_way(features: tuple[str, ...], direction: int) -> None:
    decision = Decision.load()
    assert decision.features == FEATURES and 0.0 < decision.threshold < 1.0
    model = decision.sentence
    rows = np.tile(model.mean, (2, 1))
    for name in features:
        rows[1, FEATURES.index(name)] += model.scale[FEATURES.index(name)]
    base, moved = decision.probabilities(rows)
    assert 0.0 < base < 1.0 and (moved - base) * direction > 0


COURT = "The court has taken the view that trade helps."
CARDS = "Punch cards are used to store programs."
PLAN = "Bennett isn't presenting any plan to Putin."
YOST = '"We will not let three judges overrule four million voters," Yost told reporters.'
ADDED, DROPPED, NEITHER = (True, False), (False, True), (False, False)


@pytest.mark.parametrize(
    ("sentence", "question", "mismatch"),
    [
        pytest.param(COURT, "Who has not taken the view that trade helps?", ADDED, id="negation-added-by-the-question"),
        pytest.param(COURT, "Who has taken the view that trade helps?", NEITHER, id="same-polarity"),
        pytest.param(
            COURT, "Has the court taken the view that trade helps?", NEITHER, id="yes-no-is-answered-not-contradicted"
        ),
        pytest.param(CARDS, "What are punch cards not used for?", ADDED, id="negated-stop-word-verb"),
        pytest.param(CARDS, "What aren't punch cards?", ADDED, id="negated-copula"),
        pytest.param(CARDS, "What are punch cards used for?", NEITHER, id="same-polarity-common-verb"),
        pytest.param(
            PLAN, "What plan is Bennett presenting to Putin?", DROPPED, id="false-premise-the-sentence-denies"
        ),
        pytest.param(YOST, "Who said judges should not overrule voters?", NEITHER, id="not-let-them-overrule"),
        pytest.param(YOST, "Who said judges should overrule voters?", DROPPED, id="let-them-overrule-denied"),
    ],
)
def test_negation_mismatch(sentence: str, question: str, mismatch: tuple[bool, bool]) -> None:
    from qa.extractive.features import FeatureExtractor

    q = analyse(question)
    assert (
        FeatureExtractor(_indexed(sentence), scorer=None).negation_mismatch(q, 0, {t.stem for t in q.terms}) == mismatch
    )


@pytest.mark.parametrize(
    ("sentence", "typed"),
    [
        pytest.param("Mensah, 23, joined the club last summer.", True, id="an-age-after-the-name"),
        pytest.param("Mensah joined the club on May 2, 2022.", False, id="a-date-with-a-year-is-no-age"),
        pytest.param("Mensah joined the club on Saturday.", False, id="a-day-is-no-age"),
    ],
)
def test_an_age_is_the_answer_type_of_how_old(sentence: str, typed: bool) -> None:
    assert _typed(sentence, "How old is Mensah?") is typed


def test_spelled_numbers_and_accents_are_words_of_a_sentence() -> None:
    from qa.extractive.features import FeatureExtractor

    stems = FeatureExtractor(_indexed(f"Céleron met them. {YOST}"), scorer=None).stems
    assert {"celeron"} <= stems[0] and {"three", "four", "judg"} <= stems[1], "'three' is a spaCy stop word"
    asked = {t.stem for t in analyse("Who said three judges met Celeron?").terms}
    assert {"three", "celeron"} <= asked


@pytest.mark.parametrize(
    ("name", "absent"),
    [
        pytest.param("Michigan", True, id="not-in-the-article"),
        pytest.param("Ohio", False, id="in-the-article"),
        pytest.param("South African", False, id="country-of-a-demonym"),
        pytest.param("Okonkow", False, id="misspelt-by-a-letter"),
        pytest.param("Okafor", True, id="another-name-of-the-same-start"),
    ],
)
def test_a_name_is_absent_only_when_no_spelling_of_it_is_there(name: str, absent: bool) -> None:
    from qa.extractive.features import FeatureExtractor

    ix = _indexed("Judge Maria Okonkwo of Ohio wrote the ruling. It cited a study from South Africa.")
    q = analyse(f"What did {name} say about the ruling?")
    names = [t for t in q.terms if t.name]
    assert names and any(FeatureExtractor(ix, scorer=None).name_absent(t.stem) for t in names) is absent


@pytest.mark.parametrize(
    ("question", "swapped"),
    [
        pytest.param("Who signed the Harbour Act of 1988?", True, id="year-changed"),
        pytest.param("Who signed the Harbour Act of 1998?", False, id="year-stated"),
        pytest.param("Who signed the Harbour Act in the 19th century?", False, id="different-shape"),
        pytest.param("Who signed the Harbour Act?", False, id="no-number-asked"),
    ],
)
def test_number_swapped(question: str, swapped: bool) -> None:
    from qa.extractive.features import FeatureExtractor

    ix = _indexed("The Harbour Act 1998 was signed by Queen Mary on 19 November 1998.")
    q = analyse(question)
    stems = FeatureExtractor(ix, scorer=None).stems[0]
    matched = np.array([t.stem in stems for t in q.terms], dtype=bool)
    assert FeatureExtractor(ix, scorer=None).number_swapped(q.terms, matched, 0) is swapped


def test_warm_words_leaves_no_word_to_embed_while_the_rows_are_built(assistant, monkeypatch) -> None:
    """`warm_words` embeds, in one run, every word the feature rows then compare (it runs while spaCy parses)."""
    query = "Which leaders did the prime minister telephone after the visit?"
    hits = assistant.prepare(query)["hits"]
    embedder = assistant.embedder
    embedder.clear_cache()
    assistant.extractive.extractor.warm_words(asking_part(query), hits)
    original = embedder.embed_many_cached
    missed: list[str] = []

    def checked(texts: list[str]) -> np.ndarray:
        missed.extend(t for t in texts if t not in embedder._cache)
        return original(texts)

    monkeypatch.setattr(embedder, "embed_many_cached", checked)
    _, rows = assistant.extractive.features(query, hits)
    assert len(rows) == len(hits) and not missed


@pytest.mark.parametrize(
    ("question", "on"),
    [
        pytest.param("When did the bridge open?", {"wh_when", "asks_time"}, id="when"),
        pytest.param("Who founded the company?", {"wh_who", "asks_person", "asks_place"}, id="who-or-a-country"),
        pytest.param("Which city hosted the summit?", {"wh_which", "asks_place"}, id="which-city"),
        pytest.param("How many people attended?", {"wh_how", "asks_number"}, id="how-many"),
        pytest.param("Why did the mayor resign?", {"wh_why"}, id="why"),
        pytest.param("Did the mayor resign?", set(), id="yes-no"),
    ],
)
def test_question_kind_is_one_hot(question: str, on: set[str]) -> None:
    from qa.extractive.features import ASKED_KINDS, WH_WORDS, question_kind

    names = [f"wh_{w}" for w in WH_WORDS] + [f"asks_{k}" for k in ASKED_KINDS]
    assert {n for n, v in zip(names, question_kind(analyse(question)), strict=True) if v} == on


TREATY = "France signed the Treaty of Madrid with Spain in 1921."
ROUND = "Putin briefed Bennett on the third round of talks."


@pytest.mark.parametrize(
    ("sentence", "question", "swapped"),
    [
        pytest.param(TREATY, "Which treaty did Germany sign with Spain in 1921?", True, id="country-changed"),
        pytest.param(TREATY, "Which treaty did France sign with Spain in 1921?", False, id="country-stated"),
        pytest.param(TREATY, "Which treaty did Chancellor Weber sign in 1921?", False, id="other-kind-of-entity"),
        pytest.param(TREATY, "Which treaty was signed in 1921?", False, id="no-name-asked"),
        pytest.param(ROUND, "Who briefed Bennett on the fourth round of talks?", True, id="ordinal-changed"),
        pytest.param(ROUND, "Who briefed Bennett on the third round of talks?", False, id="ordinal-stated"),
    ],
)
def test_entity_swapped(sentence: str, question: str, swapped: bool) -> None:
    from qa.extractive.features import FeatureExtractor

    ix = _indexed(sentence)
    q = analyse(question)
    extractor = FeatureExtractor(ix, scorer=None)
    matched = np.array([t.stem in extractor.stems[0] for t in q.terms], dtype=bool)
    assert extractor.entity_swapped(q.terms, matched, 0, {t.stem for t in q.terms}) is swapped


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param(
            "Juliet Schor, a sociologist at Boston College who led part of the research, said sleep improved.",
            "Who is Juliet Schor?",
            "a sociologist at Boston College",
            id="apposition-before-who",
        ),
        pytest.param(
            '"This is a breakthrough," said Joe O\'Connor, chief executive of 4 Day Week Global.',
            "Who is Joe O'Connor?",
            "chief executive of 4 Day Week Global",
            id="apposition-at-the-end",
        ),
        pytest.param(
            "Juliet Schor met Tom Brandt at Boston College on Monday.", "Who is Juliet Schor?", None, id="no-other-name"
        ),
        pytest.param(
            '"We deserve better," said local president Gloria Mendez.',
            "Who is Gloria Mendez?",
            "local president",
            id="a-title-before-the-name",
        ),
        pytest.param(
            "Chief Executive Officer Mark Delaney said the cuts would save money.",
            "Who is Mark Delaney?",
            "Chief Executive Officer",
            id="a-capitalised-title",
        ),
        pytest.param(
            "Acme was founded by brothers Walter and Henry Ames in Dayton.",
            "Who is Walter Ames?",
            None,
            id="a-plural-is-no-title",
        ),
        pytest.param(
            'Their lawyer, Priya Natarajan, called the ruling "a victory".',
            "Who is Priya Natarajan?",
            "lawyer",
            id="the-noun-a-name-renames",
        ),
        pytest.param(
            "Northern Grid spokesperson Alan Brooks said crews were working around the clock.",
            "Who is Alan Brooks?",
            "Northern Grid spokesperson",
            id="a-title-with-the-body-it-serves",
        ),
        pytest.param("Kofi Mensah, 23, joined the club last summer.", "Who is Kofi Mensah?", None, id="an-age-alone"),
        pytest.param(
            "After meeting Tom Ng, Ana Rivera signed the bill.",
            "Who is Ana Rivera?",
            None,
            id="a-name-before-the-comma-is-renamed-by-nobody",
        ),
        pytest.param(
            'Westfield\'s manager, Graham Price, called the red card "the turning point".',
            "Who is Graham Price?",
            "Westfield's manager",
            id="a-possessive-noun-phrase-renamed",
        ),
        pytest.param(
            "The clinic employs one doctor, Dr. Hannah Osei, who moved from Toronto in April.",
            "Who is Hannah Osei?",
            "one doctor",
            id="renamed-across-an-honorific",
        ),
        pytest.param(
            '"We were surprised," said Dr. Simon Griffiths, who led the study.',
            "Who is Simon Griffiths?",
            "who led the study",
            id="a-relative-clause-over-an-honorific",
        ),
        pytest.param(
            '"This is new," said lead author Dr. Kenji Watanabe of the University of Tokyo.',
            "Who is Kenji Watanabe?",
            "lead author",
            id="a-title-before-an-honorific",
        ),
        pytest.param(
            "He spoke with Mayor Ruiz, Tom Okoye, French President Emmanuel Macron and German Chancellor Olaf Scholz.",
            "Who is Tom Okoye?",
            None,
            id="a-list-of-people-is-no-description",
        ),
        pytest.param(
            "According to city officials, Holt's proposal is hard to accept.",
            "Who is Holt?",
            None,
            id="a-possessive-name-renames-nothing",
        ),
    ],
)
def test_who_is_a_named_person_is_answered_by_a_description(sentence: str, question: str, answer: str | None) -> None:
    assert _short(sentence, question) == answer


WHO_IS_STORY = (
    "Heater recall widens\n\n"
    "A heater maker recalled 240,000 units on Tuesday after nine fires. "
    '"A heater that overheats at night is what we fear most," said Dr. Amara Osei, a fire-safety researcher at '
    "Lakeshore University. "
    "Daniel Ortiz, a spokesman for the company, said owners would get refunds. "
    "Osei said the company should have acted sooner. "
    "Osei also urged owners to check their smoke alarms."
)


def test_who_is_answered_by_the_description_where_the_person_is_first_named(settings) -> None:
    """Later sentences name her by surname and share more words with the question; the answer is the one that
    says who she is, and its description is the short answer."""
    from qa.api import Assistant

    answer = Assistant.from_text(WHO_IS_STORY, settings=settings).ask("Who is Osei?")
    assert not answer.refused
    assert answer.short is not None and answer.short.text == "a fire-safety researcher at Lakeshore University"
    assert [c.quote[:12] for c in answer.citations] == ['"A heater th']


AGE_STORY = (
    "Cup final reached\n\n"
    "Striker Kofi Mensah scored the winner in the 108th minute. "
    "Mensah, 23, joined the club last summer from a club in Accra. "
    "Defender Daniel Ortiz was booked twice. Ortiz, 30, will miss the final."
)


def test_how_old_is_answered_by_the_age_after_the_name(settings) -> None:
    """The fitted decision scores 'Mensah, 23, joined ...' low for "How old is Kofi Mensah?" (one name word
    shared, SQuAD asks few such questions); the age set off after the name answers it."""
    from qa.api import Assistant

    answer = Assistant.from_text(AGE_STORY, settings=settings).ask("How old is Kofi Mensah?")
    assert not answer.refused and answer.confidence >= 0.75
    assert answer.short is not None and answer.short.text == "23"


def test_a_surname_alone_is_not_a_namesakes(settings) -> None:
    from qa.api import Assistant
    from qa.extractive.short import person_fact

    indexed = Assistant.from_text(AGE_STORY, settings=settings).indexed
    assert person_fact(analyse("How old is Sam Ortiz?"), indexed) is None
    found = person_fact(analyse("How old is Daniel Ortiz?"), indexed)
    assert found is not None and indexed.sentences[found.position].text[found.start : found.end] == "30"


def test_who_is_keeps_to_the_confidence_the_user_sets(settings) -> None:
    from qa.api import Assistant

    strict = settings.model_copy(update={"min_confidence": 0.9})
    answer = Assistant.from_text(WHO_IS_STORY, settings=strict).ask("Who is Osei?")
    assert answer.refused and answer.confidence == 0.75


def test_who_is_a_namesake_is_not_described_by_another(settings) -> None:
    from qa.api import Assistant

    answer = Assistant.from_text(WHO_IS_STORY, settings=settings).ask("Who is Sam Ortiz?")
    assert answer.short is None or "spokesman" not in answer.short.text


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param(
            "SPRINGFIELD (AP) — The city council met in Riverside Hall on Tuesday.",
            "Where did the council meet?",
            "Riverside Hall",
            id="place-after-the-dateline",
        ),
        pytest.param(
            "LONDON (Reuters) - The council voted on Tuesday.",
            "Where did the council vote?",
            "LONDON",
            id="the-city-not-the-agency",
        ),
        pytest.param(
            "NASHVILLE, Tenn. (AP) — Flash floods swept through central Tennessee on Sunday.",
            "Where were the floods?",
            "Tennessee",
            id="a-dateline-with-a-state",
        ),
    ],
)
def test_a_datelines_agency_never_answers_where(sentence: str, question: str, answer: str | None) -> None:
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    ("sentence", "span", "trimmed"),
    [
        ("Since Ireland refused, the treaty was changed.", "Since Ireland", "Ireland"),
        ("The courts of member states apply the law and", "the law and", "the law"),
        ("It was John Myhill's definition.", "John Myhill's", "John Myhill"),
        ("The war lasted between 1756 and 1763.", "between 1756 and 1763", "between 1756 and 1763"),
        ("Turnout was about 31% this year.", "about 31%", "about 31%"),
    ],
)
def test_a_short_answer_drops_the_words_spacy_takes_in_at_its_edges(sentence: str, span: str, trimmed: str) -> None:
    start = sentence.index(span)
    a, b = _trimmed(sentence, _indexed(sentence).annotations[0], start, start + len(span))
    assert sentence[a:b] == trimmed


@pytest.mark.parametrize(
    ("question", "any_quote"),
    [
        ("What did Maria Delgado say?", True),
        ("What did Delgado tell Reuters?", False),
        ("What did Maria Delgado say about the vote?", False),
        ("What did the mayor say?", False),
    ],
)
def test_what_did_a_named_one_say_about_nothing_in_particular(question: str, any_quote: bool) -> None:
    assert analyse(question).asks_any_quote is any_quote


def test_extra_sentences_hold_the_asked_kind_when_the_best_does(settings) -> None:
    from qa.api import Assistant

    text = (
        "Harbor budget passes\n\n"
        "The council approved a $4.2 million harbor budget on Tuesday. "
        "Residents can send budget questions to the harbor office. The vote was 7-2."
    )
    answer = Assistant.from_text(text, settings=settings).ask("How much was the harbor budget?")
    assert answer.short is not None and answer.short.text == "$4.2 million"
    assert [c.quote[:16] for c in answer.citations] == ["The council appr"], "no headline or other budget line"


@pytest.mark.parametrize(
    ("question", "author"),
    [
        pytest.param("Who wrote the article?", "Jordan Ellis", id="who-wrote-the-article"),
        pytest.param("Who is the author?", "Jordan Ellis", id="who-is-the-author"),
        pytest.param("Who wrote the ruling?", None, id="not-about-the-article"),
        pytest.param("Who is the author of the study?", None, id="author-of-something-else"),
    ],
)
def test_the_author_is_the_name_in_the_byline(settings, question: str, author: str | None) -> None:
    from qa.api import Assistant

    text = (
        "Court blocks map\n\nBy Jordan Ellis | June 3, 2026\n\n"
        "Judge Maria Okonkwo wrote the ruling. It cites a 2019 study by Ana Ruiz."
    )
    answer = Assistant.from_text(text, settings=settings).ask(question)
    if author is None:
        assert answer.short is None or answer.short.text != "Jordan Ellis"
    else:
        assert answer.short is not None and answer.short.text == author
        assert answer.citations[0].quote.startswith("By Jordan Ellis")


GIST_STORY = (
    "Harbor reopens\n\nBy Jordan Ellis\n\nThe city reopened the harbor on Monday after a year of repairs, the port "
    "authority said. Ferries will resume on June 1.\n\nThe repairs cost $4 million."
)


@pytest.mark.parametrize(
    ("question", "gist"),
    [
        pytest.param("What is this article about?", True, id="what-is-it-about"),
        pytest.param("Summarize the story", True, id="summarize"),
        pytest.param("What happened?", True, id="what-happened"),
        pytest.param("What are the main points?", True, id="main-points"),
        pytest.param("Tell me about this story.", True, id="tell-me-about-the-story"),
        pytest.param("What happened on Monday?", False, id="what-happened-when-is-a-question"),
        pytest.param("Summarize what the port authority said", False, id="a-summary-of-something-else"),
    ],
)
def test_the_gist_of_the_article_is_its_opening(settings, question: str, gist: bool) -> None:
    from qa.api import Assistant

    answer = Assistant.from_text(GIST_STORY, settings=settings).ask(question)
    quotes = [c.quote for c in answer.citations]
    opening = [
        "The city reopened the harbor on Monday after a year of repairs, the port authority said.",
        "Ferries will resume on June 1.",
    ]
    assert (quotes == opening and answer.confidence == 1.0) is gist, quotes


def test_a_word_spacy_cannot_tag_is_still_something_to_look_for() -> None:
    assert analyse("hi").blank and not analyse("What did vBNS do").blank


@pytest.mark.parametrize("question", ["hi", "Who?", "Why?", "ok"])
def test_a_question_with_nothing_to_look_for_is_refused(settings, question: str) -> None:
    from qa.api import Assistant

    answer = Assistant.from_text(GIST_STORY, settings=settings).ask(question)
    assert answer.refused and answer.confidence == 0.0


@pytest.mark.parametrize(
    ("line", "author"),
    [
        pytest.param("By Ana Ruiz", "Ana Ruiz", id="a-name-spacy-tags-as-no-person"),
        pytest.param("By Ana Ruiz and Tom Lee", "Ana Ruiz and Tom Lee", id="two-writers"),
        pytest.param("By JANE DOE, Associated Press", "JANE DOE", id="the-name-before-the-agency"),
        pytest.param("By Ana Ruiz, Tom Lee and Kim Park, Reuters", "Ana Ruiz, Tom Lee and Kim Park", id="three"),
        pytest.param("By Zoë Müller and 李明 · 3 March 2026", "Zoë Müller and 李明", id="a-name-in-another-script"),
        pytest.param("By the Associated Press", "the Associated Press", id="an-agency"),
        pytest.param("By Tuesday, the bridge will reopen.", None, id="a-sentence-is-no-byline"),
    ],
)
def test_the_byline_names_its_writers(settings, line: str, author: str | None) -> None:
    from qa.api import Assistant

    text = f"Bridge reopens\n\n{line}\n\nThe Main Street bridge reopened on Friday after a two-year repair."
    answer = Assistant.from_text(text, settings=settings).ask("Who wrote the article?")
    assert (answer.short.text if answer.short else None) == author


def test_the_author_of_a_web_page_is_its_byline(settings) -> None:
    """A page's byline, which trafilatura keeps only as metadata, still names the author, cited."""
    from qa.api import Assistant

    page = (
        "<html><head><title>Court blocks map</title></head><body><article><h1>Court blocks map</h1>"
        '<p class="byline">By Jordan Ellis · June 3, 2026</p><p>Judge Maria Okonkwo wrote the ruling on Monday.</p>'
        "<p>It cites a 2019 study by Ana Ruiz of the state university.</p><p>The state plans to appeal.</p>"
        "</article></body></html>"
    )
    answer = Assistant.from_text(page, fmt="html", settings=settings).ask("Who wrote the article?")
    assert answer.short is not None and answer.short.text == "Jordan Ellis"
    assert answer.citations[0].quote == "By Jordan Ellis · June 3, 2026"


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param(
            "A federal appeals court on Monday blocked Ohio from using its map.",
            "Which court blocked the map?",
            "federal appeals court",
            id="the-phrase-of-the-asked-noun-not-the-object",
        ),
        pytest.param("Ohio lost its case in the Supreme Court.", "Which state lost its case?", "Ohio", id="no-noun"),
        pytest.param(
            "The union representing workers at the Ohio plants, the United Food and Commercial Workers, said it "
            "would seek talks.",
            "Which union represents the workers?",
            "the United Food and Commercial Workers",
            id="the-name-set-off-by-commas-after-the-noun",
        ),
        pytest.param(
            "His lawyer had asked for a sentence of three years, citing his record.",
            "What sentence did his lawyer ask for?",
            "three years",
            id="the-amount-the-noun-is-of",
        ),
        pytest.param(
            "The city has a population of about 3 million people.",
            "What population does the city have?",
            "about 3 million",
            id="of-a-qualified-amount",
        ),
    ],
)
def test_which_noun_is_answered_by_the_phrase_of_that_noun(sentence: str, question: str, answer: str | None) -> None:
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("The court, in a 2-1 ruling, blocked Ohio from using the map.", id="a-phrase-between-commas"),
        pytest.param("The court hired Smith, a lawyer from Boston, to argue it.", id="a-name-inside-the-aside"),
    ],
)
def test_no_name_renames_the_asked_noun(sentence: str) -> None:
    from qa.extractive.short import _named_after_head

    assert _named_after_head(analyse("Which court blocked the map?"), sentence, annotate([sentence])[0]) is None


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        pytest.param("Tell me about the harbor", "What is the harbor?", id="tell-me-about"),
        pytest.param("Please tell me more about the repairs.", "What is the repairs?", id="please-more-about"),
        pytest.param("Describe the ferries", "What is the ferries?", id="describe"),
        pytest.param("Can you tell me when ferries resume?", "When ferries resume?", id="can-you-tell-me-when"),
        pytest.param("Explain why the harbor closed", "Why the harbor closed?", id="explain-why"),
        pytest.param("When do ferries resume?", "When do ferries resume?", id="a-question-stays"),
        pytest.param("Explain.", "Explain.", id="nothing-asked"),
    ],
)
def test_a_request_is_put_as_the_question_it_asks(message: str, asked: str) -> None:
    assert asking_part(message) == asked


@pytest.mark.parametrize(
    ("request_", "answered"),
    [
        pytest.param("Tell me about the repairs", True, id="in-the-story"),
        pytest.param("Can you tell me when ferries resume?", True, id="when"),
        pytest.param("Tell me about the mayor's wife", False, id="not-in-the-story"),
    ],
)
def test_a_request_is_answered_like_its_question(settings, request_: str, answered: bool) -> None:
    from qa.api import Assistant

    answer = Assistant.from_text(GIST_STORY, settings=settings).ask(request_)
    assert answer.refused is not answered, (answer.text, answer.confidence)


PREMISE_STORY = (
    "The harbour board met on Monday to discuss the budget. "
    "Board members said the chair isn't proposing a new tax or fee and will only ask the council for a loan. "
    "The council votes on the loan next month."
)


def test_a_premise_the_article_contradicts_is_answered_with_the_contradiction(settings) -> None:
    """'What tax did the chair propose?' when the article says the chair isn't proposing one: every word of the
    question is there, one negated. The sentence that corrects the premise is the answer, even where the fitted
    decision (SQuAD marks these unanswerable) would refuse, and it has no short answer."""
    from qa.api import Assistant
    from qa.extractive.engine import CONTRADICTED_CONFIDENCE

    assistant = Assistant.from_text(PREMISE_STORY, settings=settings)
    answer = assistant.ask("What tax did the chair propose?")
    assert not answer.refused and answer.confidence >= min(CONTRADICTED_CONFIDENCE, settings.min_confidence or 0.0)
    assert answer.citations[0].quote == assistant.indexed.sentences[1].text
    assert answer.short is None, "'new tax' in bold would say the chair proposes one"
    # a question naming what the sentence lacks is not contradicted by it, and a stricter user setting refuses
    assert assistant.ask("What tax did the governor propose?").refused
    between = settings.model_copy(update={"min_confidence": 0.6})  # above what the fitted decision gives here
    answer = Assistant.from_text(PREMISE_STORY, settings=between).ask("What tax did the chair propose?")
    assert not answer.refused and answer.confidence == CONTRADICTED_CONFIDENCE and answer.short is None
    strict = settings.model_copy(update={"min_confidence": 0.9})
    assert Assistant.from_text(PREMISE_STORY, settings=strict).ask("What tax did the chair propose?").refused


def test_contradicting_needs_every_word_a_negation_and_nothing_changed() -> None:
    from qa.extractive.engine import contradicting

    def row(**values: float) -> np.ndarray:
        out = np.zeros(len(FEATURES), dtype=np.float32)
        for name, value in {"coverage": 1.0, "negation_dropped": 1.0, **values}.items():
            out[FEATURES.index(name)] = value
        return out

    rows = np.stack(
        [row(), row(coverage=0.8), row(negation_dropped=0.0), row(names_missing=1.0), row(entity_swapped=1.0)]
    )
    likeliest_first = np.array([0.1, 0.9, 0.8, 0.7, 0.6])
    assert contradicting(rows, likeliest_first, "what").tolist() == [True, False, False, False, False]
    # "why" presupposes: its likeliest candidate denies the premise with the negation alone, in other words
    assert contradicting(rows, likeliest_first, "why").tolist() == [True, True, False, False, False]
    first_likeliest = np.array([0.9, 0.1, 0.8, 0.7, 0.6])
    assert contradicting(rows, first_likeliest, "why").tolist() == [True, False, False, False, False]
    unchanged = np.stack([row(coverage=0.5), row(coverage=0.5, names_missing=1.0)])
    assert contradicting(unchanged, np.array([0.2, 0.9]), "why").tolist() == [False, False], "a name it lacks"


def test_a_why_question_whose_premise_the_article_denies_gets_the_denial(settings) -> None:
    """'Why is the board raising the fare?' when the story says it is not going to raise it: a "why" question
    takes its premise for granted, so the sentence that denies it, in its own words, is the answer."""
    from qa.api import Assistant

    story = (
        "The transit board met on Tuesday to review the spring timetable. "
        "Officials said the board is not going to raise the bus fare this year, despite rising fuel costs. "
        "A new route to the airport opens in May."
    )
    assistant = Assistant.from_text(story, settings=settings)
    answer = assistant.ask("Why is the transit board raising the bus fare?")
    assert not answer.refused, answer.confidence
    assert answer.citations[0].quote == assistant.indexed.sentences[1].text
    assert answer.short is None
    assert assistant.ask("Why did the mayor cancel the airport route?").refused, "names what the story lacks"


def test_a_questions_stop_words_match_the_sentences_own() -> None:
    """'first' and 'name' are spaCy stop words: left out of the sentence's content stems, they are still matched
    against the question's own stop words (before, such a word counted as missing from every sentence)."""
    q = analyse("What was the name of the first governor?")
    stops = {t.stem for t in q.terms if t.stop}
    assert stops >= {stem("first"), stem("name")}, q.terms
    extractor = FeatureExtractor(
        _indexed("The name of the first governor was Ruth Alder. The second came later."), None
    )
    assert {t.stem for t in q.terms} <= extractor.matched[0]
    assert not stops & extractor.stems[0], "the content stems stay without them"
    assert stem("first") not in extractor.matched[1]


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param("Its deepest point is 118 metres.[4]", "How deep is the lake?", "118 metres", id="after-a-stop"),
        pytest.param("The dam was finished in 1957.[12][13]", "When was the dam finished?", "1957", id="two-marks"),
    ],
)
def test_a_short_answer_leaves_a_reference_mark_out(sentence: str, question: str, answer: str) -> None:
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    ("sentence", "typed"),
    [
        pytest.param("The county will buy four fire engines next year.", True, id="the-count-asked-for"),
        pytest.param("The county will build three firebreaks.", False, id="a-count-of-something-else"),
        pytest.param("The county will receive $600,000 for equipment.", False, id="a-sum-of-money-is-no-count"),
        pytest.param("The county has 12 in service.", True, id="a-number-that-counts-nothing-named"),
    ],
)
def test_how_many_wants_a_count_of_what_it_asks(sentence: str, typed: bool) -> None:
    """A number counting another noun, or a sum of money, does not answer "How many fire engines ...?"."""
    assert _typed(sentence, "How many fire engines will the county buy?") is typed


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        pytest.param("He was jailed for stealing nearly $4 million.", "How much money did he steal?", id="money"),
        pytest.param("The county bought 300 acres of forest.", "How much land did the county buy?", id="a-measure"),
    ],
)
def test_how_much_wants_an_amount_not_a_count(sentence: str, question: str) -> None:
    """ "How much money" is not a count of money: a sum, or a measure in its own unit, answers it."""
    assert _typed(sentence, question)


def test_a_reporting_verb_inside_the_quotation_names_no_speaker() -> None:
    """'"It does not mean there is life, but it tells us where to look."' carries on the quote before it: its
    'it tells' is quoted, so a question for what the speaker said gets both sentences."""
    note = annotate(['"It does not mean there is life, but it tells us where to look."'])[0]
    assert note.speaker is None
    outside = annotate(['"It tells us where to look," Watanabe told reporters.'])[0]
    assert outside.speaker is not None
    inches = "The 6'2\" guard will start on Friday, coach Dana Reyes said."
    assert inches[slice(*annotate([inches])[0].speaker)] == "coach Dana Reyes", "an inch mark opens no quotation"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("What did the president declare?", frozenset(), id="the-noun-is-the-subject"),
        pytest.param("What will the company buy?", frozenset(), id="after-will"),
        pytest.param("What president signed the law?", frozenset({"PERSON"}), id="what-noun"),
        pytest.param("What was the price?", frozenset({"MONEY"}), id="what-is-the-noun"),
    ],
)
def test_a_noun_after_what_did_is_no_kind_of_answer(question: str, expected: frozenset[str]) -> None:
    """In "What did the president declare?" the president declared: no person is asked for."""
    assert analyse(question).expected & frozenset({"PERSON", "ORG", "MONEY"}) == expected


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        pytest.param("How many people were killed?", "at least 14", id="the-count-of-the-noun"),
        pytest.param("How many people were injured?", "more than 200", id="a-bare-number-after-the-asked-word"),
    ],
)
def test_a_number_counting_an_elided_noun(question: str, answer: str) -> None:
    """'killing at least 14 people and injuring more than 200, officials said': the second number counts people
    too (not 'officials' across the comma), and answers "How many people were injured?"."""
    sentence = "The quake struck early Tuesday, killing at least 14 people and injuring more than 200, officials said."
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    ("question", "name"),
    [
        pytest.param("Who is the CEO?", "Laura Bennett", id="an-abbreviation-of-the-title"),
        pytest.param("Who is the goalkeeper?", "Pete Lund", id="a-title-before-the-name"),
        pytest.param("Who is the lawyer?", "Susan Park", id="renamed-after-a-possessive"),
        pytest.param("Who is the CFO?", None, id="no-one-has-that-title"),
    ],
)
def test_who_is_the_role_names_whoever_the_article_gives_it(question: str, name: str | None) -> None:
    from qa.extractive.short import asks_role_holder, role_holder

    text = (
        "Chief executive Laura Bennett said sales fell. City goalkeeper Pete Lund was injured. "
        "Whitaker's lawyer, Susan Park, asked for three years."
    )
    ix = _indexed(text)
    asked = analyse(question)
    assert asks_role_holder(asked)
    found = role_holder(asked, ix)
    assert (ix.sentences[found.position].text[found.start : found.end] if found else None) == name


def test_a_role_question_is_only_who_be_and_a_noun_phrase() -> None:
    from qa.extractive.short import asks_role_holder

    assert not asks_role_holder(analyse("Who was the first settler to arrive at the Cape?"))
    assert not asks_role_holder(analyse("Who is Juliet Schor?"))


def test_a_date_leaves_out_the_words_of_the_question_spacy_ran_into_it() -> None:
    sentence = (
        "The company reported revenue of $2.1 billion for the quarter ended Sept. 30, down 6% from a year earlier."
    )
    assert _short(sentence, "When did the quarter end?") == "Sept. 30"


@pytest.mark.parametrize(
    ("sentence", "question", "answer"),
    [
        pytest.param(
            "The Senate passed a $45 billion bill to replace lead water pipes.",
            "How many pipes will be replaced?",
            None,
            id="a-sum-of-money-counts-no-pipes",
        ),
        pytest.param(
            "The measure would fund the replacement of about 9 million lead service lines over 10 years.",
            "How long will the replacement take?",
            "10 years",
            id="a-count-of-things-is-no-length",
        ),
    ],
)
def test_counts_and_sums_answer_only_what_they_measure(sentence: str, question: str, answer: str | None) -> None:
    assert _short(sentence, question) == answer


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        pytest.param("Sen. Ana Ruiz, D-N.M., voted yes.", "N.M.", id="split-off-a-hyphen"),
        pytest.param("said Rep. Ann Cole (R-Tex.) on Monday.", "Tex", id="a-state-spacy-lacks"),
    ],
)
def test_a_dotted_state_is_a_place(sentence: str, place: str) -> None:
    """spaCy's small model leaves 'N.M.' and 'Tex.' untagged: "Which state does Ruiz represent?" needs a place."""
    note = annotate([sentence])[0]
    assert (place, "GPE") in [(sentence[e.start : e.end], e.label) for e in note.entities]
    assert not [e for e in annotate(["The vote was held on Aug. 3."])[0].entities if e.label == "GPE"], "no month"
    assert _short(sentence, "Which state does the lawmaker represent?") == place
