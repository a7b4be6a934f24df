"""Photo captions and credit lines of news articles, and the questions about them, as named cases."""

from __future__ import annotations

import pytest

from qa.extractive.features import sentence_stems
from qa.extractive.photos import credit_span, find_photos, photo_answer, photo_lines
from qa.extractive.question import analyse
from tests.test_extractive import _indexed

STORY = (
    "Wildfire forces thousands to flee\n\n"
    "Firefighters battle the blaze near Paradise, California on Nov. 8, 2018. Photo: Jane Doe/Reuters\n\n"
    "The fire destroyed more than 200 homes, officials said on Friday. Crews expect to contain it next week.\n\n"
    "Residents gathered at a school in Chico. (AP Photo/John Locher)\n"
)


@pytest.mark.parametrize(
    ("sentence", "credit"),
    [
        pytest.param("Photo: Jane Doe/AP", "Jane Doe/AP", id="photo-colon"),
        pytest.param("Photograph: Reuters", "Reuters", id="photograph"),
        pytest.param("Photo by Sam Lee for The Times.", "Sam Lee for The Times", id="photo-by"),
        pytest.param("Image: Getty Images", "Getty Images", id="image"),
        pytest.param("Crews work on Tuesday. (AP Photo/John Locher)", "John Locher", id="ap-inline"),
        pytest.param("Photos of the flood spread online.", None, id="body-photos"),
        pytest.param("The photo was taken by a tourist.", None, id="body-taken-by"),
    ],
)
def test_credit_span(sentence: str, credit: str | None) -> None:
    found = credit_span(sentence)
    assert (sentence[found[0] : found[1]] if found else None) == credit


def _story():
    ix = _indexed(STORY)
    return ix, find_photos(ix), [sentence_stems(s.text, a) for s, a in zip(ix.sentences, ix.annotations, strict=True)]


def test_find_photos_pairs_each_credit_with_its_caption() -> None:
    ix, photos, _ = _story()
    texts = [s.text for s in ix.sentences]
    assert [[texts[p] for p in ph.caption] for ph in photos] == [
        ["Firefighters battle the blaze near Paradise, California on Nov. 8, 2018."],
        ["Residents gathered at a school in Chico.", "(AP Photo/John Locher)"],  # the splitter parts them
    ]
    credit = photos[0].credit
    assert texts[credit.position][credit.start : credit.end] == "Jane Doe/Reuters"


@pytest.mark.parametrize(
    ("question", "quoted", "short"),
    [
        pytest.param("Who took the photo?", "Photo: Jane Doe/Reuters", "Jane Doe/Reuters", id="who-took"),
        pytest.param("Which agency supplied the picture?", "Photo: Jane Doe/Reuters", "Jane Doe/Reuters", id="agency"),
        pytest.param("Who was the photographer?", "Photo: Jane Doe/Reuters", "Jane Doe/Reuters", id="photographer"),
        pytest.param("When was the photo taken?", "Firefighters battle", "Nov. 8, 2018", id="when-taken"),
        pytest.param("Where were the firefighters photographed?", "Firefighters battle", "Paradise", id="where"),
        pytest.param("Where were the residents pictured?", "Residents gathered", "Chico", id="second-photo"),
    ],
)
def test_photo_questions_are_answered_from_caption_or_credit(question: str, quoted: str, short: str) -> None:
    ix, photos, stems = _story()
    positions, span = photo_answer(analyse(question), ix, photos, stems)
    assert ix.sentences[positions[0]].text.startswith(quoted)
    assert span is not None and ix.sentences[span.position].text[span.start : span.end].startswith(short)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("How many homes did the fire destroy?", id="not-about-a-photo"),
        pytest.param("How many people are in the photo?", id="caption-has-no-number"),
    ],
)
def test_other_questions_are_left_to_the_decision(question: str) -> None:
    ix, photos, stems = _story()
    assert photo_answer(analyse(question), ix, photos, stems) is None


def test_an_article_without_a_credit_has_no_photo() -> None:
    ix = _indexed("The council met on Tuesday. The photo of the mayor went viral.")
    assert find_photos(ix) == []
    assert photo_answer(analyse("Who took the photo?"), ix, [], []) is None


def test_who_took_the_photo_end_to_end(settings) -> None:
    from qa.api import Assistant

    answer = Assistant.from_text(STORY, title="Wildfire", settings=settings).ask("Who took the photo?")
    assert not answer.refused and answer.citations[0].quote == "Photo: Jane Doe/Reuters"
    assert answer.short is not None and answer.short.text == "Jane Doe/Reuters"


def test_a_caption_is_short_and_a_lone_credit_under_body_text_has_none() -> None:
    body = "The council met on Tuesday. It voted 7-2. The mayor will sign next week."
    ix = _indexed(f"Headline here\n\n{body} Photo: Jane Doe/AP\n\n{body}\n\nPhoto: John Roe/Reuters\n")
    first, second = find_photos(ix)
    assert [ix.sentences[p].text for p in first.caption] == ["It voted 7-2.", "The mayor will sign next week."]
    assert second.caption == ()


def _lines(text: str) -> list[str]:
    ix = _indexed(text)
    stems = [sentence_stems(s.text, a) for s, a in zip(ix.sentences, ix.annotations, strict=True)]
    return [ix.sentences[p].text for p in sorted(photo_lines(ix, find_photos(ix), stems))]


def test_photo_lines_are_captions_credits_and_an_alt_text_that_repeats_the_caption() -> None:
    assert _lines(STORY) == [
        "Firefighters battle the blaze near Paradise, California on Nov. 8, 2018.",
        "Photo: Jane Doe/Reuters",
        "Residents gathered at a school in Chico.",
        "(AP Photo/John Locher)",
    ], "the headline above the first caption shares none of its words: not an alt text"
    alt = "Mayor Ana Ruiz speaks at the harbour in Porto in May 2019"
    story = (
        f"Harbour plan approved\n\n{alt}\n\n"
        "Mayor Ana Ruiz speaks at the harbour in Porto on May 3, 2019. Photo: Jane Doe/AP\n\n"
        "The council approved the harbour plan on Tuesday. It voted 7-2. The quay opens in May. Photo: John Roe/AP\n"
    )  # a credit under body text: the story's sentences, not a caption
    assert _lines(story) == [alt, "Mayor Ana Ruiz speaks at the harbour in Porto on May 3, 2019.", "Photo: Jane Doe/AP"]


def test_a_caption_answers_questions_about_its_photo_only(settings) -> None:
    """'Where did the mayor speak?' is not answered by a caption of an old photo; 'Where was the mayor
    photographed?' is."""
    from qa.api import Assistant

    story = (
        "Harbour plan approved\n\n"
        "Mayor Ana Ruiz speaks at the harbour in Porto on May 3, 2019. Photo: Jane Doe/AP\n\n"
        "The council approved the harbour plan on Tuesday by seven votes to two. "
        "Work on the new quay starts in the spring.\n"
    )
    assistant = Assistant.from_text(story, settings=settings)
    assert assistant.ask("Where did Mayor Ana Ruiz speak in 2019?").refused
    answer = assistant.ask("Where was Mayor Ana Ruiz photographed?")
    assert not answer.refused and answer.citations[0].quote.startswith("Mayor Ana Ruiz speaks")
