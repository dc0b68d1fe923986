"""Thai date reader: finds dates, day-less months and date ranges in extracted text.

``pythainlp.util.thai_strptime`` wants one whole, well-formed date; documents hold
"๑ ต.ค. ๖๔ – ๓๑ มี.ค. ๖๕", "เดือนตุลาคม 2564", "มี. ค. 65" inside running text.
Month names come from ``data/thai_months.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from classifiers.taxonomy import DATA_DIR

# "พ.ศ." or "ค.ศ." as written, or as OCR reads it: Latin letters and dots ("wa.", "WA,",
# "Wea.", "w.a.", "‘wa,") as often as not.
ERA_WORD = r"(?:พ\s?\.\s?ศ\s?\.\s?|ค\s?\.\s?ศ\s?\.\s?|[‘'`]?(?:[a-zA-Z]{1,3}\s?[.,]\s?){1,2})"
ERA = ERA_WORD + "?"

# A year outside this window is a page number, an amount or a code, not a date.
BE_MIN, BE_MAX = 2480, 2620
CE_MIN, CE_MAX = BE_MIN - 543, BE_MAX - 543


@dataclass(frozen=True)
class ThaiDate:
    year: int  # Buddhist Era
    month: int | None
    day: int | None = None

    @property
    def fiscal_year(self) -> int:
        """Thai fiscal year N runs 1 October N-1 to 30 September N."""
        return self.year + 1 if self.month is not None and self.month >= 10 else self.year


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    first: ThaiDate
    last: ThaiDate | None = None  # end of a range, else None

    @property
    def is_range(self) -> bool:
        return self.last is not None


def to_be(year: int, two_digit_ok: bool = True) -> int | None:
    """A written year as Buddhist Era, or None if it cannot be a year of these documents."""
    if year < 100:
        # Two-digit years in Thai documents are BE ("ต.ค. 64"); outside 2550–2579 a
        # two-digit number after a month is more likely a count than a year.
        return 2500 + year if two_digit_ok and 50 <= year <= 79 else None
    if BE_MIN <= year <= BE_MAX:
        return year
    if CE_MIN <= year <= CE_MAX:
        return year + 543
    return None


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    with open(DATA_DIR / "thai_months.json", encoding="utf-8") as f:
        raw = json.load(f)
    names: dict[str, int] = {}
    for m in raw["months"]:
        for name in m["full"] + m["abbreviated"]:
            names[name] = m["number"]
    return names


def _name_pattern(name: str) -> str:
    # Extraction often leaves a space after the dot of an abbreviation ("มี. ค.").
    return r"\.\s?".join(re.escape(part) for part in name.split("."))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, dict[str, int]]:
    names = month_names()
    alternation = "|".join(_name_pattern(n) for n in sorted(names, key=len, reverse=True))
    part = (
        rf"(?:(?P<dayI>[0-3]?\d)\s*)?(?P<monthI>{alternation})\s*(?:{ERA}(?P<yearI>\d{{4}}|\d{{2}})(?!\d))?"
    )
    connector = r"\s*(?:[-–—~]|ถึง(?:วันที่)?|จนถึง(?:วันที่)?)\s*(?:วันที่\s*)?"
    range_re = re.compile(part.replace("I", "1") + connector + part.replace("I", "2"))
    single_re = re.compile(part.replace("I", "1"))
    numeric = re.compile(r"(?<!\d)([0-3]?\d)/([01]?\d)/(\d{4}|\d{2})(?!\d)")
    lookup = {re.sub(r"\s", "", n): v for n, v in names.items()}
    return range_re, single_re, numeric, lookup


def _month(token: str, lookup: dict[str, int]) -> int:
    return lookup[re.sub(r"\s", "", token)]


def _day(token: str | None) -> int | None:
    if token is None:
        return None
    d = int(token)
    return d if 1 <= d <= 31 else None


def find_dates(text: str) -> list[DateMention]:
    """Every date, day-less month-and-year and range in ``text`` (Arabic digits expected;
    see ``classifiers.text.normalise``), in order of appearance, ranges preferred."""
    range_re, single_re, numeric, lookup = _patterns()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in range_re.finditer(text):
        y2 = m.group("year2")
        if y2 is None:
            continue
        last_year = to_be(int(y2))
        if last_year is None:
            continue
        m1, m2 = _month(m.group("month1"), lookup), _month(m.group("month2"), lookup)
        y1 = m.group("year1")
        if y1 is not None:
            first_year = to_be(int(y1))
            if first_year is None:
                continue
        else:
            # "ต.ค. – ธ.ค. 64", "ต.ค. 64 – มี.ค. 65": an unstated first year is the one
            # that keeps the range in order.
            first_year = last_year - 1 if m1 > m2 else last_year
        found.append(
            DateMention(
                m.start(), m.end(), m.group(0),
                ThaiDate(first_year, m1, _day(m.group("day1"))),
                ThaiDate(last_year, m2, _day(m.group("day2"))),
            )
        )
        taken.append((m.start(), m.end()))
    for m in single_re.finditer(text):
        if m.group("year1") is None or not free(m.start(), m.end()):
            continue
        year = to_be(int(m.group("year1")))
        if year is None:
            continue
        found.append(
            DateMention(m.start(), m.end(), m.group(0),
                        ThaiDate(year, _month(m.group("month1"), lookup), _day(m.group("day1"))))
        )
        taken.append((m.start(), m.end()))
    for m in numeric.finditer(text):
        if not free(m.start(), m.end()):
            continue
        day, month, year = int(m.group(1)), int(m.group(2)), to_be(int(m.group(3)))
        if year is None or not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        found.append(DateMention(m.start(), m.end(), m.group(0), ThaiDate(year, month, day)))
        taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
