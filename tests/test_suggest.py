"""Suggested questions: made from any article's own sentences, and only offered when the engine answers them."""

from __future__ import annotations

import pytest

from qa.suggest import candidates, suggest_questions

HARBOR = (
    "Harbor reopens after storm\n\n"
    "The port authority said the harbor would reopen to ferries within a week. "
    "Maria Lopez, the harbor master, oversaw the repairs. "
    "Tidal energy is a renewable source of power that the town plans to study.\n\n"
    "The storm struck on Monday and closed the harbor for nine days. "
    "Maria Lopez has worked at the port since 2009."
)


@pytest.fixture(scope="module")
def harbor(settings):
    from qa.api import Assistant

    return Assistant.from_text(HARBOR, settings=settings)


def test_candidates_cover_speakers_people_definitions_and_dates(harbor) -> None:
    questions = [q for q, _ in candidates(harbor.indexed)]
    assert "What did the port authority say?" in questions, questions
    assert "Who is Maria Lopez?" in questions
    assert "What is tidal energy?" in questions
    assert "What happened on Monday?" in questions
    assert len(questions) == len({q.lower() for q in questions}), "no question twice"


def test_candidate_kinds_are_interleaved(harbor) -> None:
    first = [" ".join(q.split()[:2]) for q, _ in candidates(harbor.indexed)[:3]]
    assert len(set(first)) == 3, "the first few questions are of different kinds"


def test_suggestions_are_answered_from_their_own_sentences(harbor) -> None:
    found = suggest_questions(harbor, count=3)
    assert len(found) == 3
    anchors = dict(candidates(harbor.indexed))
    for question in found:
        answer = harbor.ask(question)
        assert not answer.refused and any(anchors[question].lower() in c.quote.lower() for c in answer.citations)


def test_suggestions_on_third_party_articles_are_all_answered(settings) -> None:
    """On the opening paragraphs of SQuAD articles (written elsewhere), whatever is suggested is answered."""
    from qa.api import Assistant
    from qa.eval.squad import load_squad

    offered = 0
    for article in load_squad()[:4]:
        assistant = Assistant.from_text("\n\n".join(article.text.split("\n\n")[:4]), settings=settings)
        found = suggest_questions(assistant, count=3)
        offered += len(found)
        for question in found:
            assert not assistant.ask(question).refused, (article.title, question)
    assert offered >= 8, "most articles get suggestions"


def test_an_article_with_nothing_to_ask_gets_no_suggestions(settings) -> None:
    from qa.api import Assistant

    assistant = Assistant.from_text("ok ok ok.\n\nyes no maybe.", settings=settings)
    assert suggest_questions(assistant) == []


def _candidate_questions(text: str, settings) -> list[str]:
    """The candidate questions made for an article of `text`."""
    from qa.api import Assistant

    return [q for q, _ in candidates(Assistant.from_text(text, settings=settings).indexed)]


def test_no_suggestion_from_a_headline_verb_or_a_formula(settings) -> None:
    text = (
        "City budget adds $4.5 million for flood defences\n\n"
        "The council approved the budget on Tuesday. The formula x_1 + y_2 = z was used for the estimate, "
        'engineer Priya Nair said. "We cannot wait," Mayor Daniel Okafor said.'
    )
    questions = _candidate_questions(text, settings)
    assert "What did Mayor Daniel Okafor say?" in questions, questions
    assert not [q for q in questions if "budget say" in q or "_" in q or "+" in q], questions


def test_no_suggestion_names_a_speaker_by_a_pronoun(settings) -> None:
    text = (
        "Tunnel toll rises\n\nCommuter group TunnelWatch called the increase unfair. Its spokesperson, Dean Hara, "
        'said the group would complain. "We will fight this," Mayor Daniel Okafor said.'
    )
    questions = _candidate_questions(text, settings)
    assert "What did Mayor Daniel Okafor say?" in questions, questions
    assert not [q for q in questions if q.lower().startswith("what did its ")], questions


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("St. John's", True),
        ("AT&T", True),
        ("Jean-Luc Picard", True),
        ("Zoë Müller-Øyen", True),
        ("x_1 + y_2", False),
        ("1,500", False),
        ("على ميزانية قدرها", False),  # English NER on Arabic script: "on a budget of", tagged a person
    ],
)
def test_only_name_like_entities_become_suggestions(text: str, kept: bool) -> None:
    from qa.suggest import _name_like

    assert _name_like(text) is kept


def test_suggestions_are_about_different_people(settings) -> None:
    from qa.api import Assistant

    text = (
        "Flood plan approved\n\n"
        'The council approved the flood plan on Tuesday. "We cannot wait," Mayor Daniel Okafor said. '
        "Daniel Okafor has led the city since 2019. Okafor was born in Lagos.\n\n"
        "Council member Ruth Chen voted against the plan. Ruth Chen said taxes would rise."
    )
    found = suggest_questions(Assistant.from_text(text, settings=settings), count=3)
    assert len(found) >= 2, found
    assert sum("Okafor" in q for q in found) <= 1, found


def test_no_suggestion_from_a_thing_taken_for_a_person_a_pronoun_or_a_lone_name(settings) -> None:
    text = (
        "Planet found\n\n"
        "The team used the James Webb Space Telescope for the study. Not everyone is convinced. "
        "Marchetti is expected to publish more data. Dr. Elena Marchetti led the study, which took a year."
    )
    questions = _candidate_questions(text, settings)
    assert "Who is Elena Marchetti?" in questions, questions
    odd = ("Who is James Webb", "What is not", "What is marchetti", "What is Marchetti")
    assert not [q for q in questions if q.startswith(odd)], questions


def test_no_who_is_suggestion_for_a_one_word_name_met_once(settings) -> None:
    text = (
        "Rivera wins mayor's race\n\n"
        "City Councilwoman Ana Rivera won the mayor's race on Tuesday, defeating Tom Castellano.\n\n"
        "Turnout was about 31%, up from 24% in the previous mayoral runoff. Castellano conceded before midnight."
    )
    questions = _candidate_questions(text, settings)
    assert "Who is Tom Castellano?" in questions, questions
    assert "Who is Turnout?" not in questions, questions


def test_no_suggestion_from_the_byline(settings) -> None:
    from qa.api import Assistant

    text = "Harbor reopens\n\nBy Jordan Ellis | June 3, 2026\n\n" + HARBOR.split("\n\n", 1)[1]
    questions = [q for q, _ in candidates(Assistant.from_text(text, settings=settings).indexed)]
    assert "Who is Maria Lopez?" in questions and "What happened on Monday?" in questions, questions
    assert not any("Jordan Ellis" in q or "June 3" in q for q in questions), "the writer and publication day"


def test_the_overview_opens_with_the_story_not_its_byline(settings) -> None:
    from qa.api import Assistant
    from qa.ui.render import overview_markdown

    text = "Harbor reopens\n\nBy Jordan Ellis | June 3, 2026\n\n" + HARBOR.split("\n\n", 1)[1]
    overview = overview_markdown(Assistant.from_text(text, settings=settings).indexed)
    assert "Jordan Ellis" not in overview and "port authority" in overview, overview


def test_the_overview_skips_date_lines_headings_and_photo_captions(settings) -> None:
    """What a news page puts above the story (a section and date line, the image's alt text, its caption and
    credit, a subheading) is not its opening."""
    from qa.api import Assistant
    from qa.ui.render import opening

    text = (
        "Harbor reopens\n\nMar 8, 2022 - Local\n\n"
        "Crews repair the pier at the harbor in May 2022\n\n"
        "Crews repair the old pier at the harbor in May 2022. Photo: Jane Doe/City Times\n\n"
        "The city reopened the harbor on Monday after a year of repairs, the port authority said.\n\n"
        "What comes next\n\n"
        "Ferries will resume on June 1, officials said."
    )
    found = [s.text for s in opening(Assistant.from_text(text, settings=settings).indexed)]
    assert found == [
        "The city reopened the harbor on Monday after a year of repairs, the port authority said.",
        "Ferries will resume on June 1, officials said.",
    ]


def test_a_speaker_that_is_no_name_is_written_in_lower_case(settings) -> None:
    """'Critics said ...' opens its sentence: "What did critics say?"; a people's name keeps its capital."""
    text = (
        "Museum reopens\n\n"
        "Critics said the glass roof of the new wing looks like a greenhouse. "
        "Israeli officials said the visit went well. Two Israeli officials said the talks would go on."
    )
    questions = _candidate_questions(text + " Researchers at the Rowan Institute said the roof leaks.", settings)
    assert "What did critics say?" in questions, questions
    assert "What did researchers at the Rowan Institute say?" in questions, questions
    assert "What did Israeli officials say?" in questions and "What did two Israeli officials say?" in questions


def test_questions_read_as_written_mid_sentence(settings) -> None:
    """An organisation that opens its sentence loses the capital of 'The'; a month with a year is 'in'."""
    text = (
        "Port vote\n\n"
        "The Bayport Port Authority voted to dredge the channel on Tuesday. "
        "The channel silted up in February 2022, and work starts on May 18."
    )
    questions = _candidate_questions(text, settings)
    assert "What does the article say about the Bayport Port Authority?" in questions, questions
    assert "What happened in February 2022?" in questions and "What happened on May 18?" in questions


def test_a_suggestion_fits_the_sixty_characters_an_example_button_shows(settings) -> None:
    from qa.api import Assistant
    from qa.suggest import MAX_SHOWN

    text = (
        "Water rates rise\n\n"
        "The Lakeside Regional Water Authority raised rates by 4% on Monday. "
        "The Lakeside Regional Water Authority said the money pays for new pipes."
    )
    assistant = Assistant.from_text(text, settings=settings)
    questions = [q for q, _ in candidates(assistant.indexed)]
    assert "Tell me about the Lakeside Regional Water Authority" in questions, questions
    assert all(len(q) <= MAX_SHOWN for q in suggest_questions(assistant))


def test_a_defined_name_keeps_its_capital(settings) -> None:
    text = "Lake Veranu\n\nLake Veranu is a freshwater lake in the north. The lake is fed by the Tamsa River."
    questions = _candidate_questions(text, settings)
    assert "What is Lake Veranu?" in questions, questions
