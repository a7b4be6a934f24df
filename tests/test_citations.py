"""Citation parsing on a named corpus of messy model outputs."""

from __future__ import annotations

import pytest

from qa.llm.citations import parse_citations

CASES = [
    pytest.param("Bennett relayed ideas [1].", [("Bennett relayed ideas.", (1,))], id="marker-before-period"),
    pytest.param("Bennett relayed ideas. [2]", [("Bennett relayed ideas.", (2,))], id="marker-after-period"),
    pytest.param(
        "He met Putin [1][3]. He called Zelensky [2].",
        [("He met Putin.", (1, 3)), ("He called Zelensky.", (2,))],
        id="adjacent",
    ),
    pytest.param("He met Putin [1, 3].", [("He met Putin.", (1, 3))], id="comma-list"),
    pytest.param("He met Putin (2).", [("He met Putin.", (2,))], id="parentheses"),
    pytest.param("He met Putin [2-4].", [("He met Putin.", (2, 3, 4))], id="range"),
    pytest.param(
        "He met Putin [9]. It rained [2].", [("He met Putin.", ()), ("It rained.", (2,))], id="out-of-range-marker"
    ),
    pytest.param("He met Putin. It rained.", [("He met Putin.", ()), ("It rained.", ())], id="no-markers"),
    pytest.param("**Bennett** relayed *ideas* [1].", [("Bennett relayed *ideas*.", (1,))], id="markdown-bold"),
    pytest.param(
        "- Bennett relayed ideas [1].\n- Putin listened [2].",
        [("Bennett relayed ideas.", (1,)), ("Putin listened.", (2,))],
        id="markdown-bullets",
    ),
    pytest.param(
        "Bennett relayed ideas [1].\n\nSources:\n[1] In the meeting with Putin...",
        [("Bennett relayed ideas.", (1,))],
        id="trailing-sources-list",
    ),
    pytest.param("Bennett relayed ideas [Sentence 1].", [("Bennett relayed ideas.", (1,))], id="sentence-word"),
    pytest.param(
        "Bennett relayed ideas [1] and Putin listened [2].",
        [("Bennett relayed ideas and Putin listened.", (1, 2))],
        id="mid-sentence-markers",
    ),
    pytest.param("[1] Bennett relayed ideas.", [("Bennett relayed ideas.", ())], id="leading-marker"),
    pytest.param(
        "Bennett relayed ideas [2].\n<sentences>\n[1] In the meeting with Putin [3].",
        [("Bennett relayed ideas.", (2,))],
        id="echoed-prompt",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_messy_outputs_parse(raw: str, expected: list[tuple[str, tuple[int, ...]]]) -> None:
    parsed = parse_citations(raw, n_candidates=5)
    assert not parsed.refused
    assert [(s.text, s.cited) for s in parsed.statements] == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("The article doesn't say. [1]", id="refusal-with-citation"),
        pytest.param("I'm sorry, but the article does not mention that.", id="refusal-paraphrased"),
        pytest.param("", id="empty"),
        pytest.param("  \n ", id="whitespace"),
    ],
)
def test_refusals_are_recognised(raw: str) -> None:
    parsed = parse_citations(raw, n_candidates=5)
    assert parsed.refused and not parsed.statements


def test_out_of_range_markers_are_counted() -> None:
    assert parse_citations("A [7]. B [0][2].", 3).dropped_markers == 2
