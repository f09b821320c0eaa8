"""A bfloat16 copy of float32 weights: same vectors, made once, never half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open

from kbcore.weights import WEIGHTS, stored_as
from tests.conftest import minilm_path


def test_float32_runs_from_the_shipped_weights(tmp_path: Path) -> None:
    model = Path(minilm_path())
    assert stored_as(model, "float32", tmp_path) == model
    assert not any(tmp_path.iterdir())


def test_the_bfloat16_copy_holds_the_cast_weights_and_is_made_once(tmp_path: Path) -> None:
    model = Path(minilm_path())
    copy = stored_as(model, "bfloat16", tmp_path)
    assert copy != model and copy.parent == tmp_path
    with (
        safe_open(str(model / WEIGHTS), framework="pt") as original,
        safe_open(str(copy / WEIGHTS), framework="pt") as cast,
    ):
        assert set(original.keys()) == set(cast.keys())
        for name in original.keys():  # noqa: SIM118
            expected = original.get_tensor(name)
            if expected.is_floating_point():
                expected = expected.to(torch.bfloat16)
            assert torch.equal(cast.get_tensor(name), expected), name
    assert (copy / "tokenizer.json").resolve() == (model / "tokenizer.json").resolve()
    written = (copy / WEIGHTS).stat().st_mtime_ns
    assert stored_as(model, "bfloat16", tmp_path) == copy
    assert (copy / WEIGHTS).stat().st_mtime_ns == written
    assert [p.name for p in tmp_path.iterdir()] == [copy.name], "no half-built folder is left"


def test_the_copy_gives_the_same_vectors_as_casting_at_load(tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    model = Path(minilm_path())
    bf16 = {"torch_dtype": torch.bfloat16}
    cast_at_load = SentenceTransformer(str(model), device="cpu", model_kwargs=bf16)
    from_copy = SentenceTransformer(
        str(stored_as(model, "bfloat16", tmp_path)), device="cpu", model_kwargs=bf16
    )
    texts = ["Vad är Tillväxtmotorn?", "Plattformen ska möta investerare."]
    assert np.array_equal(cast_at_load.encode(texts), from_copy.encode(texts))


def test_the_copy_is_readable_by_other_accounts(tmp_path: Path) -> None:
    copy = stored_as(Path(minilm_path()), "bfloat16", tmp_path)
    assert copy.stat().st_mode & 0o755 == 0o755


def test_a_replaced_model_file_leaves_one_copy_and_other_models_alone(tmp_path: Path) -> None:
    model = tmp_path / "modell"
    model.mkdir()
    for entry in Path(minilm_path()).iterdir():
        (model / entry.name).symlink_to(entry)
    cache = tmp_path / "cache"
    (cache / "modell-qat-0123456789ab").mkdir(parents=True)  # another model's copy
    first = stored_as(model, "bfloat16", cache)
    (model / WEIGHTS).unlink()
    shutil.copyfile(Path(minilm_path()) / WEIGHTS, model / WEIGHTS)  # a new file: a new key
    second = stored_as(model, "bfloat16", cache)
    assert second != first and not first.exists()
    assert sorted(p.name for p in cache.iterdir()) == sorted([second.name, "modell-qat-0123456789ab"])
    assert (second / WEIGHTS).stat().st_mode & 0o644 == 0o644


def test_a_cache_that_cannot_be_written_falls_back_to_casting_at_load(tmp_path: Path) -> None:
    from kbcore.embedder import Embedder

    cache = tmp_path / "skrivskyddad"
    cache.write_text("en fil, inte en mapp")  # mkdir below it fails with an OSError
    embedder = Embedder(minilm_path(), "bfloat16", 128, 8, weights_cache=cache / "bfloat16")
    assert embedder.embed_queries(["Vad är Tillväxtmotorn?"]).shape == (1, embedder.dimension)
