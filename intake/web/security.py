"""What protects the archive from other web pages the reviewer has open.

Every state-changing request must carry the session's anti-forgery token (a
form field or the ``X-CSRF-Token`` header), and the session cookie is
``SameSite=Strict``, so a cross-site form post fails twice over.
"""
from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_FIELD = "csrf_token"
TOKEN_HEADER = "X-CSRF-Token"

# Pages use only their own CSS, script and images: injected markup cannot load or run anything.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'; "
    "base-uri 'none'"
)


def csrf_token() -> str:
    if TOKEN_FIELD not in session:
        session[TOKEN_FIELD] = secrets.token_urlsafe(32)
    return session[TOKEN_FIELD]


def _check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    expected = session.get(TOKEN_FIELD)
    given = request.headers.get(TOKEN_HEADER) or request.form.get(TOKEN_FIELD) or ""
    if not expected or not hmac.compare_digest(expected, given):
        abort(403, description="คำขอนี้ไม่มีรหัสยืนยันที่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def install(app: Flask) -> None:
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
