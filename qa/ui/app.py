"""Gradio chat over the `qa` API: a thin adapter with no retrieval or answering logic of its own."""

from __future__ import annotations

import functools
import html
import json
import os
from pathlib import Path

from qa.settings import Settings
from qa.ui.memory import tune_heap

tune_heap()  # before Gradio, its worker threads and the models start (see qa/ui/memory.py)
DATA_DIR = Settings().app_data
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("GRADIO_TEMP_DIR", str(DATA_DIR / "uploads"))

import gradio as gr  # noqa: E402

from qa.api import check_question  # noqa: E402
from qa.errors import QAError  # noqa: E402
from qa.suggest import suggest_questions  # noqa: E402
from qa.ui.gradio_state import compact_idle_sessions  # noqa: E402
from qa.ui.render import answer_markdown, article_html, escape, hits_html, overview_markdown  # noqa: E402
from qa.ui.sessions import Sessions  # noqa: E402

WARM_UP = "What is this article about?"
WELCOME = (
    "Ask a question about the article. Every answer quotes the article and cites it; click a [n] to see the sentence."
)
DRAFTING = "_Drafting with the model, then checking every sentence against the article…_"
THEME = gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
CSS = """
.qa-article { max-height: 70vh; overflow-y: auto; line-height: 1.5; }
#qa-chat *, .qa-article { overflow-wrap: anywhere; }  /* a long URL wraps: no sideways scroll at phone width */
.qa-sent.qa-cited { background: #fff3b0; color: #1a1a1a; border-radius: 2px; }
.qa-sent.qa-active { background: #ffd54f; color: #000000; outline: 2px solid #b45309; }
.qa-badge { color: #7a3e00; font-weight: 700; margin-right: 2px; }
.qa-sent.qa-instruction { text-decoration: line-through; opacity: 0.75; }  /* written to an AI: never quoted */
.qa-flag { font-size: 0.85em; font-style: italic; text-decoration: none; opacity: 0.9; }
a.qa-marker { display: inline-block; min-width: 24px; text-align: center; }
.qa-phone { display: none; }
.dark { color-scheme: dark; }  /* dark scroll bars in the chat and the article pane, not white strips */
#qa-chat .placeholder-content .placeholder { padding: 0 24px; text-align: center; }  /* not flush to the border */
@media (max-width: 700px) {  /* 44 px tap targets; inline padding leaves the line spacing alone */
  a.qa-marker, a.qa-copy { display: inline; padding: 12px 10px; margin: 0 -6px; }
  a.qa-jump.qa-phone { display: inline-block; min-height: 44px; line-height: 44px; padding: 0 12px; font-weight: 600; }
  /* the whole row, so the text scrolling under it is hidden, not shown beside it */
  a.qa-jump.qa-phone.qa-back {
    display: block; position: sticky; top: 0; z-index: 1; background: var(--block-background-fill, #fff);
  }
  .bubble.bot-row { max-width: 100% !important; }  /* Gradio keeps ~70 px free beside it: a third of a phone */
}
"""
CLICK_JS = """
() => {
  document.addEventListener('click', (event) => {
    const jump = event.target.closest('a.qa-jump');
    if (jump) {  // phone: between the chat and the article pane, which sit one under the other
      event.preventDefault();
      const to = document.getElementById(jump.dataset.target || '');
      if (to) to.scrollIntoView({behavior: 'instant', block: 'start'});
      return;
    }
    const copy = event.target.closest('a.qa-copy');
    if (copy) {
      event.preventDefault();
      navigator.clipboard && navigator.clipboard.writeText(copy.dataset.copy || '');
      copy.textContent = 'Copied';
      return;
    }
    const link = event.target.closest('a.qa-cite');
    if (!link) return;
    event.preventDefault();
    const target = document.getElementById((link.getAttribute('href') || '').replace(/^#/, ''));
    if (!target) return;
    document.querySelectorAll('.qa-sent.qa-active').forEach((el) => el.classList.remove('qa-active'));
    target.classList.add('qa-active');
    target.scrollIntoView({behavior: 'instant', block: 'center'});
  }, true);
  // a new answer centres its first cited sentence inside the article pane's own scroll box only: scrollIntoView
  // would scroll the page too, and at phone width, where the pane sits under the chat, hide the answer
  const centreInPane = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && box.scrollHeight > box.clientHeight) {
        const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
        box.scrollTop += (r.top - b.top) - (box.clientHeight - r.height) / 2;
        return;
      }
    }
  };
  // an upload's or a paste's outcome shows in the status line, which at phone width sits a screen below the
  // upload box: when it changes after one, it is brought into sight (the least scroll that shows it). The
  // accordion renders it only once opened, so the whole page is watched, and only for a while after an upload
  let uploaded = 0;
  let shown = '';
  const mark = () => { uploaded = Date.now(); };
  document.addEventListener('change', (event) => { if (event.target.matches('input[type=file]')) mark(); }, true);
  document.addEventListener('drop', mark, true);
  document.addEventListener('click', (event) => { if (event.target.closest('#qa-use')) mark(); }, true);
  new MutationObserver(() => {
    if (Date.now() - uploaded > 120000) return;
    const status = document.getElementById('qa-status');
    const text = status ? status.textContent.trim() : '';
    if (text && text !== shown) {
      shown = text;
      status.scrollIntoView({behavior: 'instant', block: 'nearest'});
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
  const pane = document.getElementById('qa-article-pane');
  if (pane) {
    new MutationObserver(() => {
      const first = pane.querySelector('.qa-sent.qa-cited');
      if (first) centreInPane(first);
    }).observe(pane, {childList: true, subtree: true});
  }
}
"""


READ_ARTICLE = '<a class="qa-jump qa-phone" href="#" data-target="qa-article-pane">Read the article ↓</a>'


def examples_for(article: Path) -> list[str]:
    """Example questions kept beside an article (NAME.questions.json), checked by a test to be answered."""
    sidecar = article.with_name(f"{article.stem}.questions.json")
    return [q for q in json.loads(sidecar.read_text("utf-8")) if isinstance(q, str)] if sidecar.exists() else []


def build_app(settings: Settings | None = None) -> gr.Blocks:
    """The chat app: chat beside the article, uploads, settings and a retrieval view."""
    sessions = Sessions(settings or Settings(), upload_root=os.environ["GRADIO_TEMP_DIR"])
    default = sessions.default_key()
    examples = examples_for(sessions.settings.article)

    @functools.lru_cache(maxsize=256)
    def suggestions(key: str) -> tuple[str, ...]:
        """Questions to offer for an article: the bundled one's own list, else made from it and checked."""
        if key == default and examples:
            return tuple(examples)
        return tuple(suggest_questions(sessions.get(key)))

    def suggested(key: str):
        """The suggestion list shown under the question box for an article."""
        found = suggestions(key)
        return gr.update(samples=[[q] for q in found], visible=bool(found))

    sessions.get(default).ask(examples[0] if examples else WARM_UP)  # warm models and caches before serving

    def respond(message: str, history: list[dict], key: str, top_k: int, plain: list[dict], engine: str = "extractive"):
        """Stream the answer into the chat; `plain` keeps the conversation as text for follow-ups.

        The question box is cleared once, when the question is taken, so text typed while an answer streams
        is kept. The llm engine's unchecked draft is never shown: a drafting note stands in until the
        verified answer arrives."""
        history, plain = list(history or []), list(plain or [])
        if not isinstance(message, str) or not message.strip():
            yield history, gr.update(), gr.update(), gr.update(), plain
            return
        history = [*history, {"role": "user", "content": escape(message)}]
        keep = gr.update()
        try:
            check_question(message, sessions.settings)
        except QAError as exc:  # a question that cannot be asked stays in the box, to be shortened or fixed
            yield [*history, {"role": "assistant", "content": f"⚠️ {escape(str(exc))}"}], keep, keep, keep, plain
            return
        try:
            assistant = sessions.get(key, top_k, engine)
            text = ""
            yield [*history, {"role": "assistant", "content": "…"}], gr.update(), gr.update(), "", plain
            for event in assistant.stream(message, plain):
                if isinstance(event, str):
                    text = DRAFTING if engine == "llm" else text + event
                    yield [*history, {"role": "assistant", "content": text}], gr.update(), gr.update(), keep, plain
                else:
                    cited = {c.start: c.marker for c in event.citations}
                    reply = {"role": "assistant", "content": answer_markdown(event, assistant.indexed)}
                    turn = [{"role": "user", "content": message}, {"role": "assistant", "content": event.text}]
                    pane = article_html(assistant.indexed, cited)
                    yield [*history, reply], pane, hits_html(event), keep, [*plain, *turn]
        except QAError as exc:
            error = {"role": "assistant", "content": f"⚠️ {escape(str(exc))}"}
            yield [*history, error], gr.update(), gr.update(), keep, plain

    def clear_all(key: str):
        """One clear resets the chat, the hidden history, the highlights and the retrieval view."""
        return [], [], article_html(sessions.get(key).indexed), hits_html(None)

    def switch_to(key: str, loaded: list[list[str]]):
        """Answer about another article: its pane, a status that says the chat was cleared, an overview."""
        assistant = sessions.get(key)
        title = assistant.article.title or "your article"
        loaded = [pair for pair in loaded if pair[1] != key] + [[title, key]]
        count = len(assistant.indexed.sentences)
        flagged = len(assistant.indexed.instructions)
        aside = f"; {flagged} written to an AI, struck through and never quoted" if flagged else ""
        status = (
            f"✅ Now answering about <strong>{html.escape(title)}</strong> ({count} sentences{aside}); "
            "the chat was cleared."
        )
        chat = [{"role": "assistant", "content": overview_markdown(assistant.indexed)}]
        choices = gr.update(choices=[(t, k) for t, k in loaded], value=key)
        return key, article_html(assistant.indexed), status, chat, [], choices, loaded, suggested(key)

    def unchanged(exc: QAError, loaded: list):
        """The outputs of a switch that failed: only the status changes, to say why."""
        keep = gr.update()
        return keep, keep, f"⚠️ {html.escape(str(exc))}", keep, keep, keep, loaded, keep

    def add_article(upload: str | None, pasted: str) -> str:
        """Index pasted text, or the upload when nothing is pasted; returns its key."""
        use_file = upload and not (pasted or "").strip()
        return sessions.add_upload(upload, progress=True) if use_file else sessions.add_text(pasted, progress=True)

    def use_article(upload: str | None, pasted: str, loaded: list, progress=gr.Progress(track_tqdm=True)):  # noqa: B008
        """Index pasted text, or the upload when nothing is pasted; the embedding progress bar (batches of
        sentences) is shown live."""
        try:
            return switch_to(add_article(upload, pasted), loaded)
        except QAError as exc:
            return unchanged(exc, loaded)

    def use_upload(upload: str | None, loaded: list, progress=gr.Progress(track_tqdm=True)):  # noqa: B008
        """Index a file as soon as it is chosen (pasted text waits for the button). A file that cannot be used
        is taken off the upload box, so the next one can be chosen at once (the article in use stays)."""
        try:
            return (*switch_to(add_article(upload, ""), loaded), gr.update())
        except QAError as exc:
            return (*unchanged(exc, loaded), gr.update(value=None))

    def choose_article(key: str, loaded: list):
        """Go back to an article this session loaded before (the bundled one is always there)."""
        try:
            return switch_to(key, loaded)
        except QAError as exc:
            return unchanged(exc, loaded)

    def api_ask(question: str, history: list[dict] | None = None) -> dict:
        """Answer a question about the bundled article; returns the Answer as JSON."""
        try:
            return sessions.get(default).ask(question, history or []).model_dump()
        except QAError as exc:
            raise gr.Error(str(exc)) from None

    with gr.Blocks(title="Article QA", delete_cache=(1800, 3600)) as demo:  # uploaded files live an hour
        key = gr.State(default)
        plain = gr.State([])
        bundled_title = sessions.get(default).article.title or "Bundled article"
        loaded = gr.State([[bundled_title, default]])
        gr.Markdown("## Article QA — answers quoted from the article, with citations")
        with gr.Row():
            with gr.Column(scale=3):
                gr.HTML(READ_ARTICLE, elem_id="qa-read-article", padding=False)
                # Gradio's own copy buttons copy the message's markup; "Copy answer" in each answer copies text.
                chat = gr.Chatbot(
                    # the bundled article opens with its overview, as an uploaded one does
                    [{"role": "assistant", "content": overview_markdown(sessions.get(default).indexed)}],
                    label="Chat",
                    show_label=False,  # its badge floats over the messages once they scroll
                    height=480,
                    elem_id="qa-chat",
                    placeholder=WELCOME,
                    sanitize_html=True,
                    latex_delimiters=[],  # '$$4.2 million' in an article or a question is money, not TeX
                    buttons=[],
                )
                box = gr.Textbox(placeholder="Ask about the article…", label="Your question", elem_id="qa-question")
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="qa-send")
                    stop = gr.Button("Stop", elem_id="qa-stop")
                    clear = gr.Button("Clear chat", elem_id="qa-clear")
                shown = suggestions(default)
                suggest = gr.Dataset(
                    components=[box],
                    samples=[[q] for q in shown],
                    label="Try asking",
                    elem_id="qa-suggest",
                    visible=bool(shown),
                )
            with gr.Column(scale=2):
                pane = gr.HTML(article_html(sessions.get(default).indexed), elem_id="qa-article-pane")
        with gr.Accordion("Your article", open=False):
            limit = f"max {sessions.settings.max_article_bytes / 1e6:g} MB"
            upload = gr.File(
                label=f"Upload .txt, .md or .html ({limit}); used as soon as it is chosen",
                file_types=[".txt", ".md", ".html", ".htm"],
            )
            pasted = gr.Textbox(label="…or paste article text", lines=6, elem_id="qa-paste")
            use = gr.Button("Use the pasted text", elem_id="qa-use")
            status = gr.HTML(elem_id="qa-status")
            articles = gr.Dropdown(
                [(bundled_title, default)], value=default, label="Articles in this session", elem_id="qa-articles"
            )
        with gr.Accordion("Settings and retrieval", open=False):
            engine = gr.Dropdown(
                ["extractive", "llm"], value=sessions.settings.engine, label="Engine (llm needs the [llm] extra)"
            )
            top_k = gr.Slider(1, 20, value=sessions.settings.top_k, step=1, label="top-k sentences retrieved")
            retrieval = gr.HTML(hits_html(None))
        inputs, outputs = [box, chat, key, top_k, plain, engine], [chat, pane, retrieval, box, plain]
        asked = box.submit(
            respond, inputs, outputs, api_name="chat", api_visibility="undocumented", trigger_mode="always_last"
        )
        clicked = send.click(respond, inputs, outputs, api_visibility="private", trigger_mode="always_last")
        stop.click(None, None, None, cancels=[asked, clicked], api_visibility="private")
        clear.click(clear_all, key, [chat, plain, pane, retrieval], api_visibility="private")
        chat.clear(clear_all, key, [chat, plain, pane, retrieval], api_visibility="private")
        suggest.click(lambda sample: sample[0], suggest, box, api_visibility="private", show_progress="hidden").then(
            respond, inputs, outputs, api_visibility="private"
        )
        switched = [key, pane, status, chat, plain, articles, loaded, suggest]
        use.click(
            use_article, [upload, pasted, loaded], switched, api_name="use_article", api_visibility="undocumented"
        )
        # a chosen file is used at once, as a reader expects of an upload; pasted text waits for the button
        upload.upload(use_upload, [upload, loaded], [*switched, upload], api_visibility="private")
        articles.input(choose_article, [articles, loaded], switched, api_visibility="private")
        gr.api(api_ask, api_name="ask")
        demo.load(None, js=CLICK_JS)
    sessions.start_janitor(also=lambda: compact_idle_sessions(demo, sessions.ttl))
    return demo.queue(default_concurrency_limit=8)


def launch(settings: Settings | None = None, **kwargs: object) -> gr.Blocks:
    """Start the server: 127.0.0.1:7860 unless QA_HOST / QA_PORT say otherwise; never a share link."""
    settings = settings or Settings()
    demo = build_app(settings)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        state_session_capacity=settings.max_sessions,
        max_file_size=settings.max_article_bytes,
        ssr_mode=False,
        theme=THEME,
        css=CSS,
        **kwargs,
    )
    return demo


def main() -> None:
    """`python app.py`, `qa serve`, `make run`: serve the chat until interrupted."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    try:
        launch()
    except QAError as exc:
        raise SystemExit(f"error: {exc}") from None


if __name__ == "__main__":
    main()
