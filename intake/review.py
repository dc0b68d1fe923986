"""A person's decisions on what the system was unsure of.

``waiting`` and ``describe`` show what waits, ``decide`` records one decision
(file moved, index updated in one transaction, an audit event, and the document
becomes training data), ``run_interactive`` is the terminal review of ``oit review``.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from classifiers.taxonomy import load_taxonomy
from classifiers.text import arabic_digits
from intake.archive import Archive
from intake.config import Settings

log = logging.getLogger(__name__)


class _Keep:
    """The proposed label stays as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()

FIRST_LINES = 6
MIN_YEAR, MAX_YEAR = 2400, 2700
NONE_TITLE = "ไม่ใช่ข้อใดของ ITA"


class DecisionError(ValueError):
    """A decision that cannot be recorded as given (unknown item, impossible year)."""


def item_title(code: str | None) -> str:
    if code is None:
        return NONE_TITLE
    try:
        return load_taxonomy().get(code).title
    except KeyError:
        return "?"


def first_lines(text: str | None, count: int = FIRST_LINES) -> list[str]:
    lines = (" ".join(line.split()) for line in (text or "").replace("\f", "\n").split("\n"))
    return [line for line in lines if line][:count]


def _candidates(row: dict) -> list[dict]:
    raw = json.loads(row["candidates"]) if row["candidates"] else []
    return [{"item": c["item"], "score": c["score"], "title": item_title(c["item"])} for c in raw]


def waiting(archive: Archive) -> list[dict[str, Any]]:
    """Documents waiting for review, oldest first, as JSON-ready rows."""
    rows = archive.index.where("status = 'review'", order_by="id")
    return [
        {
            "id": row["id"],
            "file": row["archived_as"],
            "item": row["item"],
            "title": item_title(row["item"]),
            "fiscal_year": row["fiscal_year"],
            "fiscal_year_end": row["fiscal_year_end"],
            "confidence": row["item_confidence"],
            "candidates": _candidates(row),
            "fiscal_year_confidence": row["fiscal_year_confidence"],
            "fiscal_year_evidence": row["fiscal_year_evidence"],
            "original_name": row["original_name"],
            "archived_as": row["archived_as"],
            "pages": row["pages"],
            "received_at": row["received_at"],
            "first_lines": first_lines(row["text"]),
        }
        for row in rows
    ]


def _years(first: int | None, last: int | None) -> str:
    if first is None:
        return "ไม่ระบุปี"
    return f"{first}–{last}" if last else str(first)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def describe(row: dict[str, Any]) -> str:
    """The block a reviewer reads: file, pages, first lines, candidates, proposed year."""
    pages = f"{row['pages']} หน้า" if row.get("pages") else "ไม่ทราบจำนวนหน้า"
    out = [f"[{row['id']}] {row['original_name']} · {pages}", f"    ไฟล์: {row['file']}"]
    lines = row.get("first_lines") or []
    if lines:
        out.append("    ข้อความตอนต้น:")
        out += [f"      │ {line[:100]}" for line in lines]
    else:
        out.append("    (ไม่มีข้อความที่อ่านได้)")
    out.append(f"    ข้อที่เสนอ: {row['item'] or 'ไม่มี'} (ความมั่นใจ {_score(row['confidence'])})")
    for number, c in enumerate(row.get("candidates") or [], start=1):
        out.append(f"      {number}. {c['item'] or 'ไม่มี':<4} {_score(c['score'])}  {c['title']}")
    year = _years(row["fiscal_year"], row.get("fiscal_year_end"))
    out.append(f"    ปีงบประมาณที่เสนอ: {year} (ความมั่นใจ "
               f"{_score(row.get('fiscal_year_confidence'))})")
    if row.get("fiscal_year_evidence"):
        out.append(f"      จากข้อความ: “{' '.join(row['fiscal_year_evidence'].split())[:120]}”")
    return "\n".join(out) + "\n"  # a blank line between blocks in `oit review list`


def _check_item(item: str | None) -> str | None:
    if item is None:
        return None
    code = item.strip().upper()
    if code not in load_taxonomy().codes():
        raise DecisionError(f"unknown item {item!r}: use O1 … O43 or none")
    return code


def _check_year(year: int | None) -> int | None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise DecisionError(f"{year} is not a Buddhist Era year (e.g. 2565)")
    return year


def _year_end(row: dict, fiscal_year: Any, fiscal_year_end: Any) -> int | None:
    """The last year of the span: kept when the year is kept, moved along with a
    changed first year (a 2566–2570 plan re-dated to 2567 spans 2567–2571)."""
    if fiscal_year_end is not KEEP:
        return _check_year(fiscal_year_end)
    old_first, old_last = row["fiscal_year"], row["fiscal_year_end"]
    if fiscal_year is KEEP:
        return old_last
    if fiscal_year is None or old_first is None or old_last is None:
        return None
    return fiscal_year + (old_last - old_first)


def decide(
    archive: Archive,
    document_id: int,
    item: Any = KEEP,
    fiscal_year: Any = KEEP,
    actor: str = "reviewer",
    settings: Settings | None = None,
    fiscal_year_end: Any = KEEP,
) -> dict[str, Any]:
    """Confirm a document's labels; ``KEEP`` leaves the proposed one.

    Raises LookupError for an unknown document, DecisionError for labels that
    cannot be. After ``settings.retrain_after_decisions`` decisions since the last
    training, the home's model is retrained in the background.
    """
    row = archive.index.get(document_id)
    if row is None or row["status"] not in ("filed", "review"):
        raise LookupError(f"no stored document with id {document_id}")
    new_item = row["item"] if item is KEEP else _check_item(item)
    new_year = row["fiscal_year"] if fiscal_year is KEEP else _check_year(fiscal_year)
    new_end = _year_end(row, fiscal_year, fiscal_year_end)
    if new_end is not None and (new_year is None or new_end <= new_year):
        new_end = None
    decided = archive.decide(document_id, new_item, new_year, new_end, actor)
    result = {k: v for k, v in decided.items() if k != "text"}
    result["retrained"] = _retrain_if_due(archive, settings)
    return result


def decisions_since_training(archive: Archive) -> int:
    last = archive.index.db.execute(
        "select coalesce(max(id), 0) from events where action = 'trained'"
    ).fetchone()[0]
    return archive.index.count_events("decided", since_id=last)


def _retrain_if_due(archive: Archive, settings: Settings | None) -> dict | None:
    """Start a retraining in the background when enough decisions have accumulated."""
    if settings is None or settings.retrain_after_decisions <= 0:
        return None
    if decisions_since_training(archive) < settings.retrain_after_decisions:
        return None
    from intake.learning import retrain_in_background

    return {"started": retrain_in_background(archive.home)}


# The terminal review

HELP = """\
    Enter = ยอมรับตามที่เสนอ     1 2 3 = เลือกข้อที่เสนอลำดับนั้น
    O12 = ระบุรหัสข้อ            none = ไม่ใช่ข้อใดของ ITA
    ปี 2566 (หรือ y 2566, 2566) = แก้ปีงบประมาณ · ปี none = ไม่ระบุปี · ปี 2566-2570 = หลายปี
    s = ข้าม   o = เปิดไฟล์   q = ออก   ? = วิธีใช้"""
PROMPT = "ตัดสิน [Enter/1-3/Oxx/none/ปี/s/o/q/?] › "

_YEAR_WORDS = ("ปี", "y", "year")
_YEARS = re.compile(r"^(\d{4})(?:\s*[-–]\s*(\d{4}))?$")
_NO_YEAR = ("none", "-", "ไม่มี", "ไม่ระบุ")


def parse_years(text: str) -> tuple[int | None, int | None]:
    """A fiscal year as people type it: "2565", "๒๕๖๕", a span "2566-2570", or "none".

    Returns (first, last); last is None for a single year. DecisionError if unreadable.
    """
    value = " ".join(arabic_digits(text).split()).lower()
    if value in _NO_YEAR:
        return None, None
    match = _YEARS.match(value)
    if not match:
        raise DecisionError(f"ปีงบประมาณ “{text.strip()}” ไม่ถูกต้อง: ใช้ปี พ.ศ. เช่น 2565 หรือ 2566-2570")
    first = _check_year(int(match.group(1)))
    last = _check_year(int(match.group(2))) if match.group(2) else None
    if last is not None and last <= first:
        raise DecisionError("ปีสุดท้ายต้องมากกว่าปีแรก เช่น 2566-2570")
    return first, last


@dataclass
class _Draft:
    """What will be recorded for the document on screen."""

    fiscal_year: Any = KEEP
    fiscal_year_end: Any = KEEP


@dataclass(frozen=True)
class _Command:
    action: str  # accept | item | year | skip | open | quit | help
    item: str | None = None
    year: int | None = None
    year_end: int | None = None


def parse_command(line: str, candidates: list[dict]) -> _Command:
    """One line typed by the reviewer; DecisionError says what was wrong with it."""
    text = " ".join(arabic_digits(line).split())
    lowered = text.lower()
    if lowered in ("", "a", "ok", "ตกลง"):
        return _Command("accept")
    if lowered in ("s", "skip", "ข้าม"):
        return _Command("skip")
    if lowered in ("o", "open", "เปิด"):
        return _Command("open")
    if lowered in ("q", "quit", "exit", "ออก"):
        return _Command("quit")
    if lowered in ("?", "h", "help", "ช่วย"):
        return _Command("help")
    if lowered in ("none", "ไม่มี", "ไม่ใช่"):
        return _Command("item", item=None)
    if lowered.isdigit() and len(lowered) == 1:
        number = int(lowered)
        if not 1 <= number <= len(candidates):
            raise DecisionError(f"มีข้อที่เสนอ {len(candidates)} ข้อ: เลือก 1–{len(candidates)}")
        return _Command("item", item=candidates[number - 1]["item"])
    if re.fullmatch(r"o\s*\d{1,2}", lowered):
        return _Command("item", item=_check_item(lowered.replace(" ", "")))
    words = lowered.split(" ", 1)
    value = words[1] if words[0] in _YEAR_WORDS and len(words) == 2 else lowered
    if value in _NO_YEAR or _YEARS.match(value):
        first, last = parse_years(value)
        return _Command("year", year=first, year_end=last)
    raise DecisionError(f"ไม่เข้าใจ “{line.strip()}” — พิมพ์ ? เพื่อดูวิธีใช้")


def _open(path: str, out: TextIO) -> None:
    opener = shutil.which("xdg-open")
    # Over SSH there is no screen to open it on: the path is what helps.
    has_screen = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if opener is None or not has_screen:
        out.write(f"    เปิดไฟล์นี้ด้วยโปรแกรมอ่าน PDF: {path}\n")
        return
    subprocess.Popen([opener, path], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    out.write(f"    เปิด {path}\n")


def _proposal(row: dict, draft: _Draft) -> str:
    year = row["fiscal_year"] if draft.fiscal_year is KEEP else draft.fiscal_year
    end = row.get("fiscal_year_end") if draft.fiscal_year_end is KEEP else draft.fiscal_year_end
    return f"{row['item'] or 'ไม่มี'} / ปี {_years(year, end)}"


def _review_one(archive: Archive, settings: Settings, row: dict, stdin: TextIO,
                out: TextIO, actor: str, position: str) -> str:
    """Show one document and take commands until it is decided; returns
    "decided", "skipped" or "quit" (also at end of input)."""
    out.write(f"\n── ฉบับที่ {position} " + "─" * 40 + "\n" + describe(row) + "\n")
    draft = _Draft()
    while True:
        out.write(PROMPT)
        out.flush()
        line = stdin.readline()
        if not line:
            out.write("\n")
            return "quit"
        try:
            command = parse_command(line, row["candidates"])
        except DecisionError as error:
            out.write(f"    ⚠ {error}\n")
            continue
        if command.action == "help":
            out.write(HELP + "\n")
        elif command.action == "open":
            _open(str(archive.home.root / row["file"]), out)
        elif command.action in ("skip", "quit"):
            return "skipped" if command.action == "skip" else "quit"
        elif command.action == "year":
            draft = _Draft(command.year, command.year_end)
            out.write(f"    จะบันทึกเป็น {_proposal(row, draft)} — Enter เพื่อยืนยัน "
                      "หรือเลือกข้อ\n")
        else:
            item = KEEP if command.action == "accept" else command.item
            try:
                result = decide(archive, row["id"], item=item, fiscal_year=draft.fiscal_year,
                                fiscal_year_end=draft.fiscal_year_end, actor=actor,
                                settings=settings)
            except (LookupError, DecisionError, OSError) as error:
                out.write(f"    ⚠ บันทึกไม่ได้: {error}\n")
                return "skipped"
            out.write(f"    ✓ {result['item'] or 'ไม่มี'} / ปี "
                      f"{_years(result['fiscal_year'], result['fiscal_year_end'])}"
                      f" → {result['archived_as']}\n")
            if (result.get("retrained") or {}).get("started"):
                out.write("    ✓ เริ่มฝึกโมเดลใหม่จากการตัดสินที่ผ่านมาแล้ว (ทำงานเบื้องหลัง ราว 1 นาที)\n")
            return "decided"


def run_interactive(archive: Archive, settings: Settings, stdin: TextIO = sys.stdin,
                    stdout: TextIO = sys.stdout, actor: str | None = None) -> int:
    """Review every waiting document in turn; 0 when done or quit, 130 on Ctrl-C."""
    actor = actor or os.environ.get("USER") or "reviewer"
    rows = waiting(archive)
    if not rows:
        stdout.write("ไม่มีเอกสารรอตรวจ (Nothing waits for review.)\n")
        return 0
    stdout.write(f"เอกสารรอตรวจ {len(rows)} ฉบับ\n{HELP}\n")
    counts = {"decided": 0, "skipped": 0}
    status = 0
    try:
        for number, row in enumerate(rows, start=1):
            current = archive.index.get(row["id"])
            if current is None or current["status"] != "review":
                continue  # decided meanwhile, e.g. in the web app
            outcome = _review_one(archive, settings, row, stdin, stdout, actor,
                                  f"{number}/{len(rows)}")
            if outcome == "quit":
                break
            counts[outcome] += 1
    except KeyboardInterrupt:
        stdout.write("\n")
        status = 130
    left = len(waiting(archive))
    stdout.write(f"ตัดสินแล้ว {counts['decided']} ฉบับ · ข้าม {counts['skipped']} ฉบับ · "
                 f"ยังรอตรวจ {left} ฉบับ\n")
    stdout.flush()
    return status
