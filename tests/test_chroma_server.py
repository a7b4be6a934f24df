"""Scale-out: the same code against a real `chroma run` server, several articles in one store."""

from __future__ import annotations

import pytest

from qa.eval.servers import chroma_server
from qa.settings import BUNDLED_ARTICLE, Settings
from tests.conftest import SECOND_ARTICLE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def test_index_and_answer_through_a_chroma_server(server_url: str) -> None:
    from qa.api import Assistant

    settings = Settings(chroma_url=server_url)
    first = Assistant.from_file(BUNDLED_ARTICLE, settings)
    assert first.store.location == server_url
    assert first.store.count(first.indexed.collection) == len(first.indexed.sentences)
    again = Assistant.from_file(BUNDLED_ARTICLE, settings)
    assert again.indexed.embedded == 0, "re-indexing through the server embeds nothing"
    answer = first.ask("What did Bennett relay?")
    assert "relayed ideas" in answer.text


def test_answers_stay_scoped_to_the_chosen_article(server_url: str) -> None:
    from qa.api import Assistant

    settings = Settings(chroma_url=server_url)
    news = Assistant.from_file(BUNDLED_ARTICLE, settings)
    grants = Assistant.from_file(SECOND_ARTICLE, settings)
    assert news.indexed.collection != grants.indexed.collection
    for assistant, other in ((news, grants), (grants, news)):
        for question in ("Who reviewed the applications?", "What did Bennett relay?", "How much money was awarded?"):
            answer = assistant.ask(question)
            assert all(h.text in assistant.article.text for h in answer.hits)
            assert all(c.quote == assistant.article.text[c.start : c.end] for c in answer.citations)
            assert not any(h.text in other.article.text and h.text not in assistant.article.text for h in answer.hits)
    assert news.ask("Who reviewed the applications?").refused


def test_unreachable_server_is_a_clear_error() -> None:
    from qa.api import open_store
    from qa.errors import StoreError

    with pytest.raises(StoreError, match="QA_CHROMA_URL"):
        open_store(Settings(chroma_url="http://127.0.0.1:9"))
