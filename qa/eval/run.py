"""Run the grounding eval: answer every case, score it, write a report, and gate on thresholds."""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from qa.api import Assistant, default_embedder
from qa.eval import metrics as m
from qa.eval.report import squad_table, write_chart, write_report
from qa.eval.squad import ask_all, load_squad, sample, summarize_squad
from qa.llm.support import SupportChecker
from qa.settings import BUNDLED_ARTICLE, Settings

EVAL_DIR = Path(__file__).resolve().parent


def article_path(relative: str) -> Path:
    """A case's article ('data/NAME' is the bundled article's folder, 'eval/...' this package), so the eval
    runs the same from a source checkout and from an installed wheel."""
    head, _, rest = relative.partition("/")
    return BUNDLED_ARTICLE.parent / rest if head == "data" else EVAL_DIR / rest


def default_out() -> Path:
    """Reports go to ./qa/eval in a source checkout, else to the current directory (never site-packages)."""
    here = Path.cwd() / "qa" / "eval"
    return here if (here / "cases.jsonl").exists() else Path.cwd()


K = 5
SQUAD_SAMPLE = 40


def run_squad(settings: Settings, per_article: int | None) -> dict:
    """The SQuAD 2.0 articles (all questions, or a fixed sample per article) with per-article summaries."""
    articles = load_squad() if per_article is None else sample(load_squad(), per_article)
    start = time.perf_counter()
    rows = ask_all(articles, settings)
    summary = {"all": summarize_squad(rows)}
    for article in articles:
        summary[article.title] = summarize_squad([r for r in rows if r["article"] == article.title])
    return {"questions": len(rows), "seconds": round(time.perf_counter() - start, 1), "summary": summary, "rows": rows}


def load_jsonl(path: Path) -> list[dict]:
    """Rows of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_cases(cases: list[dict], settings: Settings) -> list[dict]:
    """Answer each case with an assistant for its article; one result row per case."""
    checker = SupportChecker(default_embedder())
    assistants: dict[str, Assistant] = {}
    rows = []
    for case in cases:
        path = case["article"]
        if path not in assistants:
            assistants[path] = Assistant.from_file(article_path(path), settings)
        assistant = assistants[path]
        start = time.perf_counter()
        answer = assistant.ask(case["user_input"], case.get("history") or [])
        elapsed = (time.perf_counter() - start) * 1000
        rows.append(score_case(case, answer, assistant.article.text, checker, elapsed))
    return rows


def score_case(case: dict, answer, article_text: str, checker: SupportChecker, elapsed_ms: float) -> dict:
    """Every metric of one case, as counts."""
    hits = [h.text for h in answer.hits]
    gold = case["reference_sentences"]
    recall, precision = m.citation_recall_precision(answer, checker.supports)
    answerable = case["answerable"]
    return {
        "id": case["id"],
        "article": case["article"],
        "type": case["type"],
        "question": case["user_input"],
        "answerable": answerable,
        "refused": answer.refused,
        "answer": answer.text,
        "query": answer.query,
        "correct": m.answer_correct(answer, case["facts"], answerable).hits,
        "validity": vars(m.citation_validity(answer, article_text)),
        "recall_at_k": vars(m.retrieval_recall(hits, gold, K)) if answerable else None,
        "rr": m.reciprocal_rank(hits, gold).hits if answerable else None,
        "citation_recall": vars(recall),
        "citation_precision": vars(precision),
        "ms": round(elapsed_ms, 2),
        "engine": answer.engine,
        "removed": list(answer.removed),
    }


def _sum(rows: Sequence[dict], key: str) -> m.Score:
    total = m.Score(0, 0)
    for row in rows:
        if row[key] is not None:
            total += m.Score(**row[key])
    return total


def summarize(rows: Sequence[dict]) -> dict[str, dict]:
    """Metric values with counts: overall (per article set) and correctness/refusal by type."""
    answerable = [r for r in rows if r["answerable"]]
    precision, recall = m.refusal_scores([r["refused"] for r in rows], [r["answerable"] for r in rows])
    mrr = m.Score(sum(r["rr"] for r in answerable), len(answerable))
    scores = {
        "citation_validity": _sum(rows, "validity"),
        "answer_correctness": m.Score(sum(r["correct"] for r in answerable), len(answerable)),
        "refusal_precision": precision,
        "refusal_recall": recall,
        f"retrieval_recall@{K}": _sum(answerable, "recall_at_k"),
        "mrr": mrr,
        "citation_recall": _sum(rows, "citation_recall"),
        "citation_precision": _sum(rows, "citation_precision"),
        "overall_correct": m.Score(sum(r["correct"] for r in rows), len(rows)),
    }
    return {k: {"value": round(v.value, 4), "hits": round(v.hits, 3), "total": v.total} for k, v in scores.items()}


def by_type(rows: Sequence[dict]) -> dict[str, dict]:
    """Correctness per case type (refusal types count a correct refusal as correct)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["type"]].append(row)
    return {
        t: {"cases": len(g), "correct": sum(r["correct"] for r in g), "refused": sum(r["refused"] for r in g)}
        for t, g in sorted(groups.items())
    }


def support_agreement(checker: SupportChecker, labels: list[dict]) -> dict:
    """Agreement of the support checker with hand labels."""
    agree = sum(checker.supports(row["statement"], row["evidence"]) == row["supported"] for row in labels)
    return {"value": round(agree / len(labels), 4) if labels else 1.0, "hits": agree, "total": len(labels)}


def verifier_counts(rows: Sequence[dict]) -> dict[str, int]:
    """How many model sentences the verifier removed, and how many answers fell back to extractive."""
    return {
        "removed_sentences": sum(len(r["removed"]) for r in rows),
        "answers_with_removals": sum(bool(r["removed"]) for r in rows),
        "fallbacks": sum("extractive" in r["engine"] and r["engine"] != "extractive" for r in rows),
    }


def gate(summary: dict[str, dict], thresholds: dict[str, float]) -> list[str]:
    """Metrics below their threshold, as readable lines."""
    return [
        f"{name}: {summary[name]['value']:.3f} < {floor:.3f}"
        for name, floor in thresholds.items()
        if summary.get(name, {"value": 0.0})["value"] < floor
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """`qa eval` / `python -m eval`: print the table, write the report, exit 1 below thresholds."""
    parser = argparse.ArgumentParser(prog="qa eval")
    parser.add_argument("--cases", default=str(EVAL_DIR / "cases.jsonl"))
    parser.add_argument("--out", default=None, help="directory for report.md, results.json, chart")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--engine", choices=["extractive", "llm"], help="answer engine (default: QA_ENGINE)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="all 3,204 SQuAD 2.0 questions (default: a fixed sample)")
    size.add_argument("--no-squad", "--quick", action="store_true", help="only the hand-written cases")
    parser.add_argument("--per-article", type=int, default=SQUAD_SAMPLE, help="SQuAD questions per article (quick)")
    args = parser.parse_args(argv)
    settings = Settings(**({"engine": args.engine} if args.engine else {}))
    cases = load_jsonl(Path(args.cases))
    start = time.perf_counter()
    rows = run_cases(cases, settings)
    elapsed = time.perf_counter() - start
    summaries = {"all": summarize(rows)}
    for article in sorted({r["article"] for r in rows}):
        summaries[Path(article).stem] = summarize([r for r in rows if r["article"] == article])
    squad = {} if args.no_squad else run_squad(settings, None if args.full else args.per_article)
    summaries.update({f"squad:{k}": v for k, v in squad.get("summary", {}).items()})
    types = by_type(rows)
    agreement = support_agreement(SupportChecker(default_embedder()), load_jsonl(EVAL_DIR / "support_labels.jsonl"))
    thresholds = tomllib.loads((EVAL_DIR / "thresholds.toml").read_text()).get(settings.engine, {})
    failures = {name: gate(summaries[name], floors) for name, floors in thresholds.items() if name in summaries}
    out = Path(args.out) if args.out else default_out()
    results = {
        "engine": settings.engine,
        "cases": len(rows),
        "seconds": round(elapsed, 1),
        "summary": summaries,
        "verifier": verifier_counts(rows),
        "by_type": types,
        "support_agreement": agreement,
        "failures": failures,
        "rows": rows,
        "squad": squad,
    }
    suffix = "" if settings.engine == "extractive" else f"-{settings.engine}"
    (out / f"results{suffix}.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    table = write_report(out / f"report{suffix}.md", results)
    write_chart(out / f"chart{suffix}.png", types)
    print(table)
    if squad:
        print(squad_table(squad["summary"]))
    if not args.quiet:
        for row in rows:
            if not row["correct"]:
                print(f"  miss {row['id']} [{row['type']}] {row['question']!r} -> {row['answer'][:100]!r}")
    problems = [line for lines in failures.values() for line in lines]
    for line in problems:
        print(f"BELOW THRESHOLD {line}", file=sys.stderr)
    return 1 if problems else 0
