"""Upload and re-index, as the app's administrators do it: copy the uploaded files into the
corpus's upload folder, then bring the index up to date with the whole corpus."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

from ingest.sync import FAILED, IngestBusy, IngestReport, run_ingest, sidecar_path
from kbcore.embedder import Embedder
from kbcore.settings import Settings


class Uploader:
    """One upload-and-reindex at a time per process (``sync.ingest_lock`` guards across
    processes)."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self._settings = settings
        self._embedder = embedder
        self._lock = threading.Lock()

    def save_and_reindex(self, files: list[str], access: str | None = None, title: str = "") -> IngestReport:
        """Copy ``files`` (paths) into ``settings.upload_dir`` and ingest ``settings.corpus_dir``.

        ``access`` (default: settings.default_access) and a non-empty ``title`` are kept beside
        each file (ingest/sync.py's sidecar); a file's own front matter may only restrict its
        access further. Without a title the document's first heading or PDF title names it.
        Raises IngestBusy when an ingest is already running, here or in another process.
        """
        upload_dir = Path(self._settings.upload_dir)
        upload_dir.mkdir(parents=True, exist_ok=True)
        chosen = {"access": str(access or self._settings.default_access)}
        if title.strip():
            chosen["title"] = title.strip()
        for file in files:
            target = upload_dir / Path(file).name
            shutil.copyfile(file, target)
            sidecar_path(target).write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
        if not self._lock.acquire(blocking=False):
            raise IngestBusy("En indexering pågår redan.")
        try:
            return run_ingest([str(self._settings.corpus_dir)], self._settings, self._embedder, progress=True)
        finally:
            self._lock.release()


def result_rows(report: IngestReport) -> list[list[str]]:
    """[path, status, message] per file, failures first, then by path."""
    rows = [[r.path, r.status, r.message or ""] for r in report.results]
    return sorted(rows, key=lambda row: (row[1] != FAILED, row[0]))
