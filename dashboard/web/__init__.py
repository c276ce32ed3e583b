"""Serving: the Dash page, its callbacks, the HTTP routes, security and the gunicorn server."""
