"""A decision as the browser sends it, turned into the arguments of ``review.decide``.

A field left out keeps the proposed value (``review.KEEP``); "none" means the
document is none of the items, or states no fiscal year.
"""
from __future__ import annotations

from typing import Any, Mapping

from classifiers.taxonomy import load_taxonomy
from intake import review

NONE = "none"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Buddhist Era years an ITA document can plausibly be about.
YEAR_RANGE = range(2500, 2700)


class DecisionError(ValueError):
    pass


def decision_from(form: Mapping[str, str]) -> dict[str, Any]:
    return {"item": _item(form.get("item")), "fiscal_year": _fiscal_year(form.get("fiscal_year"))}


def _item(value: str | None) -> Any:
    if value is None:
        return review.KEEP
    value = value.strip()
    if value.lower() == NONE:
        return None
    code = value.upper()
    if code not in load_taxonomy().codes():
        raise DecisionError(f"ไม่มีข้อ {value!r} ในรายการ OIT")
    return code


def _fiscal_year(value: str | None) -> Any:
    if value is None:
        return review.KEEP
    value = value.strip().translate(_THAI_DIGITS)
    if value in ("", NONE):
        return None
    if not value.isdigit() or int(value) not in YEAR_RANGE:
        raise DecisionError(f"ปีงบประมาณ {value!r} ไม่ถูกต้อง: ใช้ปี พ.ศ. เช่น 2565")
    return int(value)
