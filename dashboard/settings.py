"""Settings: one declarative table with defaults and help; README.md documents each (a test checks).

A value comes from create_app(settings={...}), else the environment (INTRODASH_<NAME>), else the
default. Every value is checked when the app starts, so a typo fails early with the setting's name
instead of surfacing as odd behaviour under load.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping

ENV_PREFIX = "INTRODASH_"
MB = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    default: Any
    kind: type
    help: str


SETTINGS: dict[str, Setting] = {
    "url_prefix": Setting("/", str,
                          "Path the app is served under behind a reverse proxy, e.g. /intro/. "
                          "Requests with or without the prefix are both answered."),
    "frame_ancestors": Setting("'self'", str,
                               "CSP frame-ancestors: the sites allowed to embed the app in an iframe, "
                               "space-separated, e.g. 'self' https://www.kommune.no"),
    "reload_interval": Setting(2.0, float,
                               "Seconds between checks for changed data files; a changed file is validated "
                               "before it replaces the served data. 0 disables reloading."),
    # 3 MB: a user's own file rides base64-encoded in every view request (uploads.py), so the body limit
    # is 4/3 of the upload limit plus room for the rest of the request.
    "max_request_bytes": Setting(3 * MB, int,
                                 "Largest request body accepted (bytes); larger requests get 413. A user's own "
                                 "file travels base64-encoded in each view request, so this must be at least 4/3 "
                                 "of max_upload_bytes plus 64 KB."),
    "max_upload_bytes": Setting(2 * MB, int, "Largest data file a user may upload (bytes)."),
    "max_data_bytes": Setting(50 * MB, int,
                              "Largest data file read from disk (bytes); a larger one is refused before it is "
                              "read. Also used by `python -m dashboard check`."),
    "reload_quiet": Setting(5.0, float,
                            "Seconds a changed data file must stay unchanged (size and time) before it is "
                            "loaded: a file still being written is never served. Under `serve` the master "
                            "loads and validates it, then replaces every worker at once."),
    "healthz_details": Setting(0, int,
                               "1: /healthz also lists why a changed data file was refused (file, line, "
                               "problem). 0 (default): it says only that one was; the details are in the log."),
    "max_jsonstat_cells": Setting(200_000, int,
                                  "Largest JSON-stat table (the product of its `size`) an upload or an import "
                                  "may declare; a larger one is refused before anything is allocated."),
    "max_xlsx_bytes": Setting(8 * MB, int,
                              "Largest uncompressed size of an uploaded or imported .xlsx (all its parts, "
                              "bytes), read from the zip directory before anything is unpacked."),
    "max_xlsx_rows": Setting(10_000, int,
                             "Most rows a sheet of an uploaded or imported .xlsx may have (counted in the "
                             "sheet's XML before the workbook is opened)."),
    "max_xlsx_strings": Setting(20_000, int,
                                "Most shared strings an .xlsx may hold (counted before the workbook is opened)."),
    "parse_seconds": Setting(3.0, float,
                             "Time budget for reading a user's file (an upload) and protecting it beside the "
                             "published figures; a file that takes longer is refused, and remembered as "
                             "refused by its digest. 0: no budget."),
    "rate_callbacks": Setting(20.0, float,
                              "Callback requests (/_dash-update-component) per second one client address may "
                              "make, sustained; bursts of 3 seconds' worth pass. More get 429. 0: no limit. "
                              "Enforced by the front of `serve`."),
    "rate_upload_bytes": Setting(2 * MB, int,
                                 "Bytes of callback bodies (uploads, and views carrying a user's file) per second "
                                 "one client address may send, sustained; bursts of 3 seconds' worth pass. "
                                 "0: no limit. Enforced by the front of `serve`."),
    "header_timeout": Setting(10.0, float,
                              "Seconds a client has to send a request's line and headers to `serve` (the front "
                              "buffers them; slow clients never reach a worker). Then 408."),
    "body_timeout": Setting(30.0, float,
                            "Seconds a client has to send a request's body to `serve`. Then 408."),
    # Read by performance.py (the shared cache of computed views).
    "cache": Setting(None, str, "Cache of computed views: simple (per process), redis or none. Default: redis if "
                                "redis_url is set, else simple."),
    "redis_url": Setting(None, str, "A Redis shared by every worker and machine, e.g. redis://host:6379/0 "
                                    "(needs the redis package)."),
    "cache_timeout": Setting(3600, int, "Seconds a cached view lives (0: until evicted)."),
    "cache_threshold": Setting(256, int, "Entries a per-process cache keeps (about 100 KB each)."),
}


class SettingError(ValueError):
    """A setting is unknown or has a value of the wrong kind; the message names it."""


def env_name(name: str) -> str:
    return ENV_PREFIX + name.upper()


def _convert(name: str, raw: Any, kind: type, where: str) -> Any:
    try:
        if kind is str:
            value = str(raw)
        elif isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
            raise ValueError
        else:
            value = kind(raw)
    except (TypeError, ValueError):
        raise SettingError(f"{where}: {raw!r} is not a valid {kind.__name__} for setting '{name}'") from None
    if kind in (int, float) and not (0 <= value < float("inf")):
        raise SettingError(f"{where}: setting '{name}' must be 0 or more, not {raw!r}")
    return value


def _check(values: dict[str, Any]) -> None:
    prefix = values["url_prefix"]
    if not (prefix.startswith("/") and prefix.endswith("/")) or "//" in prefix or any(c in prefix for c in "?#\\ "):
        raise SettingError(f"setting 'url_prefix' must start and end with '/', e.g. /intro/, not {prefix!r}")
    if any(c in values["frame_ancestors"] for c in ";,\r\n"):
        raise SettingError("setting 'frame_ancestors' is a space-separated list of sources; ';' and ',' "
                           "would break the Content-Security-Policy header")
    if values["healthz_details"] not in (0, 1):
        raise SettingError(f"setting 'healthz_details' is 0 or 1, not {values['healthz_details']!r}")
    need = values["max_upload_bytes"] * 4 // 3 + 64 * 1024
    if values["max_request_bytes"] < need:
        raise SettingError(f"setting 'max_request_bytes' ({values['max_request_bytes']}) must be at least {need} "
                           f"so that an upload of max_upload_bytes ({values['max_upload_bytes']}) fits in a request")


def resolve(given: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting's value: given, else from the environment, else the default. Raise SettingError."""
    given = dict(given or {})
    environ = os.environ if environ is None else environ
    unknown = sorted(set(given) - set(SETTINGS))
    if unknown:
        raise SettingError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(SETTINGS)} "
                           "(a new one is added to SETTINGS in dashboard/settings.py and to README.md)")
    values = {}
    for name, s in SETTINGS.items():
        if name in given:
            values[name] = _convert(name, given[name], s.kind, "create_app(settings=...)")
        elif env_name(name) in environ:
            values[name] = _convert(name, environ[env_name(name)], s.kind, env_name(name))
        else:
            values[name] = s.default
    _check(values)
    return values


def get(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """One setting outside an app (the command line): environment, else default."""
    s = SETTINGS[name]
    environ = os.environ if environ is None else environ
    return _convert(name, environ[env_name(name)], s.kind, env_name(name)) if env_name(name) in environ else s.default

