"""A decision as the browser sends it, turned into the arguments of ``review.decide``.

A field left out keeps the proposed value (``review.KEEP``); "none" means the
document is none of the items, or states no fiscal year. Whether a code or a
year is acceptable is ``review.decide``'s to say.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from intake import review

NONE = "none"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# "2565", or a span "2566-2570" for a multi-year plan.
_YEARS = re.compile(r"^(\d{4})(?:\s*[-–]\s*(\d{4}))?$")


def decision_from(form: Mapping[str, str]) -> dict[str, Any]:
    decision = {"item": _item(form.get("item"))}
    decision["fiscal_year"], decision["fiscal_year_end"] = _years(form.get("fiscal_year"))
    return decision


def _item(value: str | None) -> Any:
    if value is None:
        return review.KEEP
    value = value.strip()
    return None if value.lower() == NONE else value


def _years(value: str | None) -> tuple[Any, Any]:
    if value is None:
        return review.KEEP, review.KEEP
    value = " ".join(value.translate(_THAI_DIGITS).split())
    if value.lower() in ("", NONE):
        return None, None
    match = _YEARS.match(value)
    if not match:
        raise review.DecisionError(f"ปีงบประมาณ {value!r} ไม่ถูกต้อง: ใช้ปี พ.ศ. เช่น 2565 หรือ 2566-2570")
    first, last = int(match.group(1)), match.group(2)
    return first, (int(last) if last else None)
