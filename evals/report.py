"""The evaluation report: a table on the terminal, and latest.md / latest.json / latest.png
in ``evals/reports/``. The previous latest.json is kept as previous.json, and the chart
draws both, so a regression shows up next to the figures it lost against."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from evals.runner import SetRun
from evals.summary import DEFINITIONS, slices

REPORTS = Path(__file__).resolve().parent / "reports"

COLUMNS = [
    ("n", "n"),
    ("hit@1", "hit@1"),
    ("hit@5", "hit@5"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
    ("citation_precision", "cit.prec"),
    ("citation_recall", "cit.rec"),
    ("key_fact_recall", "fakta"),
    ("answer_span_cited", "svarsspann"),
    ("repeated_statement", "upprepat"),
    ("correct_abstention", "rätt avstått"),
    ("false_abstention", "fel avstått"),
    ("generated_share", "genererat"),
    ("removed_per_answer", "borttaget/svar"),
    ("latency_median_ms", "median ms"),
    ("latency_p95_ms", "p95 ms"),
]
CHART_METRICS = ("hit@5", "citation_precision", "key_fact_recall", "correct_abstention")


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def result_json(runs: list[SetRun], settings_used: dict[str, Any]) -> dict[str, Any]:
    return {
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "settings": settings_used,
        "sets": {
            run.target.name: {
                "ingest": run.ingest,
                "startup_s": round(run.startup_s, 1),
                "slices": slices(run.scores),
                "questions": [
                    {
                        "id": score.question.id,
                        "question": score.question.question,
                        "history": list(score.question.history),
                        "answerable": score.question.answerable,
                        "declined": score.declined,
                        "gold_rank": score.gold_rank,
                        "key_fact_recall": score.key_fact_recall,
                        "citation_precision": score.citation_precision,
                        "latency_ms": round(score.latency_s * 1000),
                        "answer": answer["answer"],
                        "cited": [c["doc_id"] for c in answer["citations"]],
                        "writer": answer["writer"],
                    }
                    | {key: answer[key] for key in ("notice", "removed", "generation") if key in answer}
                    for score, answer in zip(run.scores, run.answers)
                ],
            }
            for run in runs
        },
    }


def markdown_table(set_slices: dict[str, dict[str, Any]]) -> str:
    used = [
        (key, label) for key, label in COLUMNS if any(row.get(key) is not None for row in set_slices.values())
    ]
    lines = [
        "| urval | " + " | ".join(label for _, label in used) + " |",
        "|---|" + "---:|" * len(used),
    ]
    for name, row in set_slices.items():
        lines.append(f"| {name} | " + " | ".join(_cell(row.get(key)) for key, _ in used) + " |")
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    parts = [f"# Utvärdering {report['created']}", ""]
    for name, data in report["sets"].items():
        parts += [
            f"## {name}",
            "",
            f"Index: {data['ingest']}; start {data['startup_s']} s.",
            "",
            markdown_table(data["slices"]),
            "",
        ]
    parts += ["## Mått", ""] + [f"- **{key}**: {text}" for key, text in DEFINITIONS.items()]
    return "\n".join(parts) + "\n"


def write_chart(report: dict[str, Any], previous: dict[str, Any] | None, path: Path) -> None:
    """One panel per set: the main figures per slice, the previous report's as pale bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(report["sets"])
    fig, axes = plt.subplots(len(names), 1, figsize=(12, 3.6 * len(names)), squeeze=False)
    width = 0.8 / len(CHART_METRICS)
    for axis, name in zip(axes[:, 0], names):
        rows = report["sets"][name]["slices"]
        before = (previous or {}).get("sets", {}).get(name, {}).get("slices", {})
        labels = list(rows)
        for i, metric in enumerate(CHART_METRICS):
            xs = [x + (i - len(CHART_METRICS) / 2 + 0.5) * width for x in range(len(labels))]
            now = [rows[label].get(metric) or 0.0 for label in labels]
            was = [before.get(label, {}).get(metric) or 0.0 for label in labels]
            bars = axis.bar(xs, now, width * 0.9, label=metric)
            if before:
                axis.bar(
                    xs,
                    was,
                    width * 0.45,
                    color=bars[0].get_facecolor(),
                    alpha=0.35,
                    label=f"{metric} (förra)",
                )
        axis.set_xticks(range(len(labels)), labels, rotation=20, ha="right", fontsize=8)
        axis.set_ylim(0, 1.05)
        axis.set_title(name)
        axis.grid(axis="y", alpha=0.3)
    axes[0, 0].legend(fontsize=7, ncol=4, loc="lower left")
    fig.suptitle(
        f"Utvärdering {report['created']}" + (f" (bleka staplar: {previous['created']})" if previous else "")
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_reports(report: dict[str, Any], folder: Path = REPORTS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    latest = folder / "latest.json"
    previous = None
    if latest.is_file():
        previous = json.loads(latest.read_text(encoding="utf-8"))
        latest.replace(folder / "previous.json")
    latest.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "latest.md").write_text(markdown(report), encoding="utf-8")
    write_chart(report, previous, folder / "latest.png")
    return [latest, folder / "latest.md", folder / "latest.png"]
