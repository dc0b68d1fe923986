"""The pages. Each view asks a library function and renders what it returns."""
from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path

from flask import (Blueprint, Response, abort, current_app, flash, g, jsonify, redirect,
                   render_template, request, send_file, url_for)

from classifiers.taxonomy import load_taxonomy
from intake import review
from intake.archive import Archive
from intake.config import Home
from intake.index import STATUSES
from intake.ingest import files_under
from intake.report import build_report, render
from intake.search import search
from intake.web.formatting import years
from intake.web.forms import decision_from
from intake.web.preview import NoPreview, first_page_png
from intake.web.uploads import UploadRefused, save_to_inbox

pages = Blueprint("pages", __name__)

SEARCH_LIMIT = 50
TEXT_PREVIEW_CHARS = 4000


def home() -> Home:
    return current_app.config["OIT_HOME"]


def archive() -> Archive:
    # SQLite connections belong to one thread; the server answers in many.
    if "archive" not in g:
        g.archive = Archive(home())
    return g.archive


@pages.teardown_app_request
def _close_archive(_error) -> None:
    opened = g.pop("archive", None)
    if opened is not None:
        opened.close()


@pages.app_context_processor
def _globals() -> dict:
    return {"taxonomy": load_taxonomy(), "waiting_count": lambda: len(review.waiting(archive()))}


def current_fiscal_year(today: date | None = None) -> int:
    """The Thai fiscal year (Buddhist Era) that ``today`` falls in: it starts on 1 October."""
    today = today or date.today()
    return today.year + 543 + (1 if today.month >= 10 else 0)


# Review


@pages.get("/")
def index():
    return redirect(url_for("pages.queue"))


@pages.get("/review")
@pages.get("/review/<int:document_id>")
def queue(document_id: int | None = None):
    waiting = review.waiting(archive())
    if document_id is None and waiting:
        document_id = waiting[0]["id"]
    current = next((row for row in waiting if row["id"] == document_id), None)
    if document_id is not None and current is None:
        flash(f"เอกสาร #{document_id} ไม่ได้รอการตรวจทานแล้ว", "info")
        return redirect(url_for("pages.queue"))
    after = _next_waiting(waiting, document_id)
    text = (archive().index.get(document_id) or {}).get("text") if current else None
    return render_template("review.html", waiting=waiting, current=current,
                           text=(text or "")[:TEXT_PREVIEW_CHARS],
                           next_id=after["id"] if after else None)


def _next_waiting(waiting: list[dict], document_id: int | None) -> dict | None:
    """The document after ``document_id`` in the queue, wrapping round to the first."""
    others = [row for row in waiting if row["id"] != document_id]
    later = [row for row in others if document_id is None or row["id"] > document_id]
    return (later or others or [None])[0]


@pages.post("/documents/<int:document_id>/decision")
def decide(document_id: int):
    waiting_before = review.waiting(archive())
    try:
        row = review.decide(archive(), document_id, **decision_from(request.form),
                            actor=_actor(), settings=current_app.config["OIT_SETTINGS"])
    except (LookupError, review.DecisionError) as error:
        flash(f"บันทึกไม่ได้: {error}", "error")
        return redirect(_back(document_id))
    flash(f"บันทึกแล้ว: #{document_id} → {row['item'] or 'ไม่ใช่ข้อใด'} "
          f"ปีงบประมาณ {years(row['fiscal_year'], row['fiscal_year_end'])}", "ok")
    if request.form.get("return") == "document":
        return redirect(url_for("pages.document", document_id=document_id))
    after = _next_waiting(waiting_before, document_id)
    return redirect(url_for("pages.queue", document_id=after["id"]) if after
                    else url_for("pages.queue"))


def _back(document_id: int) -> str:
    if request.form.get("return") == "document":
        return url_for("pages.document", document_id=document_id)
    return url_for("pages.queue", document_id=document_id)


def _actor() -> str:
    try:
        return f"{getpass.getuser()} (web)"
    except (KeyError, OSError):
        return "reviewer (web)"


# Search


@pages.get("/search")
def search_page():
    query = request.args.get("q", "").strip()
    item = request.args.get("item") or None
    fiscal_year = request.args.get("fiscal_year", type=int)
    status = request.args.get("status") or None
    if item is not None and item not in load_taxonomy().codes():
        item = None
    if status is not None and status not in STATUSES:
        status = None
    searched = bool(query or item or fiscal_year or status)
    hits = (search(archive().index, query, item=item, fiscal_year=fiscal_year, status=status,
                   limit=SEARCH_LIMIT) if searched else [])
    return render_template("search.html", hits=hits, query=query, item=item,
                           fiscal_year=fiscal_year, status=status, searched=searched,
                           statuses=STATUSES)


# Coverage report


@pages.get("/report")
def report_page():
    year = request.args.get("year", type=int) or current_fiscal_year()
    return render_template("report.html", year=year)


@pages.get("/report/<int:year>.html")
def report_html(year: int):
    page = render(build_report(archive().index, year), "html")
    response = Response(page, mimetype="text/html")
    # The report is a self-contained page with its own inline style, shown in a frame.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "frame-ancestors 'self'"
    )
    return response


# Documents


def _stored(document_id: int) -> tuple[dict, Path]:
    """The row and the archived file of a document; 404 unless the file is inside the archive."""
    row = archive().index.get(document_id)
    if row is None or not row["archived_as"]:
        abort(404)
    path = (home().root / row["archived_as"]).resolve()
    if not home().contains(path, home().archive) or not path.is_file():
        abort(404)
    return row, path


@pages.get("/documents/<int:document_id>")
def document(document_id: int):
    row = archive().index.get(document_id)
    if row is None:
        abort(404)
    events = archive().index.events_of(document_id)
    return render_template("document.html", row=row, events=events,
                           candidates=json.loads(row["candidates"] or "[]"),
                           text=(row["text"] or "")[:TEXT_PREVIEW_CHARS])


@pages.get("/documents/<int:document_id>/original")
def original(document_id: int):
    row, path = _stored(document_id)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=row["original_name"] or path.name)


@pages.get("/documents/<int:document_id>/page-1.png")
def first_page(document_id: int):
    row, path = _stored(document_id)
    try:
        png = first_page_png(path, row["sha256"])
    except NoPreview:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# Upload


@pages.get("/upload")
def upload_page():
    # What the watcher has not taken yet: shows the reviewer that it is not running.
    in_inbox = sorted(home().relative(path) for path in files_under([home().inbox]))
    return render_template("upload.html", in_inbox=in_inbox)


@pages.post("/upload")
def upload():
    saved, refused = [], []
    for upload_file in request.files.getlist("files"):
        try:
            saved.append(save_to_inbox(upload_file, home().inbox).name)
        except UploadRefused as error:
            refused.append(str(error))
    if request.accept_mimetypes.best == "application/json":
        return jsonify(saved=saved, refused=refused), (200 if saved or not refused else 400)
    for name in saved:
        flash(f"รับไฟล์แล้ว: {name} (อยู่ในกล่องรับเข้า inbox/)", "ok")
    for reason in refused:
        flash(reason, "error")
    if not saved and not refused:
        flash("ไม่ได้เลือกไฟล์", "error")
    return redirect(url_for("pages.upload_page"))


@pages.app_errorhandler(413)
def _too_large(_error):
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    message = f"ไฟล์ใหญ่เกินไป (รับได้ไม่เกิน {limit} MB ต่อครั้ง)"
    if request.accept_mimetypes.best == "application/json":
        return jsonify(saved=[], refused=[message]), 413
    return render_template("error.html", code=413, message=message), 413


@pages.app_errorhandler(403)
@pages.app_errorhandler(404)
def _error(error):
    messages = {403: error.description, 404: "ไม่พบหน้าหรือเอกสารนี้"}
    return render_template("error.html", code=error.code, message=messages[error.code]), error.code
