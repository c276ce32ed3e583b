"""The data the app serves, swapped in whole: a request sees the old dataset or the new one, never half.

A changed file is taken only once it has stayed unchanged (size, time, and then its content's digest)
for `quiet` seconds and validates completely; a bad one leaves the last good data in place, is logged in
full, and is counted on /healthz (its details there only with the healthz_details setting).

Who reloads: under `serve` (gunicorn) the master does (server.py): it loads the new version beside the
old one while the workers go on answering, then replaces every worker at once, so all of them serve the
same version and a worker started later (after a crash, a kill or SIGHUP) is forked from the master's
last good data. The workers themselves never reload (`follow_master`). In one process (tests, `get`,
`serve --dev`) the request hook reloads, at most once per `interval`.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import flask

from .dataset import DATA_DIR, DataError, Dataset, Problem, data_files, load_dataset
from .suppression import protect

log = logging.getLogger("dashboard")


@dataclass(frozen=True)
class Version:
    """What identifies the served data: the digest of the files' content, its rows and when it was loaded."""
    digest: str
    rows: int
    loaded_at: str

    def line(self) -> str:
        return f"data: sha256:{self.digest[:16]} rows {self.rows} loaded {self.loaded_at}"


def now_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class DataStore:
    def __init__(self, dataset: Dataset, path: Path | None = None, max_bytes: int | None = None,
                 quiet: float = 0.0):
        self._dataset = dataset
        self._lock = threading.Lock()
        self.path = path
        self.max_bytes = max_bytes
        self.quiet = quiet
        self.follow_master = False   # a gunicorn worker: the master reloads and replaces the workers
        self.interval = 0.0
        self.last_problems: list[Problem] = []
        self.refused_at: str | None = None
        self._stamp = self._file_stamp()
        self.version = Version(self._digest() or "", len(dataset.cells), now_text())
        self._pending: tuple | None = None   # a changed stamp not yet quiet for long enough
        self._pending_since = 0.0
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

    def swap(self, new: Dataset, version: Version | None = None) -> None:
        with self._lock:
            self._dataset = new
            self.version = version or Version(self.version.digest, len(new.cells), now_text())
            self.last_problems = []
            self.refused_at = None

    def _files(self, path: Path | None = None) -> list[Path]:
        path = Path(path or self.path)
        return data_files(path) + ([p for p in path.glob("*.csv") if p not in data_files(path)]
                                   if path.is_dir() else [])

    def _file_stamp(self) -> tuple:
        """What identifies the files' versions: the data files and the catalogues beside them."""
        if self.path is None:
            return ()
        try:
            return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size, p.stat().st_mode >> 12)
                                for p in self._files()))
        except OSError:
            return ("unreadable",)

    def _digest(self) -> str | None:
        """sha256 over the files' names and content (regular files only: a pipe is never opened here)."""
        h = hashlib.sha256()
        try:
            for p in sorted(self._files(self.path or DATA_DIR)):
                if not p.is_file():
                    h.update(f"{p.name}:not a file\n".encode())
                    continue
                h.update(p.name.encode() + b"\0")
                with open(p, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)
        except OSError:
            return None
        return h.hexdigest()

    def changed_and_quiet(self, now: float | None = None) -> bool:
        """True once the files differ from the served version and have not moved for `quiet` seconds."""
        now = time.monotonic() if now is None else now
        stamp = self._file_stamp()
        if stamp == self._stamp:
            self._pending = None
            return False
        if stamp != self._pending:
            self._pending, self._pending_since = stamp, now
            if self.quiet > 0:
                return False
        return now - self._pending_since >= self.quiet

    def load_candidate(self) -> tuple[Dataset | None, Version | None, list[Problem], tuple | None]:
        """Load and validate the files as they are now, beside the served data (nothing is swapped)."""
        stamp = self._file_stamp()
        digest = self._digest()
        try:
            new = protect(load_dataset(self.path, max_bytes=self.max_bytes))
        except DataError as e:
            return None, None, e.problems, stamp
        except Exception as e:  # never let a reload break the process that runs it
            log.exception("reloading %s failed", self.path)
            return None, None, [Problem(str(self.path), None, None, f"cannot be loaded ({type(e).__name__})")], stamp
        if self._file_stamp() != stamp or self._digest() != digest:
            return None, None, [], None  # changed while we read it: not a version anyone saved in full
        return new, Version(digest or "", len(new.cells), now_text()), [], stamp

    def take(self, new: Dataset | None, version: Version | None, problems: list[Problem], stamp: tuple | None) -> bool:
        """Record the outcome of load_candidate: swap in a good version, or keep the old and say why. `stamp`
        None: the files moved while they were read (an empty folder has the empty stamp, and is refused)."""
        if stamp is None:
            self._pending = None  # moved while read: wait for it to be quiet again
            return False
        self._stamp, self._pending = stamp, None
        if new is None:
            self.last_problems = problems
            self.refused_at = now_text()
            log.warning("data in %s refused; still serving the previous data (%s):\n  %s", self.path,
                        self.version.line(), "\n  ".join(str(p) for p in problems))
            return False
        if version is not None and version.digest == self.version.digest:
            self.last_problems, self.refused_at = [], None
            return False  # the same content again (touched, or put back)
        self.swap(new, version)
        log.info("data reloaded from %s: %s", self.path, self.version.line())
        return True

    def reload_if_changed(self, wait_quiet: bool = False) -> bool:
        """Reload when the files changed (and, with `wait_quiet`, stayed unchanged for `quiet` s); keep
        serving the old data if the new is refused. One thread reloads at a time; others keep serving."""
        if wait_quiet and not self.changed_and_quiet():
            return False
        if self._file_stamp() == self._stamp or not self._lock.acquire(blocking=False):
            return False
        try:
            if self._file_stamp() == self._stamp:  # another thread reloaded it meanwhile
                return False
            result = self.load_candidate()
        finally:
            self._lock.release()
        return self.take(*result)

    def maybe_reload(self, interval: float) -> None:
        """reload_if_changed at most once per `interval` seconds (stat calls are cheap, loading is not)."""
        now = time.monotonic()
        if interval <= 0 or now < self._next_check or self.follow_master:
            return
        self._next_check = now + interval
        self.reload_if_changed(wait_quiet=True)

    def health_lines(self, details: bool) -> list[str]:
        """/healthz: status and version; never file contents (a refused file's details only if asked)."""
        lines = ["ok", self.version.line()]
        if self.last_problems:
            lines.append(f"refused: a changed data file was refused at {self.refused_at}; serving the previous "
                         f"version ({len(self.last_problems)} problem(s), details in the log)")
            if details:
                lines += [f"refused: {p}" for p in self.last_problems]
        return lines


def install_reload(server, store: DataStore, interval: float) -> None:
    """Check the data files before a request, so a changed file is served without a restart."""
    store.interval = interval  # for the gunicorn master, which reloads for its workers (server.py)
    if interval <= 0 or store.path is None:
        return

    @server.before_request
    def _reload():
        store.maybe_reload(interval)
