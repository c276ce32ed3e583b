"""A user's own aggregated file, for their session only.

The file stays in the user's browser (a session dcc.Store) and comes with each request, so any worker
can serve it and no other user can ever see it. It is validated like a shipped file and protected
like one (small numbers hidden); a bad file is refused with its problems and changes nothing.
"""
from __future__ import annotations

import base64
import hashlib
import threading
from collections import OrderedDict

from .dataset import DataError, Dataset, Problem, check_budget, parse_budget

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_parsed: "OrderedDict[str, Dataset]" = OrderedDict()   # content hash -> dataset; only the content finds it
# content hash -> the problems it was refused with: a refused file rides along with every later view
# request of that session, and parsing it again each time would cost each of them the whole budget.
_refused: "OrderedDict[str, list[Problem]]" = OrderedDict()
_lock = threading.Lock()
CACHE_SIZE = 16
REFUSED_SIZE = 256


def decode_upload(contents: str, filename: str) -> bytes:
    """dcc.Upload gives 'data:<type>;base64,<data>'."""
    if not isinstance(contents, str) or "," not in contents:
        raise DataError([Problem(str(filename)[:80], None, None, "the upload could not be read")])
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (ValueError, TypeError):
        raise DataError([Problem(str(filename)[:80], None, None, "the upload could not be read")]) from None


def user_dataset(contents: str, filename: str, base: Dataset, threshold=None,
                 max_bytes: int = MAX_UPLOAD_BYTES) -> Dataset:
    """The validated, protected dataset of an upload (cached by the content's hash), or DataError."""
    from ..importers import load_user_file
    from .suppression import Threshold, protect
    raw = decode_upload(contents, filename)
    if len(raw) > max_bytes:
        raise DataError([Problem(str(filename)[:80], None, None,
                                 f"the file is {len(raw) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB")])
    key = hashlib.sha256(raw).hexdigest() + "|" + str(filename)
    with _lock:
        if key in _parsed:
            _parsed.move_to_end(key)
            return _parsed[key]
        if key in _refused:
            _refused.move_to_end(key)
            raise DataError(list(_refused[key]))
    try:
        with parse_budget(budget_seconds(), str(filename)[:80]):
            loaded = load_user_file(raw, str(filename)[:120], base, max_bytes=max_bytes)
            check_budget()
        ds = protect(loaded, threshold or Threshold())
    except DataError as e:
        with _lock:
            _refused[key] = list(e.problems)
            while len(_refused) > REFUSED_SIZE:
                _refused.popitem(last=False)
        raise
    except RecursionError:  # (every JSON is depth-checked first; a last line of defence)
        raise DataError([Problem(str(filename)[:80], None, None, "the file nests too deeply to be read")]) from None
    with _lock:
        _parsed[key] = ds
        while len(_parsed) > CACHE_SIZE:
            _parsed.popitem(last=False)
    return ds


def budget_seconds() -> float:
    """The parse_seconds setting: the app's (security.install puts it in the Flask config), else the environment."""
    import flask
    if flask.has_app_context() and "PARSE_SECONDS" in flask.current_app.config:
        return float(flask.current_app.config["PARSE_SECONDS"])
    from ..settings import get
    return get("parse_seconds")
