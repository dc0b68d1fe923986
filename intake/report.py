"""The OIT coverage report of an assessment year: which items are complete, which
wait for a person's review, which are missing.

Each item must be covered for the fiscal year the taxonomy asks of it (the
assessment year, or the year before for O12, O20, O24). A monthly item (O23,
the สขร.1 summaries) must be covered month by month; which month a document
covers is read from its own title and dates (see ``months_covered``).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from html import escape

from classifiers.dates import DateMention, find_dates
from classifiers.taxonomy import DATA_DIR, Item, load_taxonomy
from classifiers.text import normalise
from intake.index import Index

STATUS_TITLES = {
    "complete": "ครบ",
    "waiting": "รอตรวจ",
    "partial": "ยังไม่ครบ",
    "missing": "ขาด",
}
# Where a monthly summary names its month: "ประจำเดือนตุลาคม 2564", "เดือน ต.ค. 64".
_MONTH_TITLE = re.compile(r"(?:ประจำ)?เดือน\s*")
TITLE_WINDOW = 2000


@dataclass(frozen=True)
class DocumentRef:
    id: int
    archived_as: str
    original_name: str
    status: str  # filed | review
    item: str | None
    fiscal_year: int | None
    fiscal_year_end: int | None
    confidence: float | None
    confirmed: bool


@dataclass
class MonthCoverage:
    year: int  # Buddhist Era calendar year of the month
    month: int
    title: str  # "ตุลาคม 2564"
    status: str = "missing"
    documents: list[DocumentRef] = field(default_factory=list)
    waiting: list[DocumentRef] = field(default_factory=list)


@dataclass
class ItemCoverage:
    code: str
    title: str
    group: str
    required_fiscal_year: int
    status: str = "missing"
    documents: list[DocumentRef] = field(default_factory=list)  # filed, of the right year
    waiting: list[DocumentRef] = field(default_factory=list)  # proposed for it, not yet decided
    other_years: list[DocumentRef] = field(default_factory=list)  # filed for another year
    months: list[MonthCoverage] = field(default_factory=list)  # monthly items only


@dataclass
class SubIndicatorCoverage:
    code: str
    title: str
    items: list[ItemCoverage]


@dataclass
class CoverageReport:
    assessment_year: int
    taxonomy: str
    taxonomy_title: str
    generated_at: str
    sub_indicators: list[SubIndicatorCoverage]
    totals: dict[str, int]  # status → number of items
    unlabelled_waiting: list[DocumentRef]  # waiting with no proposed item

    @property
    def items(self) -> list[ItemCoverage]:
        return [item for sub in self.sub_indicators for item in sub.items]


# Which month a monthly summary covers


@lru_cache(maxsize=1)
def month_titles() -> dict[int, str]:
    with open(DATA_DIR / "thai_months.json", encoding="utf-8") as f:
        return {m["number"]: m["full"][0] for m in json.load(f)["months"]}


def _months_of(mention: DateMention) -> set[tuple[int, int]]:
    first = mention.first
    last = mention.last or first
    if first.month is None or last.month is None:
        return set()
    months, year, month = set(), first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < 24:
        months.add((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_covered(text: str, name: str = "") -> set[tuple[int, int]]:
    """The (Buddhist Era year, month) pairs a monthly summary reports on.

    In order of trust: the month its title names ("ประจำเดือน…"); a month in the
    file name; the first month written without a day near the top; else the month
    most of its dated entries fall in (contracts signed in the month reported).
    """
    head = normalise(text[:TITLE_WINDOW])
    mentions = find_dates(head)
    for marker in _MONTH_TITLE.finditer(head):
        for mention in mentions:
            if 0 <= mention.start - marker.end() <= 3:
                return _months_of(mention)
    named = [m for m in find_dates(normalise(name)) if m.first.month is not None]
    if named:
        return _months_of(named[0])
    dayless = [m for m in mentions if m.first.day is None and m.first.month is not None]
    if dayless:
        return _months_of(dayless[0])
    dated = Counter((m.first.year, m.first.month) for m in find_dates(normalise(text))
                    if m.first.month is not None and not m.is_range)
    if dated:
        return {dated.most_common(1)[0][0]}
    return set()


# Building the report


def _ref(row: dict) -> DocumentRef:
    return DocumentRef(
        id=row["id"], archived_as=row["archived_as"], original_name=row["original_name"],
        status=row["status"], item=row["item"], fiscal_year=row["fiscal_year"],
        fiscal_year_end=row["fiscal_year_end"], confidence=row["item_confidence"],
        confirmed=bool(row["confirmed"]),
    )


def _covers(row: dict, year: int) -> bool:
    first, last = row["fiscal_year"], row["fiscal_year_end"]
    if first is None:
        return False
    return first == year or (last is not None and first <= year <= last)


def _required_months(item: Item, fiscal_year: int) -> list[tuple[int, int]]:
    # Fiscal year N starts in October of N-1 (Buddhist Era).
    return [(fiscal_year - 1 if month >= 10 else fiscal_year, month)
            for month in item.required_months]


def _cover_item(item: Item, required_year: int, rows: list[dict]) -> ItemCoverage:
    coverage = ItemCoverage(item.code, item.title, item.group, required_year)
    filed = [r for r in rows if r["status"] == "filed"]
    waiting = [r for r in rows if r["status"] == "review"]
    if not item.required_months:
        coverage.documents = [_ref(r) for r in filed if _covers(r, required_year)]
        coverage.other_years = [_ref(r) for r in filed if not _covers(r, required_year)]
        # A waiting document with no year read may well be the one for this year.
        coverage.waiting = [_ref(r) for r in waiting
                            if r["fiscal_year"] is None or _covers(r, required_year)]
        coverage.status = ("complete" if coverage.documents
                           else "waiting" if coverage.waiting else "missing")
        return coverage

    months = {key: MonthCoverage(key[0], key[1], f"{month_titles()[key[1]]} {key[0]}")
              for key in _required_months(item, required_year)}
    for row in rows:
        covered = months_covered(row["text"] or "", row["original_name"] or "") & months.keys()
        if not covered:
            if row["status"] == "filed" and not _covers(row, required_year):
                coverage.other_years.append(_ref(row))
            elif row["status"] == "review" or _covers(row, required_year):
                # Its month could not be read: list it so a person can look.
                (coverage.waiting if row["status"] == "review" else coverage.documents).append(
                    _ref(row))
            continue
        for key in sorted(covered):
            target = months[key].documents if row["status"] == "filed" else months[key].waiting
            target.append(_ref(row))
        (coverage.documents if row["status"] == "filed" else coverage.waiting).append(_ref(row))
    for month in months.values():
        month.status = ("complete" if month.documents
                        else "waiting" if month.waiting else "missing")
    coverage.months = list(months.values())
    statuses = {m.status for m in coverage.months}
    if statuses == {"complete"}:
        coverage.status = "complete"
    elif "missing" not in statuses:
        coverage.status = "waiting"
    elif statuses != {"missing"}:
        coverage.status = "partial"
    else:
        coverage.status = "waiting" if coverage.waiting else "missing"
    return coverage


def build_report(index: Index, assessment_year: int,
                 taxonomy_name: str = "ita2565") -> CoverageReport:
    """The coverage of every item of the taxonomy for ``assessment_year`` (Buddhist Era)."""
    taxonomy = load_taxonomy(taxonomy_name)
    by_item: dict[str | None, list[dict]] = {}
    for row in index.where("status in ('filed', 'review')", order_by="id"):
        by_item.setdefault(row["item"], []).append(row)
    subs: dict[str, SubIndicatorCoverage] = {}
    for item in taxonomy.items:
        sub = subs.setdefault(item.sub_indicator, SubIndicatorCoverage(
            item.sub_indicator, item.sub_indicator_title, []))
        sub.items.append(_cover_item(item, taxonomy.required_fiscal_year(item.code,
                                                                          assessment_year),
                                     by_item.get(item.code, [])))
    totals = Counter(item.status for sub in subs.values() for item in sub.items)
    return CoverageReport(
        assessment_year=assessment_year,
        taxonomy=taxonomy.name,
        taxonomy_title=taxonomy.title,
        generated_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        sub_indicators=list(subs.values()),
        totals={status: totals.get(status, 0) for status in STATUS_TITLES},
        unlabelled_waiting=[_ref(r) for r in by_item.get(None, []) if r["status"] == "review"],
    )


# Rendering


def render(report: CoverageReport, fmt: str) -> str:
    renderers = {"md": render_markdown, "csv": render_csv, "json": render_json,
                 "html": render_html}
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(renderers)}")
    return renderers[fmt](report)


def render_json(report: CoverageReport) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n"


def _years(ref: DocumentRef) -> str:
    if ref.fiscal_year is None:
        return "ไม่ระบุปี"
    return f"{ref.fiscal_year}–{ref.fiscal_year_end}" if ref.fiscal_year_end else str(ref.fiscal_year)


def _year_label(item: ItemCoverage) -> str:
    return f"ปีงบประมาณ {item.required_fiscal_year}"


def _summary(report: CoverageReport) -> str:
    total = sum(report.totals.values())
    parts = [f"{STATUS_TITLES[s]} {n}" for s, n in report.totals.items() if n]
    return f"{total} ข้อ: " + " · ".join(parts)


def render_markdown(report: CoverageReport) -> str:
    out = [
        f"# รายงานความครบถ้วนของข้อมูล OIT ปีประเมิน {report.assessment_year}",
        "",
        f"{report.taxonomy_title} · สร้างเมื่อ {report.generated_at}",
        "",
        f"**{_summary(report)}**",
        "",
    ]

    def docs(refs: list[DocumentRef]) -> str:
        return "<br>".join(f"`{r.archived_as}` (#{r.id})" for r in refs) or "—"

    for sub in report.sub_indicators:
        out += [f"## ตัวชี้วัดย่อยที่ {sub.code} {sub.title}", "",
                "| ข้อ | ข้อมูล | ปีที่ต้องใช้ | สถานะ | เอกสาร | รอตรวจ |",
                "|---|---|---|---|---|---|"]
        for item in sub.items:
            out.append(f"| {item.code} | {item.title} | {item.required_fiscal_year} | "
                       f"{STATUS_TITLES[item.status]} | {docs(item.documents)} | "
                       f"{docs(item.waiting)} |")
            for month in item.months:
                out.append(f"| | ↳ {month.title} | | {STATUS_TITLES[month.status]} | "
                           f"{docs(month.documents)} | {docs(month.waiting)} |")
        out.append("")
    missing = [i for i in report.items if i.status != "complete"]
    if missing:
        out += ["## ยังต้องจัดหา", ""]
        for item in missing:
            note = f"{item.code} {item.title} ({_year_label(item)})"
            if item.months:
                gaps = [m.title for m in item.months if m.status != "complete"]
                note += ": " + ", ".join(gaps)
            if item.waiting:
                note += f" — รอตรวจ {len(item.waiting)} ฉบับ"
            if item.other_years:
                years = sorted({_years(r) for r in item.other_years})
                note += f" — มีเอกสารแต่ไม่ตรงปี ({', '.join(years)})"
            out.append(f"- {note}")
        out.append("")
    if report.unlabelled_waiting:
        out += ["## รอตรวจ ยังไม่ระบุข้อ", ""]
        out += [f"- `{r.archived_as}` (#{r.id})" for r in report.unlabelled_waiting]
        out.append("")
    return "\n".join(out)


def render_csv(report: CoverageReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["sub_indicator", "item", "title", "required_fiscal_year", "month",
                     "status", "documents", "document_ids", "waiting", "waiting_ids"])

    def cells(refs: list[DocumentRef]) -> list[str]:
        return ["; ".join(r.archived_as for r in refs), " ".join(str(r.id) for r in refs)]

    for sub in report.sub_indicators:
        for item in sub.items:
            writer.writerow([sub.code, item.code, item.title, item.required_fiscal_year, "",
                             item.status, *cells(item.documents), *cells(item.waiting)])
            for month in item.months:
                writer.writerow([sub.code, item.code, item.title, item.required_fiscal_year,
                                 f"{month.year}-{month.month:02d}", month.status,
                                 *cells(month.documents), *cells(month.waiting)])
    return buffer.getvalue()


HTML_STYLE = """
:root { --ok: #1b7f3b; --wait: #b26a00; --part: #a15c00; --miss: #b3261e; --line: #d9dce1; }
* { box-sizing: border-box; }
body { font-family: "Sarabun", "TH Sarabun New", "Noto Sans Thai", "Garuda", sans-serif;
       color: #1f2328; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; padding-bottom: .25rem;
     border-bottom: 2px solid #2f3b52; break-after: avoid; }
.meta { color: #5b6270; margin: 0 0 1rem; }
.totals { display: flex; gap: .75rem; flex-wrap: wrap; margin: 1rem 0; padding: 0; }
.totals li { list-style: none; border: 1px solid var(--line); border-radius: .5rem;
             padding: .4rem .9rem; }
.totals b { font-size: 1.3rem; margin-right: .3rem; }
table { width: 100%; border-collapse: collapse; font-size: .95rem; table-layout: fixed; }
col.code { width: 3.5rem; } col.title { width: 30%; } col.year { width: 6.5rem; }
col.status { width: 6rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
         border-bottom: 1px solid var(--line); }
th { background: #f3f4f6; font-weight: 600; }
tr { break-inside: avoid; }
td.code { font-weight: 600; white-space: nowrap; }
td.year { white-space: nowrap; }
tr.month td { font-size: .9rem; color: #3d4450; }
tr.month td.title { padding-left: 1.5rem; }
.status { display: inline-block; border-radius: 1rem; padding: 0 .6rem; color: #fff;
          font-size: .85rem; white-space: nowrap; }
.complete { background: var(--ok); } .waiting { background: var(--wait); }
.partial { background: var(--part); } .missing { background: var(--miss); }
.docs { margin: 0; padding: 0; list-style: none; font-size: .85rem; overflow-wrap: anywhere; }
.docs .id { color: #5b6270; }
.none { color: #9aa0a9; }
.other { display: block; color: #5b6270; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .status { color: #000; background: none; border: 1px solid #000; }
  a { color: inherit; text-decoration: none; }
}
"""


def _html_docs(refs: list[DocumentRef]) -> str:
    if not refs:
        return '<span class="none">—</span>'
    rows = "".join(f'<li>{escape(r.archived_as)} <span class="id">#{r.id}</span></li>'
                   for r in refs)
    return f'<ul class="docs">{rows}</ul>'


def _html_other_years(item: ItemCoverage) -> str:
    if item.documents or not item.other_years:
        return ""
    years = ", ".join(sorted({_years(r) for r in item.other_years}))
    return f'<small class="other">มีเอกสารแต่ไม่ตรงปี ({escape(years)})</small>'


def _html_status(status: str) -> str:
    return f'<span class="status {status}">{STATUS_TITLES[status]}</span>'


def render_html(report: CoverageReport) -> str:
    """One self-contained page, to print or publish: no scripts, no external files."""
    title = f"รายงานความครบถ้วนของข้อมูล OIT ปีประเมิน {report.assessment_year}"
    totals = "".join(f'<li><b>{n}</b>{_html_status(s)}</li>' for s, n in report.totals.items())
    sections = []
    for sub in report.sub_indicators:
        rows = []
        for item in sub.items:
            rows.append(
                f'<tr class="item"><td class="code">{item.code}</td>'
                f'<td class="title">{escape(item.title)}<br><small>{escape(item.group)}'
                f'</small></td><td class="year">{item.required_fiscal_year}</td>'
                f'<td>{_html_status(item.status)}</td><td>{_html_docs(item.documents)}'
                f'{_html_other_years(item)}</td>'
                f'<td>{_html_docs(item.waiting)}</td></tr>')
            for month in item.months:
                rows.append(
                    f'<tr class="month"><td></td><td class="title">{escape(month.title)}</td>'
                    f'<td></td><td>{_html_status(month.status)}</td>'
                    f'<td>{_html_docs(month.documents)}</td>'
                    f'<td>{_html_docs(month.waiting)}</td></tr>')
        sections.append(
            f'<section><h2>ตัวชี้วัดย่อยที่ {escape(sub.code)} {escape(sub.title)}</h2>'
            '<table><colgroup><col class="code"><col class="title"><col class="year">'
            '<col class="status"><col><col></colgroup><thead><tr><th>ข้อ</th><th>ข้อมูล</th><th>ปีงบประมาณ</th><th>สถานะ</th>'
            '<th>เอกสาร</th><th>รอตรวจ</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></section>")
    unlabelled = ""
    if report.unlabelled_waiting:
        unlabelled = ("<section><h2>รอตรวจ ยังไม่ระบุข้อ</h2>"
                      + _html_docs(report.unlabelled_waiting) + "</section>")
    return (
        '<!DOCTYPE html>\n<html lang="th">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="meta">{escape(report.taxonomy_title)} · สร้างเมื่อ '
        f"{escape(report.generated_at)} · {escape(_summary(report))}</p>\n"
        f'<ul class="totals">{totals}</ul>\n'
        + "\n".join(sections) + unlabelled + "\n</body>\n</html>\n"
    )
