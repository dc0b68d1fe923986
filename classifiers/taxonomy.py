"""The ITA item list as data: which items exist, what they cover, which words hint at them.

Each assessment round renumbers the items, so a round is one JSON file under
``classifiers/data`` and nothing in code names an item.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from classifiers.text import compact

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Hint:
    """A phrase rule: fires when every ``all`` phrase occurs and no ``none`` phrase does.

    Phrases are stored compacted (see ``classifiers.text.compact``) so matching is a substring test.
    """

    all: tuple[str, ...]
    none: tuple[str, ...] = ()
    weight: float = 1.0

    def matches(self, compact_text: str) -> bool:
        return all(p in compact_text for p in self.all) and not any(p in compact_text for p in self.none)


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    sub_indicator: str
    sub_indicator_title: str
    group: str
    description: str
    fiscal_year_offset: int  # relative to the assessment year: -1 = the year before
    required_months: tuple[int, ...]  # calendar months a monthly item must cover; else ()
    hints: tuple[Hint, ...]

    def hint_score(self, compact_text: str) -> float:
        return sum(h.weight for h in self.hints if h.matches(compact_text))


@dataclass(frozen=True)
class Taxonomy:
    name: str
    title: str
    items: tuple[Item, ...]

    def get(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(f"{code!r} is not an item of {self.name}")

    def codes(self) -> list[str]:
        return [item.code for item in self.items]

    def required_fiscal_year(self, code: str, assessment_year: int) -> int:
        return assessment_year + self.get(code).fiscal_year_offset

    def hint_scores(self, text: str) -> list[float]:
        """One score per item, in ``items`` order."""
        c = compact(text)
        return [item.hint_score(c) for item in self.items]


def _hint(raw: dict) -> Hint:
    return Hint(
        all=tuple(compact(p) for p in raw["all"]),
        none=tuple(compact(p) for p in raw.get("none", ())),
        weight=float(raw.get("weight", 1.0)),
    )


def _parse(raw: dict) -> Taxonomy:
    sub_titles = {s["code"]: s["title"] for s in raw["sub_indicators"]}
    items = tuple(
        Item(
            code=r["code"],
            title=r["title"],
            sub_indicator=r["sub_indicator"],
            sub_indicator_title=sub_titles[r["sub_indicator"]],
            group=r["group"],
            description=r["description"],
            fiscal_year_offset=int(r.get("fiscal_year_offset", 0)),
            required_months=tuple(r.get("required_months", ())),
            hints=tuple(_hint(h) for h in r.get("hints", ())),
        )
        for r in raw["items"]
    )
    return Taxonomy(name=raw["name"], title=raw.get("title", raw["name"]), items=items)


@lru_cache(maxsize=None)
def load_taxonomy(name: str = "ita2565") -> Taxonomy:
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as f:
        return _parse(json.load(f))
