"""Render eval results: a markdown table and a PNG chart of correctness and refusal by type."""

from __future__ import annotations

from pathlib import Path


def summary_table(summaries: dict[str, dict]) -> str:
    """Markdown table: one row per metric, one column per article set."""
    columns = list(summaries)
    metrics = list(next(iter(summaries.values())))
    lines = ["| metric | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for metric in metrics:
        cells = []
        for col in columns:
            s = summaries[col][metric]
            hits = f"{s['hits']:g}" if isinstance(s["hits"], int | float) else s["hits"]
            cells.append(f"{s['value']:.3f} ({hits}/{s['total']})")
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def squad_table(summary: dict[str, dict]) -> str:
    """Markdown table of the SQuAD 2.0 figures: one row per article, one column per metric."""
    metrics = list(next(iter(summary.values())))
    lines = ["| SQuAD 2.0 article | " + " | ".join(metrics) + " |", "|---|" + "---|" * len(metrics)]
    for name, scores in summary.items():
        cells = [f"{scores[m]['value']:.3f} ({scores[m]['hits']:g}/{scores[m]['total']})" for m in metrics]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def type_table(types: dict[str, dict]) -> str:
    """Markdown table of correctness by case type."""
    lines = ["| type | cases | correct | refused |", "|---|---|---|---|"]
    lines += [f"| {t} | {v['cases']} | {v['correct']:g} | {v['refused']} |" for t, v in types.items()]
    return "\n".join(lines)


def write_report(path: Path, results: dict) -> str:
    """Write report.md and return the summary table."""
    table = summary_table({k: v for k, v in results["summary"].items() if not k.startswith("squad:")})
    agreement = results["support_agreement"]  # hand-labelled (statement, evidence) pairs
    counts = f"{agreement['hits']}/{agreement['total']}"
    misses = [r for r in results["rows"] if not r["correct"]]
    lines = [
        f"# Grounding eval ({results['engine']} engine)",
        "",
        f"{results['cases']} cases in {results['seconds']} s. Command: `qa eval`.",
        "",
        table,
        "",
        "## SQuAD 2.0 (third-party questions, whole articles)",
        "",
        squad_table(results["squad"]["summary"]) if results.get("squad") else "not run (--no-squad)",
        "",
        "## By type",
        "",
        type_table(results["by_type"]),
        "",
        f"Support checker agreement with hand labels: {agreement['value']:.3f} ({counts})",
        "",
        "Verifier: {removed_sentences} model sentences removed in {answers_with_removals} answers; "
        "{fallbacks} answers fell back to extractive.".format(**results["verifier"]),
        "",
        "## Cases answered wrongly",
        "",
    ]
    lines += [f"- `{r['id']}` ({r['type']}) {r['question']} -> {r['answer'][:160]}" for r in misses] or ["- none"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return table


def write_chart(path: Path, types: dict[str, dict]) -> bool:
    """Bar chart of correctness and refusal rate by type; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = list(types)
    correct = [types[t]["correct"] / types[t]["cases"] for t in names]
    refused = [types[t]["refused"] / types[t]["cases"] for t in names]
    fig, ax = plt.subplots(figsize=(10, 4))
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], correct, width=0.4, label="correct")
    ax.bar([x + 0.2 for x in xs], refused, width=0.4, label="refused")
    ax.set_xticks(list(xs), names, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title("Correctness and refusal rate by case type")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True
