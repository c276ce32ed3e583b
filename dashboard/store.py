"""The data the app serves, swapped in whole: a request sees the old dataset or the new one, never half.

A new file is validated before it replaces anything; a bad one leaves the last good data in place and
its problems are kept for the page to show.
"""
from __future__ import annotations

import threading
from pathlib import Path

from .dataset import DataError, Dataset, Problem, data_files, load_dataset


class DataStore:
    def __init__(self, dataset: Dataset, path: Path | None = None):
        self._dataset = dataset
        self._lock = threading.Lock()
        self.path = path
        self.last_problems: list[Problem] = []
        self._stamp = self._file_stamp()

    @property
    def dataset(self) -> Dataset:
        return self._dataset  # one attribute read: atomic under the GIL

    def swap(self, new: Dataset) -> None:
        with self._lock:
            self._dataset = new
            self.last_problems = []

    def _file_stamp(self) -> tuple:
        if self.path is None:
            return ()
        try:
            return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in data_files(Path(self.path)))
        except OSError:
            return ()

    def reload_if_changed(self) -> bool:
        """Reload when the files changed; keep serving the old data if the new is refused."""
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return False
        with self._lock:
            self._stamp = stamp
            try:
                new = load_dataset(self.path)
            except DataError as e:
                self.last_problems = e.problems
                return False
            self._dataset = new
            self.last_problems = []
            return True
