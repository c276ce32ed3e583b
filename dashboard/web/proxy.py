"""Serving under a URL prefix behind a reverse proxy (setting url_prefix, e.g. /intro/).

The prefix is moved from PATH_INFO to SCRIPT_NAME before Flask routes the request, so every route
(Dash's, /data.csv, the downloads) answers under it without knowing it, and the page asks for its
files under it (Dash's requests_pathname_prefix). A proxy that strips the prefix itself also works:
a path without the prefix is passed on unchanged.
"""
from __future__ import annotations


class PrefixMiddleware:
    def __init__(self, wsgi_app, prefix: str):
        self.wsgi_app = wsgi_app
        self.prefix = prefix.rstrip("/")

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix):] or "/"
        return self.wsgi_app(environ, start_response)
