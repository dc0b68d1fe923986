"""How values read on the pages: marked snippets, percentages, the audit trail in Thai."""
from __future__ import annotations

import json

from flask import Flask
from markupsafe import Markup, escape

from intake import review
from intake.search import MARK_END, MARK_START

ACTIONS = {
    "received": "รับเข้า",
    "processing": "กำลังประมวลผล",
    "filed": "จัดเก็บอัตโนมัติ",
    "review": "ส่งให้ตรวจทาน",
    "decided": "ผู้ตรวจตัดสิน",
    "duplicate": "พบไฟล์ซ้ำ",
    "rejected": "ไม่รับ",
}
STATUSES = {
    "filed": "จัดเก็บแล้ว",
    "review": "รอตรวจทาน",
    "rejected": "ไม่รับ",
    "received": "รับเข้าแล้ว",
    "processing": "กำลังประมวลผล",
}


def marked(snippet: str | None) -> Markup:
    """A search snippet with its matches as <mark>, everything else escaped."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def years(first: int | None, last: int | None = None) -> str:
    if first is None:
        return "ไม่ระบุปี"
    return f"{first}–{last}" if last else str(first)


def change(event: dict) -> str:
    """What an event changed, as a reviewer reads it: "ข้อ O23 → O10 · ปี 2565 → 2566"."""
    before = json.loads(event["before"]) if event.get("before") else {}
    after = json.loads(event["after"]) if event.get("after") else {}
    parts = []
    if "item" in after:
        item = after["item"] or "ไม่ใช่ข้อใด"
        parts.append(f"ข้อ {before['item'] or 'ไม่ใช่ข้อใด'} → {item}"
                     if "item" in before and before["item"] != after["item"] else f"ข้อ {item}")
    if "fiscal_year" in after:
        new = years(after["fiscal_year"], after.get("fiscal_year_end"))
        old = years(before.get("fiscal_year"), before.get("fiscal_year_end"))
        parts.append(f"ปี {old} → {new}" if before and old != new else f"ปี {new}")
    if after.get("archived_as") and after.get("archived_as") != before.get("archived_as"):
        parts.append(f"ที่ {after['archived_as']}")
    return " · ".join(parts)


def install(app: Flask) -> None:
    app.add_template_filter(marked)
    app.add_template_filter(percent)
    app.add_template_filter(change)
    app.add_template_global(years)
    app.add_template_global(review.item_title, "item_title")
    app.jinja_env.globals.update(action_names=ACTIONS, status_names=STATUSES)
