"""`assistant bench` in a bounded setting (8 documents, 300 and 1,500 chunks, MiniLM for both
pipelines): every figure is measured and the report has both pipelines side by side."""

from __future__ import annotations

import pytest

from evals.bench import SOURCE, markdown, run_bench

pytestmark = pytest.mark.slow


def test_bench_measures_both_pipelines_in_one_run(settings) -> None:
    assert SOURCE.is_dir(), f"{SOURCE} saknas"
    result = run_bench(settings, docs=8, sizes=[300, 1500], queries=6)
    print("\n" + markdown(result))
    assert result["encode"]["passages_per_s"] > 0 and result["encode"]["tokens_per_s"] > 0
    ours, baseline = result["ingest"], result["baseline_ingest"]
    assert ours["docs"] == baseline["docs"] == 8 and ours["chunks"] > 0 and baseline["chunks"] > 0
    assert 0 < ours["noop_seconds"] < ours["seconds"]  # a re-run compares hashes, embeds nothing
    for row in result["scale"]:
        assert row["ours"]["chunks"] == row["baseline"]["chunks"] == row["size"]
        for figures in (row["ours"]["retrieval"], row["ours"]["answer"], row["baseline"]["retrieval"]):
            assert 0 < figures["p50_ms"] <= figures["p95_ms"]
        assert row["ours"]["peak_rss_mb"] > 0 and row["baseline"]["peak_rss_mb"] > 0
        assert row["ours"]["concurrent"]["per_s"] > 0 and row["ours"]["concurrent"]["service_ms"] > 0
    assert "kvot vår/baslinje" in markdown(result) and "uppnått / gräns" in markdown(result)
