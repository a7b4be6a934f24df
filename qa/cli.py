"""The `qa` command: ask, index, eval, calibrate, bench, serve.

Heavy imports happen only inside the chosen command."""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Grounded, cited answers about a news article.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question about an article")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--article", help="article file (.txt, .md, .html); default: the bundled article")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    idx = sub.add_parser("index", help="index article files into the Chroma store")
    idx.add_argument("files", nargs="+", help="article files (.txt, .md, .html)")
    idx.add_argument("--rebuild", action="store_true", help="set the current store directory aside and start anew")
    ev = sub.add_parser("eval", help="run the grounding eval and gate on eval/thresholds.toml")
    ev.add_argument("--quiet", action="store_true", help="print only the summary table")
    ev.add_argument("--engine", choices=["extractive", "llm"], help="answer engine to evaluate")
    size = ev.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="all 3,204 SQuAD 2.0 questions (default: a fixed sample)")
    size.add_argument("--no-squad", "--quick", action="store_true", help="only the hand-written cases")
    sub.add_parser("serve", help="serve the chat app (Gradio) on QA_HOST:QA_PORT")
    sub.add_parser("calibrate", help="refit the answer/refuse decision on SQuAD 2.0 (leave-one-article-out report)")
    bench = sub.add_parser("bench", help="run the speed benchmark")
    bench.add_argument("--quick", action="store_true", help="fewer repeats and a smaller corpus")
    bench.add_argument("--big", action="store_true", help="also index a 2 MB article (always in the full run)")
    return parser


def _ask(args: argparse.Namespace) -> int:
    from qa.index.nlp_process import ANNOTATOR

    ANNOTATOR.serve_questions()  # spaCy loads on the other core while qa, Chroma and the model load here
    import qa

    answer = qa.ask(args.question, article=args.article)
    if args.json:
        print(answer.model_dump_json(indent=2))
        return 0
    from qa.types import marker

    if answer.short:
        print(f"{answer.short.text} {marker(answer.short.marker)}")
    print(answer.text)
    for c in answer.citations:
        print(f"  {marker(c.marker)} chars {c.start}-{c.end}")
    return 0


def _index(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from qa.api import Assistant, default_embedder
    from qa.index.store import set_aside
    from qa.settings import Settings

    settings = Settings()
    if args.rebuild and not settings.chroma_url:
        moved = set_aside(settings.chroma_path)
        if moved:
            print(f"moved the old store to {moved}", file=sys.stderr)
    for path in tqdm(args.files, desc="indexing", unit="file", disable=len(args.files) < 2):
        assistant = Assistant.from_file(path, settings, progress=len(args.files) == 1)
        indexed = assistant.indexed
        print(
            json.dumps(
                {
                    "file": path,
                    "article_id": indexed.article.id,
                    "title": indexed.article.title,
                    "sentences": len(indexed.sentences),
                    "passages": len(indexed.passages),
                    "embedded": indexed.embedded,
                    "collection": indexed.collection,
                }
            )
        )
    if settings.onnx_queries:
        default_embedder().ensure_onnx()  # queries run on onnxruntime from now on
    return 0


def _eval(args: argparse.Namespace) -> int:
    from qa.eval.run import main as eval_main

    flags = [f"--{name.replace('_', '-')}" for name in ("quiet", "full", "no_squad") if getattr(args, name)]
    return eval_main(flags + (["--engine", args.engine] if args.engine else []))


def _serve(args: argparse.Namespace) -> int:
    from qa.ui.app import main as serve_main

    serve_main()
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from qa.eval.calibrate import main as calibrate_main

    return calibrate_main([])


def _bench(args: argparse.Namespace) -> int:
    from qa.eval.bench import main as bench_main

    return bench_main(["--quick"] * args.quick + ["--big"] * args.big)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; user errors print one line and exit 2."""
    args = _parser().parse_args(argv)
    from qa.index.errors import QAError

    commands = {
        "ask": _ask,
        "index": _index,
        "eval": _eval,
        "bench": _bench,
        "calibrate": _calibrate,
        "serve": _serve,
    }
    try:
        return commands[args.command](args)
    except QAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """The console script: `main`, then exit without the interpreter's last garbage collections.

    The heap is frozen first: at exit, Python collects over every object still alive (chromadb's import
    alone leaves enough for ~0.3 s), although the process is about to give all of it back. Cold `qa ask`,
    five alternations here: median 2.25 s against 2.60 s. Exit handlers and module cleanup still run.
    """
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `qa ask ... | head -1`: the reader left; nothing more to say
        code = 1
        _silence_stdout()
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise
        print(f"error: cannot write the output ({exc.strerror}).", file=sys.stderr)
        code = 1
        _silence_stdout()
    gc.freeze()
    sys.exit(code)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's own flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    run()
