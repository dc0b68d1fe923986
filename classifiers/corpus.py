"""Bootstrap corpus: labelled Thai disclosure documents generated from phrase data.

The phrases (``data/corpus_<taxonomy>.json``) are split into families by position:
every third phrase belongs to the evaluation family only, so ``split="eval"`` produces
documents whose titles, sentences, agencies and year wordings the model never saw in
training. Same seed, same split → the same documents.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from classifiers.documents import LabelledDocument
from classifiers.taxonomy import DATA_DIR, load_taxonomy
from classifiers.text import thai_digits

YEARS = range(2560, 2571)
MONTHS_FULL = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
MONTHS_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
# Share of non-items that are about an item without being it.
LOOK_ALIKE_SHARE = 0.3
_UNINFORMATIVE_NAMES = ["scan{n:04d}.pdf", "เอกสาร ({n}).pdf", "doc{n}.pdf", "IMG_{n:04d}.pdf", "file-{n}.pdf",
                        "ไฟล์แนบ{n}.pdf", "{n}.pdf", "download ({n}).pdf", "ita_{n}.pdf", "new doc {n}.pdf"]


@lru_cache(maxsize=None)
def corpus_data(taxonomy: str = "ita2565") -> dict:
    with open(DATA_DIR / f"corpus_{taxonomy}.json", encoding="utf-8") as f:
        return json.load(f)


def _written_path(taxonomy: str) -> Path:
    return DATA_DIR / f"written_{taxonomy}.json"


def written_documents(taxonomy: str = "ita2565") -> list[LabelledDocument]:
    """Whole documents written by hand for training, with their labels: the layouts and
    the way parts of a document go together, which phrase data cannot give."""
    path = _written_path(taxonomy)
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [LabelledDocument(tuple(d["pages"]), d["filename"], d["item"], d["fiscal_year"], d["fiscal_year_end"])
                for d in json.load(f)]


def fingerprint(taxonomy: str = "ita2565") -> str:
    """Hash of the phrase data, the written documents and this generator: a model's
    recipe identity."""
    h = hashlib.sha256()
    h.update((DATA_DIR / f"corpus_{taxonomy}.json").read_bytes())
    h.update((DATA_DIR / f"{taxonomy}.json").read_bytes())
    if _written_path(taxonomy).exists():
        h.update(_written_path(taxonomy).read_bytes())
    with open(__file__, "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:16]


def _family(values: Sequence, split: str) -> list:
    """Every third phrase is held out for evaluation; lists too short to split are shared."""
    if len(values) < 3 or split == "all":
        return list(values)
    if split == "eval":
        return [v for i, v in enumerate(values) if i % 3 == 2]
    return [v for i, v in enumerate(values) if i % 3 != 2]


@dataclass
class _Year:
    """The fiscal year a document is about and every way of writing it."""

    fy: int
    end: int | None = None

    def fields(self, rng: random.Random, month: int | None = None) -> dict[str, str]:
        month = month or rng.choice([10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        cal = self.fy - 1 if month >= 10 else self.fy
        return {
            "y": str(self.fy), "yy": str(self.fy % 100), "y0": str(self.fy - 1), "yy0": str((self.fy - 1) % 100),
            "ye": str(self.end or self.fy + 4), "m": MONTHS_FULL[month - 1], "mabbr": MONTHS_ABBR[month - 1],
            "mn": f"{month:02d}", "y_m": str(cal), "yy_m": str(cal % 100), "d": str(rng.randint(1, 28)),
        }


class CorpusGenerator:
    """Draws documents for the items of one taxonomy and for non-items."""

    def __init__(self, seed: int = 0, split: str = "train", taxonomy: str = "ita2565",
                 none_share: float = 0.2, noise: float = 0.3):
        self.rng = random.Random(f"{seed}-{split}")
        self.split = split
        self.data = corpus_data(taxonomy)
        self.taxonomy = load_taxonomy(taxonomy)
        self.codes = self.taxonomy.codes()
        self.none_share = none_share
        self.noise = noise
        d = self.data
        self.kinds = list(d["agencies"])
        self.agencies = {k: _family(v, split) for k, v in d["agencies"].items()}
        # Fillers are boilerplate every class shares; holding some out would teach the
        # model that unseen boilerplate means a particular item.
        self.fillers = list(d["fillers"])
        self.periods = {k: _family(v, split) for k, v in d["period_phrases"].items()}
        self.counter = 0

    def pick(self, values: Sequence, k: int = 1) -> list:
        return self.rng.sample(list(values), min(k, len(values)))

    def generate(self, n: int) -> list[LabelledDocument]:
        return [self.document() for _ in range(n)]

    def document(self) -> LabelledDocument:
        rng = self.rng
        self.counter += 1
        if rng.random() < self.none_share:
            spec, item = (self._look_alike() if rng.random() < LOOK_ALIKE_SHARE
                          else self.data["non_items"][rng.choice(list(self.data["non_items"]))]), None
        elif rng.random() < 0.03:
            spec, item = {**self.data["news_distractor"], "period": "dated"}, "O7"
        else:
            item = rng.choice(self.codes)
            spec = self.data["items"][item]
        return self._compose(item, spec)

    def _look_alike(self) -> dict:
        """A non-item about an item: the order appointing the team that writes the plan, the
        minutes of the meeting on it, a training certificate, a blank form for it."""
        rng, data = self.rng, self.data["look_alikes"]
        kind = rng.choice(list(data["frames"]))
        item = rng.choice(data["items"])
        topics = [self.taxonomy.get(item).title] + _family(self.data["items"][item]["titles"], self.split)
        topic = topics[0] if rng.random() < 0.5 else rng.choice(topics)
        title = rng.choice(_family(data["frames"][kind], self.split)).format(topic=topic)
        sentences = self.data["non_items"][kind]["sentences"]
        return {"titles": [title], "sentences": sentences, "period": "dated"}

    def _period(self, kind: str) -> str:
        """Plans that are as often multi-year as annual, reports as often half-yearly."""
        if kind == "annual_or_span":
            return "multi_year" if self.rng.random() < 0.4 else "annual"
        if kind == "annual_or_half":
            return "half_year" if self.rng.random() < 0.3 else "annual"
        return kind

    def _year_for(self, period: str) -> _Year | None:
        fy = self.rng.choice(YEARS)
        if period == "multi_year":
            return _Year(fy, fy + self.rng.choice([2, 3, 4, 4, 4, 5]))
        if period == "optional" and self.rng.random() < 0.35:
            return None
        return _Year(fy)

    def _phrase(self, kind: str, year: _Year, month: int | None = None) -> str:
        return self.rng.choice(self.periods[kind]).format(**year.fields(self.rng, month))

    def _compose(self, item: str | None, spec: dict) -> LabelledDocument:
        rng = self.rng
        kind = rng.choice(self.kinds)
        agency = rng.choice(self.agencies[kind])
        head = rng.choice(self.data["heads"][kind])
        person = rng.choice(self.data["people"])
        period = self._period(spec.get("period", "annual"))
        year = self._year_for(period)
        titles = _family(spec["titles"], self.split)
        sentences = _family(spec["sentences"], self.split)

        title = rng.choice(titles)
        official = self.taxonomy.get(item) if item and spec is self.data["items"].get(item) else None
        if official is not None and rng.random() < 0.25:
            # Agencies often head a page with the item's official wording; it belongs to
            # no phrase family, so training and evaluation both see it.
            title = official.title
        if official is not None and rng.random() < 0.25:
            sentences = sentences + [official.description]
        year_phrases: list[str] = []
        body_year: list[str] = []
        month = None
        label_fy = year.fy if year else None
        label_end = None
        if year is not None:
            if period == "multi_year":
                year_phrases.append(self._phrase("span", year))
                label_end = year.end
            elif period == "monthly":
                month = rng.choice([10, 11, 12, 1, 2, 3, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9])
                year_phrases.append(self._phrase("monthly", year, month))
                if rng.random() < 0.3:
                    body_year.append(self._phrase("stated", year))
            elif period in ("half_year", "year_end"):
                if rng.random() < 0.7:
                    year_phrases.append(self._phrase("stated", year))
                    (body_year if rng.random() < 0.5 else year_phrases).append(self._phrase(period, year))
                else:
                    year_phrases.append(self._phrase(period, year))
            elif period == "dated":
                if rng.random() < 0.3:
                    body_year.append(self._phrase("stated", year))
            else:
                (year_phrases if rng.random() < 0.8 else body_year).append(self._phrase("stated", year))

        signature, signed_fy, signed_on = self._signature(person, head, agency, year, period)
        bp = self.data["boilerplate"]
        style = rng.random()
        lines: list[str] = []
        if style < 0.6:
            # A letter or announcement: letterhead, reference number, date, then the subject.
            lines.extend(self._letterhead(kind, agency))
            if signed_on and period not in ("year_end", "half_year") and rng.random() < 0.5:
                lines.append(signed_on)
                signature = [ln for ln in signature if ln != signed_on]
        elif style < 0.85:
            if rng.random() < 0.8:
                lines.append(agency)
            if rng.random() < 0.3:
                lines.append(rng.choice(self.data["parents"][kind]))
        title_line = title
        if year_phrases and rng.random() < 0.75:
            title_line += " " + " ".join(year_phrases)
            year_phrases = []
        if rng.random() < 0.4:
            title_line += " " + rng.choice(["ของ", "", "-"]) + agency
        if style < 0.6 and rng.random() < 0.5:
            if rng.random() < 0.5:
                lines.append("ประกาศ" + agency)
            title_line = "เรื่อง " + title_line
        lines.append(title_line)
        lines.extend(year_phrases)

        pool = sentences + self.pick(self.fillers, 3) + self.pick(bp["generic_paragraphs"], 3)
        body = self.pick(sentences, rng.randint(2, 5)) + self.pick(self.fillers, rng.randint(1, 3))
        body += self.pick(bp["generic_paragraphs"], rng.randint(1, 4))
        if rng.random() < 0.2:
            other = self.data["items"][rng.choice(self.codes)]
            body.append(rng.choice(_family(other["sentences"], self.split)))
        rng.shuffle(body)
        body[rng.randrange(len(body) + 1):0] = body_year
        if rng.random() < 0.5:
            body.insert(0, rng.choice(bp["generic_paragraphs"]))  # a preamble before the substance
        lines.extend(body)
        if rng.random() < 0.6:
            signature = [rng.choice(bp["closings"])] + signature

        table_lines = self._table(spec.get("table"), rng.randint(3, 14)) if spec.get("table") else []
        footer = self._footer(agency)
        if rng.random() < 0.12:
            lines[:0], footer = self._web_page(title, agency), footer + [self._web_address()]
        n_extra = rng.choice([0, 0, 0, 1, 1, 2, 3])
        first = lines + table_lines[:8] + ([] if len(table_lines) > 8 else signature)
        pages = ["\n".join(first + self._page_mark(1, n_extra + 1) + footer)]
        rest = table_lines[8:]
        for p in range(n_extra):
            text = self._page_mark(p + 2, n_extra + 1, top=True)
            text += self.pick(pool, rng.randint(2, 5)) + rest[:10]
            rest = rest[10:]
            text += [f"หน้า {p + 2}"] if rng.random() < 0.5 else []
            pages.append("\n".join(text + footer))
        if len(table_lines) > 8:
            if rest:
                pages.append("\n".join(rest))
            pages[-1] += "\n" + "\n".join(signature)
        if rng.random() < 0.12:
            pages.insert(0, self._front_page(title, agency))
        if label_fy is None:
            label_fy = signed_fy
        pages = [self._noise(p) for p in pages]
        return LabelledDocument(tuple(pages), self._filename(item, title), item, label_fy, label_end)

    def _phone(self) -> str:
        # Never a run of digits that reads as a year (25xx, 19xx, 20xx).
        return f"0 {self.rng.choice(['2', '3', '4', '5', '7'])}{self.rng.randint(100, 399)} {self.rng.randint(3000, 9999)}"

    def _letterhead(self, kind: str, agency: str) -> list[str]:
        rng, bp = self.rng, self.data["boilerplate"]
        out: list[str] = []
        if rng.random() < 0.3:
            out.append("ส่วนราชการ " + agency + " " + rng.choice(self.data["units"]) + " โทร. " + self._phone())
            out.append(f"ที่ {rng.choice(bp['doc_prefixes'])} {rng.randint(3000, 9999)}/{rng.randint(1, 999)}")
            return out
        out.append(agency)
        if rng.random() < 0.3:
            out.append(rng.choice(self.data["parents"][kind]))
        address = f"เลขที่ {rng.randint(1, 999)} {rng.choice(bp['streets'])} {rng.choice(bp['localities'])}"
        contact = rng.choice(["โทรศัพท์ {p}", "โทร. {p} โทรสาร {f}", "โทรศัพท์ {p} ต่อ {x}", "Tel. {p} Fax {f}"]).format(
            p=self._phone(), f=self._phone(), x=rng.randint(100, 999))
        web = rng.choice(["E-mail: {u}@{d}", "www.{d}", "อีเมล {u}@{d} เว็บไซต์ www.{d}", "{u}.{d}"]).format(
            u=rng.choice(bp["mail_users"]), d=rng.choice(bp["domains"]))
        parts = [address, contact, web]
        k = rng.choice([1, 2, 3, 3])
        out.extend(parts[:k])
        if rng.random() < 0.6:
            out.append(f"ที่ {rng.choice(bp['doc_prefixes'])} {rng.randint(3000, 9999)}/{rng.randint(1, 999)}")
        return out

    def _front_page(self, title: str, agency: str) -> str:
        """A foreword, a table of contents or an introduction before the document proper:
        what the first page of a long plan or report often is."""
        rng, bp = self.rng, self.data["boilerplate"]
        kind = rng.choice(["foreword", "contents", "introduction"])
        if kind == "contents":
            chapters = self.pick(bp["chapters"], rng.randint(3, 6))
            lines = [bp["front_headings"]["contents"]] + [
                f"{bp['front_headings']['chapter']} {i + 1} {name} {2 + 4 * i}" for i, name in enumerate(chapters)]
            return "\n".join(lines)
        lines = [bp["front_headings"][kind]]
        if kind == "foreword" and rng.random() < 0.5:
            lines.append(rng.choice(bp["foreword_openings"]).format(title=title))
        lines += self.pick(bp["generic_paragraphs"], rng.randint(1, 3))
        lines.append(agency)
        return "\n".join(lines)

    def _web_page(self, title: str, agency: str) -> list[str]:
        """A page printed from the agency's website: the browser's header and the site menu."""
        rng = self.rng
        stamp = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(60, 69)} {rng.randint(8, 17)}:{rng.randint(10, 59)}"
        return [f"{stamp} {title} - {agency}", rng.choice(self.data["boilerplate"]["web_menus"])]

    def _web_address(self) -> str:
        rng = self.rng
        page = rng.choice(["page/", "ita/", "index.php?option=com_content&id=", "news/"])
        return f"https://www.{rng.choice(self.data['boilerplate']['domains'])}/{page}{rng.randint(10, 999)} 1/{rng.randint(1, 3)}"

    def _footer(self, agency: str) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            return [f"{agency} โทร. {self._phone()}"]
        if r < 0.4:
            return [f"งานประชาสัมพันธ์ {agency} โทรศัพท์ {self._phone()}"]
        return []

    def _page_mark(self, page: int, total: int, top: bool = False) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            return [f"- {page} -"]
        if r < 0.5 and not top:
            return [f"หน้า {page} จาก {total}" if rng.random() < 0.5 else f"{page}/{total}"]
        return []

    def _signature(self, person: str, head: str, agency: str, year: _Year | None,
                   period: str) -> tuple[list[str], int | None, str | None]:
        """Signature lines, the fiscal year of the signing date when the document states
        no other year (then that date is all a reader has to go on), and the date line."""
        rng = self.rng
        bp = self.data.get("boilerplate")
        r = rng.random()
        if bp and r < 0.35:
            lines = ["(ลงชื่อ) " + rng.choice(["", "...................... "]) , f"({person})",
                     "ตำแหน่ง " + (head + agency if rng.random() < 0.6 else head)]
        elif bp and r < 0.5:
            clerk = rng.choice(self.data["people"])
            lines = ["ลงชื่อ " + person, head + agency,
                     f"ผู้จัดทำ {clerk} ตำแหน่ง {rng.choice(bp['positions'])}{rng.choice(bp['ranks'])}"]
        else:
            lines = ["(ลงชื่อ) " + person if rng.random() < 0.5 else person, head + agency if rng.random() < 0.5 else head]
        if year is None:
            if rng.random() < 0.5:
                fy = rng.choice(YEARS)
                date = self._phrase("signed", _Year(fy))
                lines.insert(0, date)
                return lines, fy, date
            return lines, None, None
        if period == "dated" or rng.random() < 0.6:
            if period in ("year_end", "half_year"):
                # Reports are signed after their period, a year-end one in the next fiscal
                # year: the reader must not take this date for the subject.
                month = 10 if period == "year_end" else 4
                signed = _Year(year.fy + 1 if period == "year_end" else year.fy)
                date = self._phrase("signed", signed, rng.choice([month, month + 1]))
            else:
                date = self._phrase("signed", year)
            lines.insert(0, date)
            return lines, None, date
        return lines, None, None

    def _table(self, columns: list[str], rows: int) -> list[str]:
        rng, values = self.rng, self.data["table_values"]
        header = [c.split(":")[0] for c in columns]
        kinds = [c.split(":")[1] for c in columns]
        sep = rng.choice([" ", " | ", "  ", "\t"])
        out = [sep.join(header)]
        for i in range(rows):
            out.append(sep.join(self._cell(k, i, values) for k in kinds))
        if rng.random() < 0.5:
            out.append(sep.join(["รวม", f"{rng.randint(1, 99) * 12345:,}"]))
        return out

    def _cell(self, kind: str, i: int, values: dict) -> str:
        rng = self.rng
        if kind == "idx":
            return str(i + 1)
        if kind == "money":
            return f"{rng.randint(5, 9_000) * 1000 + rng.choice([0, 500, 250]):,}" + rng.choice(["", ".00"])
        if kind == "percent":
            return f"{rng.uniform(10, 100):.2f}" + rng.choice(["", "%"])
        if kind == "count":
            return str(rng.randint(0, 500))
        if kind == "score":
            return f"{rng.uniform(1, 5):.2f}"
        if kind == "year":
            return str(rng.randint(2520, 2565))
        if kind == "phone":
            return f"0 2{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        if kind == "month":
            return rng.choice(MONTHS_FULL)
        if kind == "monthyear":
            return f"{rng.choice(MONTHS_ABBR)} {rng.choice(YEARS) % 100}"
        if kind == "project":
            return rng.choice(self.data["projects"])
        if kind == "company":
            return rng.choice(self.data["companies"])
        if kind == "person":
            return rng.choice(self.data["people"])
        if kind == "unit":
            return rng.choice(self.data["units"])
        if kind == "head":
            return rng.choice(self.data["heads"][rng.choice(self.kinds)])
        return rng.choice(values[kind])

    def _filename(self, item: str | None, title: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.65 or self.split == "eval":
            return rng.choice(_UNINFORMATIVE_NAMES).format(n=rng.randint(1, 9999))
        if r < 0.85:
            return title[:30].replace(" ", "_") + ".pdf"
        if item and r < 0.95:
            return f"{item}_{title[:20]}.pdf"
        return f"{rng.choice(self.codes)}.pdf"  # a wrong code: the name is a hint, not the answer

    def _noise(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            text = thai_digits(text)
        if rng.random() >= self.noise:
            return text
        chars = list(text)
        for i, ch in enumerate(chars):
            r = rng.random()
            if ch == "ำ" and r < 0.3:
                chars[i] = "ํา" if r < 0.25 else "า"
            elif "\u0e01" <= ch <= "\u0e2e" and r < 0.01:
                chars[i] = ch + " "
        return "".join(chars)


def generate(n: int, seed: int = 0, split: str = "train", taxonomy: str = "ita2565",
             none_share: float = 0.2) -> list[LabelledDocument]:
    """``n`` labelled documents; ``split="eval"`` uses only held-out phrasings."""
    return CorpusGenerator(seed, split, taxonomy, none_share).generate(n)
