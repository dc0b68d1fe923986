"""``oit serve``: the local web app for review, search and the coverage report.

The app is a thin layer over ``intake.review``, ``intake.search`` and
``intake.report``; it only adds what a browser needs (pages, previews,
uploads) and what a browser exposes (cross-site requests, paths in URLs).
"""
from __future__ import annotations

import ipaddress
import secrets
import sys

from flask import Flask
from werkzeug.serving import make_server

from intake.config import Home, Settings
from intake.web import formatting, security
from intake.web.views import pages

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Agency PDFs with scans run to tens of megabytes; more than this is a mistake.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
# Host names a request may carry when the app listens on this machine only: a web
# page elsewhere cannot reach the app by pointing its own name at 127.0.0.1
# (DNS rebinding).
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")



def create_app(home: Home, settings: Settings | None = None,
               max_upload_bytes: int = MAX_UPLOAD_BYTES,
               trusted_hosts: tuple[str, ...] | None = LOCAL_HOSTS) -> Flask:
    """The app for ``home``; ``trusted_hosts=None`` accepts any Host header."""
    app = Flask(__name__)
    app.config.update(
        OIT_HOME=home.ensure(),
        OIT_SETTINGS=settings or Settings.from_env(),
        # A fresh key per process: forms from a previous run simply ask for a reload.
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=max_upload_bytes,
        TRUSTED_HOSTS=list(trusted_hosts) if trusted_hosts else None,
    )
    app.json.ensure_ascii = False
    security.install(app)
    formatting.install(app)
    app.register_blueprint(pages)
    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(home: Home, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    local = is_loopback(host)
    app = create_app(home, trusted_hosts=LOCAL_HOSTS if local else None)
    if not local:
        print(f"oit serve: listening on {host}: anyone who can reach this address can "
              "read and relabel the archive.", file=sys.stderr)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as error:
        print(f"oit serve: cannot listen on {host}:{port}: {error.strerror or error}",
              file=sys.stderr)
        return 1
    print(f"oit: เปิด http://{host}:{server.server_port}/ ในเบราว์เซอร์ (Ctrl+C เพื่อหยุด)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


__all__ = ["create_app", "serve", "DEFAULT_HOST", "DEFAULT_PORT"]
