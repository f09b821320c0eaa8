"""Keep the index in step with the files: add, replace, delete or skip each document.

Chroma is the record of what is indexed: every chunk carries its document's id and
content hash, so the plan is made by comparing the files with the store, and a crash
can leave nothing that the next run does not repair. A changed document's new chunks
are written before its old ones are deleted, so no reader ever sees a document half
old and half new, and a file that cannot be read keeps its previous version.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ingest.chunking import CHUNKER_VERSION, Chunker, DocumentIdentity
from ingest.readers import READER_VERSIONS, SUPPORTED_SUFFIXES, ReadError, read_file, too_large
from kbcore.access import ACCESS_LEVELS
from kbcore.embedder import Embedder
from kbcore.schema import content_hash
from kbcore.settings import Settings
from kbcore.store import IndexStore, open_index

log = logging.getLogger(__name__)


class IngestStatus(StrEnum):
    """What the ingest did with one file; the value is the Swedish word shown to users."""

    ADDED = "ny"
    CHANGED = "ändrad"
    UNCHANGED = "oförändrad"
    REMOVED = "borttagen"
    FAILED = "fel"
    DUPLICATE = "dubblett"  # the same bytes as another file, which is indexed instead


ADDED, CHANGED, UNCHANGED, REMOVED, FAILED, DUPLICATE = IngestStatus


class IngestBusy(RuntimeError):
    """Another ingest holds the index."""


@dataclass
class FileResult:
    path: str
    status: IngestStatus
    chunks: int = 0
    message: str = ""


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    model_reset: bool = False

    def count(self, status: IngestStatus | str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def nothing_readable(self) -> bool:
        """True when files were offered and not one of them could be read."""
        offered = [r for r in self.results if r.status != REMOVED]
        return bool(offered) and all(r.status == FAILED for r in offered)


SIDECAR_SUFFIX = ".meta.json"
_NAME_MAX = 255  # bytes in one file name on Linux file systems (ext4, xfs, tmpfs)


def sidecar_path(path: Path) -> Path:
    """Where an uploaded file's chosen metadata lies: ``<file>.meta.json`` beside it. A file
    whose name leaves no room for the suffix (regeringen.se names run to 250 bytes) gets
    its name shortened and a digest of the whole name, so the sidecar's name always fits.
    Names are measured in the file system's bytes (``os.fsencode``), so a name that is not
    UTF-8 (an old zip's Latin-1) is handled too; a cut never splits a character."""
    if len(os.fsencode(path.name + SIDECAR_SUFFIX)) <= _NAME_MAX:
        return path.with_name(path.name + SIDECAR_SUFFIX)
    tail = "-" + hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16] + SIDECAR_SUFFIX
    kept = path.name
    while len(os.fsencode(kept + tail)) > _NAME_MAX:  # whole characters off the end
        kept = kept[:-1]
    return path.with_name(kept + tail)


def apply_sidecar(front_matter: dict, sidecar: bytes) -> None:
    """Merge the metadata chosen at upload (JSON: "access", "title") into ``front_matter``:
    the chosen title wins over the file's own; of two access levels the more restricted
    wins, so a choice at upload can never widen what a file's own front matter restricts.

    Raises ReadError for a sidecar that is not a JSON object or names an unknown level."""
    if not sidecar:
        return
    try:
        chosen = json.loads(sidecar)
    except ValueError as error:
        raise ReadError(f"trasig metadatafil ({SIDECAR_SUFFIX}): {error}") from None
    if not isinstance(chosen, dict):
        raise ReadError(f"trasig metadatafil ({SIDECAR_SUFFIX}): inte ett JSON-objekt")
    if chosen.get("title"):
        front_matter["title"] = str(chosen["title"])
    levels = [str(v).strip().lower() for v in (front_matter.get("access"), chosen.get("access")) if v]
    unknown = [level for level in levels if level not in ACCESS_LEVELS]
    if unknown:
        raise ReadError(f"okänd åtkomstnivå '{unknown[0]}' (tillåtna: {', '.join(ACCESS_LEVELS)})")
    if levels:
        front_matter["access"] = max(levels, key=ACCESS_LEVELS.index)


def _is_ignored(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(part.startswith((".", "_")) for part in parts) or path.name.lower() == "readme.md"


def discover(root: Path) -> list[Path]:
    """The supported files under a folder (or the file itself), in a stable order."""
    if root.is_file():
        return [root]
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not _is_ignored(path, root)
    )


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest at a time per index folder; a second one refuses at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir / "ingest.lock"
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusy(
                f"En annan indexering pågår redan ({lock_path}); försök igen när den är klar."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Synchroniser:
    def __init__(self, settings: Settings, store: IndexStore, embedder: Embedder) -> None:
        self._settings = settings
        self._store = store
        self._embedder = embedder
        self._chunker = Chunker(settings.chunk_tokens, settings.chunk_overlap_tokens, embedder.count_tokens)
        # The chunker and its settings are part of a document's version: changing either re-chunks.
        self._pipeline_key = (
            f"{settings.chunk_tokens}/{settings.chunk_overlap_tokens}/chunker-{CHUNKER_VERSION}".encode()
        )
        self._first_seen: dict[str, str] = {}  # file content hash -> shown name indexed for it

    def _doc_hash(self, data: bytes, suffix: str) -> str:
        """The document's version: its bytes, the chunker's version and settings and, where a
        reader has changed since the first one, that reader's version."""
        reader = READER_VERSIONS.get(suffix.lower())
        key = self._pipeline_key + (f"/reader-{reader}".encode() if reader else b"")
        return hashlib.sha256(content_hash(data).encode() + b"|" + key).hexdigest()

    def sync_root(self, root: Path, shown_root: str, progress: bool) -> list[FileResult]:
        """Bring one folder (or file) and its part of the index into step. A file with the
        same bytes as another (here or in a folder synchronised before in this run) is
        reported as a duplicate of it and not indexed twice."""
        source_root = str(root.resolve())
        files = discover(root)
        indexed = self._store.document_versions(source_root)
        results: list[FileResult] = []
        seen: set[str] = set()
        originals = self._originals(root, shown_root, files)
        for path in _progress(files, progress, shown_root):
            shown = _shown(path, root, shown_root)
            doc_id = _nfc(
                (Path(root.name) / path.relative_to(root)).as_posix() if root.is_dir() else root.name
            )
            seen.add(doc_id)
            original = originals.get(path)
            if original is not None:
                self._store.delete([cid for ids in indexed.get(doc_id, {}).values() for cid in ids])
                message = f"samma innehåll som {original}; indexeras inte en gång till"
                results.append(FileResult(shown, DUPLICATE, message=message))
                continue
            results.append(self._sync_file(path, shown, doc_id, source_root, indexed.get(doc_id, {})))
        for doc_id, versions in indexed.items():
            if doc_id not in seen:
                self._store.delete([cid for ids in versions.values() for cid in ids])
                results.append(FileResult(doc_id, REMOVED))
        return results

    def _originals(self, root: Path, shown_root: str, files: list[Path]) -> dict[Path, str]:
        """Each file whose bytes another file has too -> the shown name of the one indexed:
        the first seen in this run, else the shortest name ('plan.md', not 'kopia av plan.md')."""
        by_hash: dict[str, list[Path]] = {}
        for path in files:
            try:
                if path.stat().st_size <= self._settings.max_file_mb * 1_000_000:
                    by_hash.setdefault(content_hash(path.read_bytes()), []).append(path)
            except OSError:
                continue  # reported when the file itself is synchronised
        originals: dict[Path, str] = {}
        for digest, paths in by_hash.items():
            ranked = sorted(paths, key=lambda path: (len(path.name), path.as_posix()))
            first = self._first_seen.setdefault(digest, _shown(ranked[0], root, shown_root))
            for path in paths:
                if _shown(path, root, shown_root) != first:
                    originals[path] = first
        return originals

    def _sync_file(
        self,
        path: Path,
        shown: str,
        doc_id: str,
        source_root: str,
        versions: dict[str, list[str]],
    ) -> FileResult:
        max_bytes = self._settings.max_file_mb * 1_000_000
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= max_bytes else b""  # never load a huge file
        except OSError as error:
            return FileResult(shown, FAILED, message=f"kunde inte läsas: {error.strerror}")
        if size > max_bytes:
            return FileResult(shown, FAILED, message=too_large(size, max_bytes))
        sidecar = sidecar_path(path)
        chosen = sidecar.read_bytes() if sidecar.is_file() else b""
        doc_hash = self._doc_hash(data + chosen, path.suffix)  # a changed choice re-indexes the file
        if set(versions) == {doc_hash}:
            return FileResult(shown, UNCHANGED, len(versions[doc_hash]))
        identity = DocumentIdentity(doc_id, doc_hash, source_root, shown)
        try:
            read = read_file(
                path,
                max_bytes=max_bytes,
                pdf_options=self._pdf_options(),
                data=data,
            )
            apply_sidecar(read.front_matter, chosen)
            chunks = self._chunker.chunk(read, identity, self._settings.default_access)
        except ReadError as error:
            return FileResult(shown, FAILED, message=str(error))
        except Exception as error:  # an unforeseen reader failure costs this file only
            log.debug("Oväntat fel vid läsning av %s", path, exc_info=True)  # trace with -v
            return FileResult(shown, FAILED, message=f"oväntat fel: {type(error).__name__}: {error}")
        if not chunks:
            return FileResult(shown, FAILED, message="ingen text att indexera")
        embeddings = self._embedder.embed_documents([chunk.search_text for chunk in chunks])
        self._store.upsert(chunks, embeddings)
        stale = [cid for version, ids in versions.items() if version != doc_hash for cid in ids]
        self._store.delete(stale)
        status = CHANGED if versions else ADDED
        return FileResult(shown, status, len(chunks), "; ".join(read.notices))

    def _pdf_options(self) -> dict:
        return {
            "cache_dir": self._settings.cache_dir,
            "ocr_enabled": self._settings.ocr_enabled,
            "ocr_language": self._settings.ocr_language,
            "max_pages": self._settings.max_pdf_pages,
        }


def _nfc(name: str) -> str:
    """A file name in composed form, as all text in the index ('å' one code point)."""
    return unicodedata.normalize("NFC", name)


def _shown(path: Path, root: Path, shown_root: str) -> str:
    """A file's name as the user named it when ingesting (below the folder given), in NFC."""
    return _nfc(str(Path(shown_root) / path.relative_to(root)) if root.is_dir() else shown_root)


def _progress(files: list[Path], enabled: bool, label: str):
    if not enabled:
        return files
    from tqdm import tqdm

    return tqdm(files, desc=f"Indexerar {label}", unit="fil")


def run_ingest(
    paths: list[str], settings: Settings, embedder: Embedder, *, progress: bool = False
) -> IngestReport:
    """Synchronise each path (folder or file) with the index; see the module docstring."""
    started = time.perf_counter()
    report = IngestReport()
    with ingest_lock(Path(settings.index_dir)):
        store = open_index(settings, embedder.identity, for_writing=True)
        report.model_reset = store.reset
        synchroniser = Synchroniser(settings, store, embedder)
        for shown_root in paths:
            root = Path(shown_root)
            if not root.exists():
                report.results.append(FileResult(shown_root, FAILED, message="finns inte"))
                continue
            report.results.extend(synchroniser.sync_root(root, shown_root, progress))
        if report.model_reset or any(r.status in (ADDED, CHANGED, REMOVED) for r in report.results):
            store.bump_version()  # every process serving this index reloads it (assistant/service.py)
    report.seconds = time.perf_counter() - started
    return report
