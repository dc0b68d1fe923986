"""A decision as the browser sends it, turned into the arguments of ``review.decide``.

A field left out keeps the proposed value (``review.KEEP``); "none" means the
document is none of the items, or states no fiscal year. Whether a code or a
year is acceptable is ``review.decide``'s to say.
"""
from __future__ import annotations

from typing import Any, Mapping

from intake import review

NONE = "none"


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
    return review.parse_years(value.strip() or NONE)
