"""The quality gate: the checked-in floors (and ceilings) in ``evals/gate.toml`` against the
"alla" row of each set that was run. `make test` fails when one is missed."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

GATE_FILE = Path(__file__).resolve().parent / "gate.toml"


def load_gate(path: Path = GATE_FILE) -> dict[str, dict[str, dict[str, float]]]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def violations(report: dict[str, Any], gate: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    """One Swedish line per missed threshold; sets the gate names but the run skipped are
    not checked."""
    missed = []
    for set_name, bounds in gate.items():
        if set_name not in report["sets"]:
            continue
        row = report["sets"][set_name]["slices"]["alla"]
        for metric, floor in bounds.get("min", {}).items():
            value = row.get(metric)
            if value is None or value < floor:
                missed.append(f"{set_name}: {metric} = {value} under gränsen {floor}")
        for metric, ceiling in bounds.get("max", {}).items():
            value = row.get(metric)
            if value is None or value > ceiling:
                missed.append(f"{set_name}: {metric} = {value} över gränsen {ceiling}")
    return missed
