"""Which Thai fiscal year a document is about.

Evidence is ranked before it is counted: a stated fiscal year ("ปีงบประมาณ พ.ศ. ๒๕๖๕")
outweighs the period a report covers ("ข้อมูล ณ วันที่ 31 มีนาคม 2565", "ต.ค. 64 – มี.ค.
65"), which outweighs month-and-year mentions, which outweigh any dated line (often the
day it was signed, which can fall in the next fiscal year). The date of another document
it cites ("ตามหนังสือ … ลงวันที่ …") counts only where there is nothing else. Earlier text
weighs more: the title says what the document is about, page 40 quotes last year's figures.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Collection, Mapping, Sequence

from classifiers.dates import ERA as _ERA
from classifiers.dates import ERA_WORD, DateMention, find_dates, to_be
from classifiers.labels import FiscalYearReading
from classifiers.text import arabic_digits, normalise

_YEAR = r"(\d{4}|\d{2})(?!\d)"
_BE_ERA = r"พ\s?\.\s?ศ\s?\."  # "พ.ศ.", with the spaces extraction leaves in it
_SPAN_TAIL = rf"(?:\s*(?:[-–—]|ถึง)\s*{_ERA}(\d{{4}}|\d{{2}})(?!\d))?"
_STATED = re.compile(rf"(?:ปีงบประมาณ|ปีงบฯ|ปีงบ\.?|fiscal year|fy)\s*{_ERA}{_YEAR}{_SPAN_TAIL}")
_ANNUAL = re.compile(rf"(?:ประจำปี|ประจําปี)\s*{_ERA}(\d{{4}}|\d{{2}})(?!\d){_SPAN_TAIL}")
# "แผนปฏิบัติการ ปี 2565" near the title names the year, though less surely than a plan's
# own span or a month; "ในปี 2564" in the body is as often last year's comparison. Two
# digits after a bare ปี are as often an age as a year.
_YEAR_WORD = re.compile(rf"ปี\s*{_ERA}(\d{{4}})(?!\d){_SPAN_TAIL}")
# Quarters are fiscal quarters: "ไตรมาส 2/2565" is January–March of fiscal year 2565.
_QUARTER = re.compile(r"(?:ไตรมาส(?:ที่)?|ไตรมาสที|Q)\s*[1-4](?:\s*[-–]\s*[1-4])?\s*/\s*(\d{4}|\d{2})(?!\d)", re.I)
_ERA_YEAR = re.compile(rf"(?:ปี\s*)?(?:{_BE_ERA}|ค\s?\.\s?ศ\s?\.)\s*(\d{{4}})(?!\d){_SPAN_TAIL}")
# "พระราชบัญญัติเทศบาล พ.ศ. 2496 และที่แก้ไขเพิ่มเติม (ฉบับที่ 14) พ.ศ. 2562": both years are the law's.
# "บัญญัติ" stands for พระราชบัญญัติ, ข้อบัญญัติ and เทศบัญญัติ, also where OCR garbled "พระ".
_CITATION = re.compile(r"(?:บัญญัติ|พ\.ร\.บ\.|ระเบียบ|กฎกระทรวง|ข้?อบังคับ|พระราชกฤษฎีกา|"
                       r"รัฐธรรมนูญ|ประมวล|ประกาศกระทรวง|ประกาศคณะกรรมการ|ตาม(?:ที่?)?ประกาศ)"
                       rf"(?:[^\d]|ฉบับที่?\s*\d+|{ERA_WORD}\d{{4}})*$")
_ANNOUNCEMENT_TITLE = re.compile(r"ประกาศ\S+\s*เรื่?อง[^\d]*$")
_THAI_GAP = re.compile(r"(?<=[\u0e00-\u0e7f]) (?=[\u0e00-\u0e7f])")
_BARE_SPAN = re.compile(r"(?<!\d)(\d{4})\s*(?:[-–—]|ถึง)\s*(\d{4})(?!\d)")
_AS_OF = re.compile(r"(?:ข้อมูล|ผล\S*|สิ้นสุด|\()\s*ณ\s*วันที่\s*$")
_PERIOD_CUE = re.compile(r"(?:ระหว่าง|ตั้งแต่|รอบ|ประจำเดือน|ประจําเดือน|เดือน|ไตรมาส|งวด|ห้วง|ช่วง)\S*\s*(?:วันที่)?\s*$")
# "1 - 31 มีนาคม 2565": the whole month, a period, not the day it was signed.
_DAY_RANGE = re.compile(r"(?<!\d)[0-3]?\d\s*[-–—]\s*$")
_SIGNED = re.compile(r"(?:ประกาศ|สั่ง|ให้ไว้|วันที่พิมพ์|พิมพ์เมื่อ)\s*(?:ณ\s*)?(?:วันที่)?\s*$")
# The date of another document: "ตามหนังสือ … ที่ มท 0808/ว 123 ลงวันที่ …", a cabinet
# resolution, the day a law came into force. Often last year's; never the document's own.
_CITED = re.compile(r"ลงวันที่\s*$|(?:มติ|ใช้บังคับ|ประกาศใช้|ราชกิจจานุเบกษา).{0,40}เมื่อ\s*(?:วันที่)?\s*$")

# Ranks of evidence, and the confidence of a reading when all evidence agrees with it.
STATED, PERIOD, MONTH, DATED, CITED = 3, 2, 1, 0, -1
_CONFIDENCE = {STATED: 0.97, PERIOD: 0.93, MONTH: 0.85, DATED: 0.6, CITED: 0.45}
# Each rank outweighs the one below it this many times over, so that one stated year
# decides against many signing dates, yet a plan's span on its first pages is not
# outvoted by a year stated in passing on page 13.
RANK_FACTOR = 3.0
# The title's own stated year counts this many times over (see _mark_title_year).
TITLE_YEAR_FACTOR = 3.0
NO_EVIDENCE_CONFIDENCE = 0.9
# Readings below this are guesses for a person to confirm (a bare year, Thai digits OCR
# could not confirm, dates that disagree), whatever generated validation documents, which
# have none of these, would allow.
GUESS_BELOW = 0.5
# Tesseract reads about half of all Thai digits wrong (๖ as ๒ or ๐, ๔ ๘ ๙ as ๕: measured
# on eight TLWG fonts). Where the digit reader could not confirm them, a year read in
# Thai digits is a guess worth showing a person, not filing on.
OCR_THAI_DIGITS_FACTOR = 0.5
# Dates and months alone that point to different fiscal years (a letter of October about
# last year's work, a month in the text and the day it was signed) were wrong in 4 of 8
# such documents across the dev corpora and the written ones; where they agree, in none
# of 157. Such a reading goes to a person.
DISAGREEING_DATES_FACTOR = 0.5
_NUMBER = re.compile(r"\d+")
# An unconfirmed OCR'd number that starts like a year of these documents (๒๕…).
_GARBLED_YEAR = re.compile(r"25\d\d?$")
# OCR also reads Thai digits as Latin letters: "พ.ศ. ๒๕๖๖" as "พ.ศ. Wedd" (an era read as
# letters is followed by its year: "wa. 2565").
_LETTERS_FOR_YEAR = re.compile(rf"(?:{_BE_ERA}|ปีงบประมาณ)\s*[a-z]{{3,4}}(?![a-z])(?!\s*[.,]?\s*\d)")
# A browser's print header or footer: "15/1/65 10:42", "12/1/2021, 11:20 AM", or the date
# after the page's address and page count ("https://… 1/1 2/3/2022").
_PRINT_STAMP = re.compile(r"\s*,?\s*[0-2]?\d:[0-5]\d(?!\d)")
_PRINT_ADDRESS = re.compile(r"(?:https?://|www\.)\S+\s+(?:\d+\s*/\s*\d+\s+)?$")
# A printed web page ends with links to other pages ("ข่าวที่เกี่ยวข้อง", "ข่าวล่าสุด"): their
# titles and dates are theirs, not the page's.
_RELATED_LINKS = re.compile(r"^\s*(?:ข่าว|เรื่อง|บทความ)(?:ที่เกี่ยวข้อง|อื่น ?ๆ|ล่าสุด|แนะนำ|ยอดนิยม)\s*:?\s*$", re.M)
# A plausible year of these documents, not an amount, a count or part of a phone number
# ("2560 บาท", "2565 ราย", "0 2565 1234").
_BARE_YEAR = re.compile(r"(?<![\d,./])(?<!\d\s)(25[5-7]\d)(?![\d,]|\s?\d)"
                        r"(?!\s*(?:บาท|ราย|คน|แห่ง|ครั้ง|เรื่อง|ชิ้น|หน่วย(?!งาน)|เล่ม|%|ตร|กม|ม\.))")
BARE_YEAR_CONFIDENCE = 0.3
_TITLE_CHARS = 600
# Thai law titles run long: "พระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537 และที่แก้ไข
# เพิ่มเติมถึง (ฉบับที่ 7) พ.ศ. 2562".
_LAW_NAME_CHARS = 160
_SPAN_HEAD_CHARS = 300
_MAX_SPAN = 10
# Three or more periods on a page ("2530 - 2538", "2538 - 2549", "2561 - ปัจจุบัน") are a
# history: the terms of past directors, a career, the plans before this one. Their years
# are not the document's; a plan's own span at its head or a stated year still is.
_HISTORY_SPAN = re.compile(rf"(?:{_BE_ERA}\s?)?(?<!\d)(\d{{4}})\s*(?:[-–—]|ถึง)\s*(?:{_BE_ERA}\s?)?(\d{{4}}(?!\d)|ปัจจุบัน)")
_HISTORY_SPANS = 3
# "ขอเชิญประชุมประชาคมเพื่อจัดทำแผนพัฒนาท้องถิ่น (พ.ศ. 2561 - 2564)": the plan being made,
# not the period of the invitation, minutes or project report that prepares it.
_PLAN_IN_MAKING = re.compile(r"(?:จัดทำ|ทบทวน|ยกร่าง)แผน[^\n\d]{0,40}$")


@dataclass(frozen=True)
class Evidence:
    rank: int
    fiscal_year: int
    fiscal_year_end: int | None
    weight: float
    text: str
    page: int  # 0-based
    start: int  # where on its page
    unsure: bool = False  # read by OCR from Thai digits


@dataclass(frozen=True)
class _YearPattern:
    """A way of writing a year, and how much a year written so says."""

    pattern: re.Pattern  # group 1 the year, group 2 (if any) the last year of a span
    rank: int
    title_rank: int | None = None  # the rank near the title, where it differs
    weight: float = 1.0
    may_cite_law: bool = False  # the year may be a law's ("พ.ร.บ. … พ.ศ. 2560")


# Read before the dates: what a document says its year is.
_NAMED_YEARS = (
    _YearPattern(_STATED, STATED),
    # "รายงาน… ประจำปี ๒๕๖๕" in the title names the fiscal year.
    _YearPattern(_ANNUAL, PERIOD, title_rank=STATED),
    _YearPattern(_QUARTER, PERIOD),
)
# Read after the dates, on what they left.
_LOOSE_YEARS = (
    _YearPattern(_YEAR_WORD, DATED, title_rank=MONTH, may_cite_law=True),
    # "พ.ศ. 2560" alone is as often a law's year as the document's: the weakest evidence.
    _YearPattern(_ERA_YEAR, DATED, weight=0.5, may_cite_law=True),
)


def _span(first: int | None, last_raw: str | None) -> tuple[int, int | None] | None:
    if first is None:
        return None
    if last_raw is None:
        return first, None
    last = to_be(int(last_raw))
    if last is None or not 0 < last - first <= _MAX_SPAN:
        return first, None
    return first, last


def _position_weight(page: int, pos: int) -> float:
    title = 3.0 if _in_title(page, pos) else 1.0
    return title / (1 + page)


def _date_rank(text: str, d: DateMention) -> int:
    before = text[max(0, d.start - 40): d.start]
    if _CITED.search(before):
        return CITED
    if d.is_range or _AS_OF.search(before) or _DAY_RANGE.search(before):
        return PERIOD
    if _SIGNED.search(before):
        return DATED
    if d.first.day is None:
        return PERIOD if _PERIOD_CUE.search(before) else MONTH
    return DATED


def _date_years(d: DateMention) -> int:
    # A period maps to the fiscal year it starts in: "1 ต.ค. 64 – 31 มี.ค. 65" is 2565.
    return d.first.fiscal_year


def _page_text(page_text: str) -> str:
    """What the patterns below read of a page: the page without the links to other pages
    under it, and without the spaces extraction scatters inside Thai words ("ป ีงบประมาณ");
    Thai needs none for the patterns, digits keep theirs."""
    related = _RELATED_LINKS.search(page_text)
    return _THAI_GAP.sub("", normalise(page_text[:related.start()] if related else page_text))


def _ocr_year(year: int) -> int:
    """The likelier reading of an OCR'd Thai-digit year: a decade read as ๒ or ๐
    (2525, 2505) is ๖ misread far more often than a document of the 1980s."""
    decade = year // 10 % 10
    if 2500 <= year < 2540 and decade in (0, 2):
        return year + (6 - decade) * 10
    return year


def _evidence(page_text: str, page: int, unconfirmed: Collection[str] = ()) -> list[Evidence]:
    """The page's evidence; a year whose digits are among ``unconfirmed`` (OCR'd Thai
    numbers the digit reader could not confirm) is read as its likelier value and is
    only a guess. Any other number on the page, a figure in a table, does not make a
    confirmed year doubtful."""
    doubtful = set()
    for number in unconfirmed:
        likelier = arabic_digits(number)
        if len(likelier) == 4:
            likelier = str(_ocr_year(int(likelier)))
        # Read before the span is judged: "๒๕๒๕ - ๒๕๖๙" is the plan "2565 - 2569".
        page_text = re.sub(rf"(?<![\d\u0e50-\u0e59]){number}(?![\d\u0e50-\u0e59])", likelier, page_text)
        doubtful.add(likelier)
    return [replace(e, unsure=True) if doubtful.intersection(_NUMBER.findall(e.text)) else e
            for e in _page_evidence(page_text, page)]


def _page_evidence(page_text: str, page: int) -> list[Evidence]:
    text = _page_text(page_text)
    found: list[Evidence] = []
    covered: list[tuple[int, int]] = []
    _stated(text, page, found, covered, _NAMED_YEARS)
    for d in find_dates(text):
        if any(s <= d.start < e for s, e in covered):
            continue
        if "/" in d.text and (_PRINT_STAMP.match(text, d.end)
                              or _PRINT_ADDRESS.search(text, max(0, d.start - 200), d.start)):
            continue  # when a browser printed the page, not what it is about
        covered.append((d.start, d.end))
        rank = _date_rank(text, d)
        found.append(Evidence(rank, _date_years(d), None, _position_weight(page, d.start), d.text, page, d.start))
    _stated(text, page, found, covered, _LOOSE_YEARS)
    for m in _BARE_SPAN.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        first, last = to_be(int(m.group(1)), False), to_be(int(m.group(2)), False)
        if first is not None and last is not None and 0 < last - first <= _MAX_SPAN:
            found.append(Evidence(_span_rank(page, m.start()), first, last, _position_weight(page, m.start()),
                                  m.group(0), page, m.start()))
    found = _without_others_periods(found, text)
    if page == 0:
        _mark_title_year(found)
    return found


def _without_others_periods(found: list[Evidence], text: str) -> list[Evidence]:
    """The evidence less the periods that belong to something else: the plan a document
    helps to make, and the terms and plans of a history."""
    found = [e for e in found
             if e.fiscal_year_end is None or not _PLAN_IN_MAKING.search(text, max(0, e.start - 60), e.start)]
    history = [(m.start(), m.end()) for m in _HISTORY_SPAN.finditer(text)]
    if len({text[s:e] for s, e in history}) < _HISTORY_SPANS:
        return found
    return [e for e in found if e.rank == STATED or not any(s <= e.start < end for s, end in history)]


def _mark_title_year(found: list[Evidence]) -> None:
    """The first year stated at the head of the document is the title's: "มาตรการ… ประจำปี
    งบประมาณ พ.ศ. 2564" is not outvoted by the pages on last year's results that follow.
    Spans there already rank high, and are as often the plan a project serves."""
    head = [i for i, e in enumerate(found)
            if e.rank == STATED and e.fiscal_year_end is None and e.start < _SPAN_HEAD_CHARS]
    if head:
        first = min(head, key=lambda i: found[i].start)
        found[first] = replace(found[first], weight=found[first].weight * TITLE_YEAR_FACTOR)


def _in_title(page: int, pos: int) -> bool:
    return page == 0 and pos < _TITLE_CHARS


def _span_rank(page: int, pos: int) -> int:
    """A multi-year span at the head of the first page is the plan's own period, as strong
    as a stated year; further down it is more often another plan the text refers to."""
    return STATED if page == 0 and pos < _SPAN_HEAD_CHARS else PERIOD


def _cites_law(text: str, page: int, pos: int) -> bool:
    """Whether the year at ``pos`` is the year a law was enacted or amended. Below the
    title, an announcement's title with its year is a rule cited ("ประกาศกรุงเทพมหานคร
    เรื่อง หลักเกณฑ์… พ.ศ. 2561"); in the title it is the document itself."""
    before = text[max(0, pos - _LAW_NAME_CHARS): pos]
    return bool(_CITATION.search(before) or (not _in_title(page, pos) and _ANNOUNCEMENT_TITLE.search(before)))


def _stated(text: str, page: int, found: list[Evidence], covered: list[tuple[int, int]],
            patterns: tuple[_YearPattern, ...]) -> None:
    for kind in patterns:
        for m in kind.pattern.finditer(text):
            if any(s <= m.start() < e for s, e in covered):
                continue
            if kind.may_cite_law and _cites_law(text, page, m.start()):
                continue
            span = _span(to_be(int(m.group(1))), m.group(2) if kind.pattern.groups > 1 else None)
            if span is None:
                continue
            covered.append((m.start(), m.end()))
            if span[1] is not None:
                rank = _span_rank(page, m.start())
            elif kind.title_rank is not None and _in_title(page, m.start()):
                rank = kind.title_rank
            else:
                rank = kind.rank
            found.append(Evidence(rank, span[0], span[1], kind.weight * _position_weight(page, m.start()), m.group(0),
                                  page, m.start()))


def _bare_year(pages: Sequence[str]) -> FiscalYearReading | None:
    """One year written with no word that says what it is ("แผน 2566", "ที่ 45/2565"):
    worth proposing to a person, never worth filing on, and no reason to say there is no
    year. Several different ones are a table of laws or a history, not the document's year."""
    found: dict[int, str] = {}
    for number, page in enumerate(pages):
        text = _page_text(page)
        for m in _BARE_YEAR.finditer(text):
            if not _cites_law(text, number, m.start()):
                found.setdefault(int(m.group(1)), m.group(0).strip())
    if len(found) != 1:
        return None
    (year, text), = found.items()
    return FiscalYearReading(year, None, BARE_YEAR_CONFIDENCE, text)


def _title_year_garbled(pages: Sequence[str], unconfirmed_digits: Mapping[int, Collection[str]]) -> bool:
    """Whether a year at the head of the first page looks garbled by OCR (an unconfirmed
    ๒๕…, or letters where the year belongs): the title's own year may then be gone
    ("พ.ศ. ๒๕๖๖ - ๒๕๐"), and what the text below it says is only a guess."""
    head = pages[0][:_TITLE_CHARS] if pages else ""
    return (any(_GARBLED_YEAR.match(arabic_digits(number)) and number in head for number in unconfirmed_digits.get(0, ()))
            or bool(_LETTERS_FOR_YEAR.search(normalise(head))))


def read_fiscal_year(pages: Sequence[str],
                     unconfirmed_digits: Mapping[int, Collection[str]] | None = None) -> FiscalYearReading:
    """The fiscal year (or span) the pages are about; ``unconfirmed_digits`` are, by
    0-based page number, the OCR'd Thai numbers the digit reader could not confirm."""
    unconfirmed_digits = unconfirmed_digits or {}
    evidence = [e for i, p in enumerate(pages) for e in _evidence(p, i, unconfirmed_digits.get(i, ()))]
    # Another document's date says nothing of this one's while this one says anything.
    if any(e.rank > CITED for e in evidence):
        evidence = [e for e in evidence if e.rank > CITED]
    if not evidence:
        bare = _bare_year(pages)
        if bare is not None:
            return bare
        # No year anywhere: structure charts, contact pages. "None" is then usually right,
        # unless OCR may have garbled a year beyond recognition.
        garbled = any(unconfirmed_digits.values())
        confidence = NO_EVIDENCE_CONFIDENCE * (OCR_THAI_DIGITS_FACTOR if garbled else 1.0)
        return FiscalYearReading(None, None, confidence, None)
    votes: dict[tuple[int, int | None], float] = defaultdict(float)
    best: dict[tuple[int, int | None], Evidence] = {}
    for e in evidence:
        key = (e.fiscal_year, e.fiscal_year_end)
        votes[key] += e.weight * RANK_FACTOR ** e.rank
        if key not in best or (e.rank, e.weight) > (best[key].rank, best[key].weight):
            best[key] = e
    # "ปีงบประมาณ 2566" beside "2566–2570" in a plan: the single year is the span's start.
    for first, last in [k for k in votes if k[1] is not None]:
        if (first, None) in votes:
            votes[(first, last)] += votes.pop((first, None))
            best.pop((first, None))
    key = max(votes, key=votes.__getitem__)
    share = votes[key] / sum(votes.values())
    confidence = _CONFIDENCE[best[key].rank] * (0.5 + 0.5 * share)
    title_lost = not _in_title(best[key].page, best[key].start) and _title_year_garbled(pages, unconfirmed_digits)
    if best[key].unsure or title_lost:
        confidence *= OCR_THAI_DIGITS_FACTOR
    if best[key].rank <= MONTH and len(votes) > 1:
        confidence *= DISAGREEING_DATES_FACTOR
    return FiscalYearReading(key[0], key[1], round(confidence, 4), best[key].text)
