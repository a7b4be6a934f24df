"""Follow-up rewriting is a pure function of the question and the history."""

from __future__ import annotations

from qa.retrieval.followup import message_text, rewrite


def turn(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def test_standalone_question_is_unchanged() -> None:
    assert rewrite("Who met the mayor?", turn("Where is the park?", "In the city.")) == "Who met the mayor?"


def test_no_history_means_no_rewrite() -> None:
    assert rewrite("What did he say?", []) == "What did he say?"


def test_pronouns_take_names_from_the_last_turn() -> None:
    query = rewrite("What did he give him?", turn("Who did Anna Lee meet?", "Anna Lee met Carlos Ruiz [1]"))
    assert query.startswith("What did Anna Lee give Carlos Ruiz?")


def test_her_before_a_noun_is_possessive_and_alone_is_the_answers_person() -> None:
    history = turn("Where was Ruth Abernathy born?", "Ruth Abernathy was born in Dayton, Ohio. [1]")
    assert rewrite("Who was her husband?", history) == "Who was Ruth Abernathy's husband?"
    history = turn("Who did Anna Lee meet?", "Anna Lee met Maria Ruiz [1]")
    assert rewrite("What did Anna Lee tell her?", history) == "What did Anna Lee tell Maria Ruiz?"


def test_what_about_swaps_the_last_name() -> None:
    assert rewrite("What about Oslo?", turn("Did the king visit Paris?", "x")) == "Did the king visit Oslo?"


def test_demonstrative_keeps_the_previous_question_as_context() -> None:
    query = rewrite("Where was that?", turn("When did the summit end?", "On Friday [1]"))
    assert query == "Where was that? (When did the summit end?)"


def test_message_text_accepts_gradio_parts() -> None:
    assert message_text({"role": "user", "content": [{"type": "text", "text": "hi"}, "there"]}) == "hi there"


def test_he_is_left_alone_when_the_last_question_names_two_people() -> None:
    query = rewrite("What happens if he refuses?", turn("What did Anna Lee offer Carlos Ruiz?", "A deal [1]"))
    assert query == "What happens if he refuses? (What did Anna Lee offer Carlos Ruiz?)"


def test_them_is_the_answers_list_of_names_kept_whole() -> None:
    reply = "Israel briefed the U.S., France and Germany on the plan. [1]"
    query = rewrite("What did they tell them?", turn("Who did Israel brief?", reply))
    assert query.startswith("What did Israel tell U.S., France and Germany?")


def test_he_is_a_person_not_a_place() -> None:
    query = rewrite("Where did he go next?", turn("When did Anna Lee visit Oslo?", "In May [1]"))
    assert query.startswith("Where did Anna Lee go next?")


def test_a_pronoun_takes_a_name_from_an_earlier_turn_when_the_last_names_none() -> None:
    history = turn("Who did the club sign?", "The club signed striker Mateo Ruiz from Porto. [1]")
    history += turn("How old is he?", "The article doesn't say.")
    assert rewrite("Where did he play before?", history) == "Where did Mateo Ruiz play before?"


def test_a_name_outside_the_quotation_comes_before_one_inside_it() -> None:
    reply = '"Mateo is the player we chased for two years," said head coach Linda Brandt. [1]'
    assert rewrite("What did she say?", turn("Who is the head coach?", reply)) == "What did Linda Brandt say?"


def test_a_question_with_a_pronoun_left_keeps_the_previous_question() -> None:
    query = rewrite("How many goals did he score there?", turn("Who did the club sign?", "Mateo Ruiz. [1]"))
    assert query == "How many goals did Mateo Ruiz score there? (Who did the club sign?)"


def test_the_same_pronoun_twice_is_the_one_asked_about_not_the_person_the_answer_names() -> None:
    history = [
        *turn("How old is Rivera?", "46 Rivera, 46, will be the city's first Latina mayor. [1]"),
        *turn("When will she be sworn in?", "Jan. 5 She will be sworn in on Jan. 5 and replaces Mayor Kate Gallego."),
    ]
    assert rewrite("Who did she defeat?", history) == "Who did Rivera defeat?"


def test_a_lone_name_asked_about_is_he_or_she_whatever_its_label_when_the_answer_names_no_person() -> None:
    history = turn("How old is Rivera?", "46 Rivera, 46, will be the city's first Latina mayor. [1]")
    assert rewrite("When will she be sworn in?", history) == "When will Rivera be sworn in?"
    history = turn(
        "Who did Harbor City sign?", "Harbor City FC have signed Argentine striker Mateo Ruiz from Porto. [1]"
    )
    assert rewrite("How old is he?", history) == "How old is Mateo Ruiz?"


def test_an_existential_there_stands_alone_and_a_place_there_points_back() -> None:
    history = turn("When did the roof collapse?", "In February 2022 [1]")
    assert rewrite("Will there be a dentist at the clinic?", history) == "Will there be a dentist at the clinic?"
    assert rewrite("Are there any delays on the new wing?", history) == "Are there any delays on the new wing?"
    assert rewrite("What happened there in the spring?", history).endswith("(When did the roof collapse?)")
    assert rewrite("Is there a plan for that?", history).endswith("(When did the roof collapse?)")


def test_a_bare_wh_word_asks_the_last_question_again_with_it() -> None:
    sent_off = turn("Was anyone sent off?", "Westfield goalkeeper Pavel Novak was sent off. [1]")
    assert rewrite("Why?", sent_off) == "Why was anyone sent off?"
    assert rewrite("And when?", turn("And who scored for Westfield?", "x")) == "When scored for Westfield?"
    assert rewrite("Where?", turn("Mensah scored the winner?", "x")) == "Where Mensah scored the winner?"
    met = turn("Who did Anna Lee meet?", "Anna Lee met Carlos Ruiz [1]") + turn("Where did he meet her?", "Oslo [1]")
    assert rewrite("When?", met) == "When did Anna Lee meet Carlos Ruiz?", "its pronouns resolved first"
    assert rewrite("Why?", turn("Why?", "x")) == "Why?"
    assert rewrite("Why?", []) == "Why?"


def test_the_earlier_question_added_as_context_has_its_pronouns_resolved() -> None:
    history = turn("Who scored the winner for the club?", "Kofi Mensah scored the winner. [1]")
    history += turn("How old is he?", "The article doesn't say.")
    assert rewrite("Who crossed the ball for it?", history) == "Who crossed the ball for it? (How old is Kofi Mensah?)"


def test_a_person_who_only_qualifies_what_a_who_question_asks_for_is_not_he_or_she_next() -> None:
    history = turn("Who was Whitaker's lawyer?", "Whitaker's lawyer, Susan Park, had asked for three years. [1]")
    assert rewrite("What did she ask for?", history) == "What did Susan Park ask for?"
    history = turn("Who did Whitaker hire?", "Whitaker hired a lawyer, Susan Park. [1]")
    assert rewrite("What did he pay her?", history) == "What did Whitaker pay Susan Park?", "the one asked about"


def test_and_a_noun_phrase_asks_the_last_question_about_it() -> None:
    said = turn("What did the prosecutor say?", "x")
    assert rewrite("And the lawyer?", said) == "What did the lawyer say?", "no name: its last noun phrase"
    assert rewrite("And Oslo?", turn("Did the king visit Paris?", "x")) == "Did the king visit Oslo?"
    assert rewrite("What about the lawyer?", said) == "What did the lawyer say?"
    assert rewrite("And did he appeal?", turn("Who is Whitaker?", "A banker [1]")) == "And did Whitaker appeal?"
    assert rewrite("And then?", said) == "And then? (What did the prosecutor say?)"


def test_a_bare_wh_word_after_a_preposition_and_after_a_bare_question() -> None:
    stole = turn("What did Whitaker steal?", "Nearly $4 million [1]")
    assert rewrite("From whom?", stole) == "From whom did Whitaker steal?"
    asked = turn("What did Susan Park ask for?", "Three years [1]") + turn("Why?", "x")
    assert rewrite("And the judge?", asked) == "Why did the judge ask for?", "the bare 'Why?' asked again first"


def test_a_chain_of_follow_ups_is_resolved_back_to_its_names() -> None:
    history = turn("Who was Whitaker's lawyer?", "Whitaker's lawyer, Susan Park, asked for three years. [1]")
    history += turn("What did she ask for?", "Three years [1]") + turn("Why?", "His record [1]")
    assert rewrite("And the judge?", history) == "Why did the judge ask for?"
