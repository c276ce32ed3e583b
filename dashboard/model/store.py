"""The data the app serves, swapped in whole: a request sees the old dataset or the new one, never half.

A new file is validated before it replaces anything; a bad one leaves the last good data in place and
its problems are kept (store.last_problems, /healthz) and logged.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import flask

from .dataset import DataError, Dataset, Problem, data_files, load_dataset
from .suppression import protect

log = logging.getLogger("dashboard")


class DataStore:
    def __init__(self, dataset: Dataset, path: Path | None = None, max_bytes: int | None = None):
        self._dataset = dataset
        self._lock = threading.Lock()
        self.path = path
        self.max_bytes = max_bytes
        self.last_problems: list[Problem] = []
        self._stamp = self._file_stamp()
        self._next_check = 0.0
        self._g_key = f"introdash_dataset_{id(self)}"

    @property
    def dataset(self) -> Dataset:
        """The dataset, pinned for the whole request: code that reads it twice sees one version."""
        if flask.has_request_context():
            pinned = flask.g.get(self._g_key)
            if pinned is None:
                pinned = self._dataset  # one attribute read: atomic under the GIL
                setattr(flask.g, self._g_key, pinned)
            return pinned
        return self._dataset

    def swap(self, new: Dataset) -> None:
        with self._lock:
            self._dataset = new
            self.last_problems = []

    def _file_stamp(self) -> tuple:
        """What identifies the files' versions: the data files and the catalogues beside them."""
        if self.path is None:
            return ()
        path = Path(self.path)
        try:
            files = data_files(path) + ([p for p in path.glob("*.csv") if p not in data_files(path)]
                                        if path.is_dir() else [])
            return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
        except OSError:
            return ("unreadable",)

    def reload_if_changed(self) -> bool:
        """Reload when the files changed; keep serving the old data if the new is refused.

        One thread reloads at a time; others keep serving the current data instead of waiting.
        A file still being written (its stamp moves while we read it) is tried again next time.
        """
        stamp = self._file_stamp()
        if stamp == self._stamp or not self._lock.acquire(blocking=False):
            return False
        try:
            if self._file_stamp() == self._stamp:  # another thread reloaded it meanwhile
                return False
            try:
                new = protect(load_dataset(self.path, max_bytes=self.max_bytes))
            except DataError as e:
                problems = e.problems
            except Exception as e:  # never let a reload break the request that triggered it
                log.exception("reloading %s failed", self.path)
                problems = [Problem(str(self.path), None, None, f"cannot be loaded ({type(e).__name__})")]
            else:
                problems = []
            if self._file_stamp() != stamp:
                return False  # changed while we read it: not a version anyone saved in full
            self._stamp = stamp
            self.last_problems = problems
            if problems:
                log.warning("data in %s refused; still serving the previous data:\n  %s", self.path,
                            "\n  ".join(str(p) for p in problems))
                return False
            self._dataset = new
            log.info("data reloaded from %s: %d rows", self.path, len(new.cells))
            return True
        finally:
            self._lock.release()

    def maybe_reload(self, interval: float) -> None:
        """reload_if_changed at most once per `interval` seconds (stat calls are cheap, loading is not)."""
        now = time.monotonic()
        if interval <= 0 or now < self._next_check:
            return
        self._next_check = now + interval
        self.reload_if_changed()


def install_reload(server, store: DataStore, interval: float) -> None:
    """Check the data files before a request, so a changed file is served without a restart."""
    if interval <= 0 or store.path is None:
        return

    @server.before_request
    def _reload():
        store.maybe_reload(interval)
