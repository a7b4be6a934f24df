"""Word-by-word matching over token rows: storage in int8, and the features' meaning on built examples."""

from __future__ import annotations

import numpy as np
import pytest

from qa.extractive.token_match import NAMES, TokenMatcher, content_positions
from qa.index.tokens import TokenTable, normalized, pack, quantize, unpack

RNG = np.random.default_rng(7)
WORDS = {w: normalized(RNG.standard_normal(384))[0] for w in ("what", "did", "kremlin", "say", "said", "weather")}


def rows(*words: str) -> np.ndarray:
    return np.stack([WORDS[w] for w in words])


def test_int8_rows_keep_their_direction_and_survive_the_store() -> None:
    float_rows = normalized(RNG.standard_normal((30, 384)))
    stored = unpack(pack(quantize(float_rows)))
    assert stored.dtype == np.int8 and stored.shape == (30, 384)
    assert np.sum(normalized(stored) * float_rows, axis=1).min() > 0.995
    assert unpack("").shape == (0, 384)


def test_a_table_gives_each_sentence_its_own_rows() -> None:
    table = TokenTable([quantize(rows("kremlin", "said")), np.zeros((0, 384), np.int8), quantize(rows("weather"))])
    assert len(table) == 3 and [len(table.of(i)) for i in range(3)] == [2, 0, 1]
    assert np.allclose(table.of(2), rows("weather"), atol=0.01)
    assert len(table.of(3)) == 0, "a position past the end has no rows"


def matcher(*sentences: tuple[str, ...]) -> TokenMatcher:
    table = TokenTable([quantize(rows(*words)) if words else np.zeros((0, 384), np.int8) for words in sentences])
    texts = [" ".join(words) for words in sentences]
    return TokenMatcher(table, texts, lambda ts: [t.split() for t in ts])


STOPS = frozenset({"what", "did"})


def feature(out: np.ndarray, name: str) -> np.ndarray:
    return out[:, NAMES.index(name)]


def test_a_sentence_holding_every_question_word_matches_fully_and_a_missing_word_shows() -> None:
    m = matcher(("kremlin", "say"), ("weather",), ("kremlin",))
    question = ["what", "did", "kremlin", "say"]
    out = m.features(question, rows(*question), [0, 1, 2], STOPS)
    assert out.shape == (3, 2 * len(NAMES))
    assert feature(out, "token_mean")[0] < 1.0, "the question's own words (what, did) are not in the sentence"
    assert feature(out, "token_worst")[0] == pytest.approx(0.0, abs=0.01), "every weighted word found"
    assert feature(out, "token_worst")[2] > 0.9, "'say' is missing from sentence 2"
    assert feature(out, "window_token_worst")[1] == pytest.approx(0.0, abs=0.01), "its neighbours hold both"
    assert feature(out, "token_weighted")[0] > feature(out, "token_weighted")[2] > feature(out, "token_weighted")[1]
    values, gaps = out[:, : len(NAMES)], out[:, len(NAMES) :]
    assert np.allclose(gaps.max(axis=0), 0.0) and np.allclose(gaps[1] - gaps[0], values[1] - values[0])


def test_a_given_piece_counts_as_matched_only_where_its_candidate_is_flagged() -> None:
    m = matcher(("kremlin", "weather"), ("kremlin", "weather"))
    question = ["what", "did", "kremlin", "say"]
    plain = m.features(question, rows(*question), [0, 1], STOPS)
    given = m.features(question, rows(*question), [0, 1], STOPS, ([3], np.array([1.0, 0.0])))
    assert feature(plain, "token_worst")[0] > 0.9, "'say' is in neither sentence"
    assert feature(given, "token_worst")[0] == pytest.approx(0.0, abs=0.01), "flagged: 'say' counts as found"
    assert np.allclose(given[1, : len(NAMES)], plain[1, : len(NAMES)]), "an unflagged candidate is unchanged"


def test_stop_words_get_no_weight_and_rare_words_weigh_more() -> None:
    assert content_positions(["what", "did", "kremlin", "##s", "?"], frozenset({"what", "did"})) == [2]
    assert content_positions(["what", "did", "?"], frozenset({"what", "did"})) == [0, 1], "all words when none left"
    m = matcher(("kremlin",), ("kremlin", "say"), ("weather",), ("kremlin", "weather"))
    rarity = m.rarity(["kremlin", "say", "nowhere"])
    assert rarity[0] < rarity[1] < rarity[2]


def test_without_token_rows_the_features_are_zero_and_shaped() -> None:
    m = matcher((), ())
    out = m.features(["kremlin"], rows("kremlin"), [0, 1], STOPS)
    assert out.shape == (2, 2 * len(NAMES)) and not out.any()
    assert m.features(["kremlin"], rows("kremlin"), [], STOPS).shape == (0, 2 * len(NAMES))
