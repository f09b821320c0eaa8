"""The embedding model's weights stored in the dtype it runs in, made once per machine.

EmbeddingGemma ships float32 weights (1.2 GB). Loaded as bfloat16, transformers reads every
float32 page and keeps the converted tensors beside them: measured here (/proc/self/status,
`evals/README.md`), the process peaks at 2.2 GB and stays at 1.4 GB. Loaded from a bfloat16
copy of the weights it peaks at 0.8 GB. The vectors are the same: the copy holds exactly the
values that the cast at load time makes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

WEIGHTS = "model.safetensors"


def stored_as(model_dir: Path, dtype: str, cache_dir: Path) -> Path:
    """The folder to load ``model_dir`` from when it runs in ``dtype`` ("bfloat16"/"float32").

    ``model_dir`` itself unless the dtype is bfloat16 and the folder holds a top-level
    ``model.safetensors``; then a copy under ``cache_dir`` with those weights cast to
    bfloat16 and every other file linked, made on the first call (~10 s for EmbeddingGemma)
    and reused after. The copy is renamed into place whole, so workers starting together
    never load a half-written one. Raises OSError when the cache cannot be written.
    """
    source = model_dir / WEIGHTS
    if dtype != "bfloat16" or not source.is_file():
        return model_dir
    stat = source.stat()
    key = hashlib.sha256(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    target = cache_dir / f"{model_dir.name}-{key}"
    if (target / WEIGHTS).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True, mode=0o755)
    building = Path(tempfile.mkdtemp(prefix=f".{model_dir.name}-", dir=cache_dir))
    try:
        building.chmod(0o755)  # mkdtemp's 0700 would hide the copy from a service account
        for entry in model_dir.iterdir():
            if entry.name != WEIGHTS:
                (building / entry.name).symlink_to(entry.resolve())
        _cast_to_bfloat16(source, building / WEIGHTS)
        (building / WEIGHTS).chmod(0o644)
        try:
            os.rename(building, target)
        except OSError:  # another worker got there first: its copy is the same
            if not (target / WEIGHTS).is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    copy_name = re.compile(re.escape(model_dir.name) + r"-[0-9a-f]{12}")
    for older in cache_dir.iterdir():  # this model's copies of weights since replaced
        if older != target and copy_name.fullmatch(older.name):
            shutil.rmtree(older, ignore_errors=True)
    return target


def _cast_to_bfloat16(source: Path, target: Path) -> None:
    import torch
    from safetensors import safe_open
    from safetensors.torch import save_file

    with safe_open(str(source), framework="pt") as weights:
        tensors = {
            name: _as_bfloat16(weights.get_tensor(name), torch)
            for name in weights.keys()  # noqa: SIM118
        }
        metadata = weights.metadata()
    save_file(tensors, str(target), metadata=metadata or {"format": "pt"})


def _as_bfloat16(tensor, torch):
    return tensor.to(torch.bfloat16).contiguous() if tensor.is_floating_point() else tensor
