"""A standardised logistic-regression model stored as JSON: the learned answer-sentence
selector and the learned abstention both use one.

JSON rather than a pickle: the file is small, readable in a diff, loads without running
code, and records where it came from (the training command, the data hashes, the figures
measured when it was chosen). Training is in ``evals/training.py`` (``assistant train``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MODELS_DIR = Path(__file__).resolve().parent / "models"


class ModelFileError(RuntimeError):
    """A model file is missing, unreadable or was trained on other features."""


@dataclass(frozen=True)
class LinearModel:
    """``probability(X) = sigmoid(((X - mean) / scale) @ coef + intercept)``.

    ``features`` names the columns of X, in order; ``provenance`` records how the model was
    trained (command, data hashes, measurements) and is not used for scoring.
    """

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    provenance: dict[str, Any] = field(default_factory=dict)

    def logits(self, rows: np.ndarray) -> np.ndarray:
        """rows: shape (n, len(features)) -> shape (n,) log-odds."""
        if rows.ndim != 2 or rows.shape[1] != len(self.features):
            raise ValueError(f"väntade {len(self.features)} särdrag per rad, fick form {rows.shape}")
        return ((rows - self.mean) / self.scale) @ self.coef + self.intercept

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """rows: shape (n, len(features)) -> shape (n,) probabilities in [0, 1]."""
        return 1.0 / (1.0 + np.exp(-self.logits(rows)))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 8) for v in self.mean],
            "scale": [round(float(v), 8) for v in self.scale],
            "coef": [round(float(v), 8) for v in self.coef],
            "intercept": round(float(self.intercept), 8),
            "provenance": self.provenance,
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path, expected_features: tuple[str, ...]) -> LinearModel:
        """Read a model file; raises ModelFileError when it is missing, broken, or names
        other features than ``expected_features`` (the code changed after training)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(
                tuple(data["features"]),
                np.asarray(data["mean"], dtype=np.float64),
                np.asarray(data["scale"], dtype=np.float64),
                np.asarray(data["coef"], dtype=np.float64),
                float(data["intercept"]),
                dict(data.get("provenance", {})),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelFileError(
                f"Modellfilen {path} kan inte läsas: {error}. Kör 'assistant train'."
            ) from None
        if model.features != expected_features:
            raise ModelFileError(
                f"Modellfilen {path} tränades på andra särdrag än koden beräknar. Kör 'assistant train'."
            )
        return model
