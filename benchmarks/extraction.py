"""Extraction figures: speed of the text layer and of OCR, accuracy, memory.

Run: PYTHAINLP_OFFLINE=1 .venv/bin/python benchmarks/extraction.py
Everything is measured on PDFs generated here with known text (tests/pdf_factory.py).
Targets: CER ≤ 0.5% on text layers (PUA and ำ-broken included), ≤ 4% on 300 dpi
scans; text layer ≥ 200 pages/s on one core; OCR ≥ 1.8× faster on 2 cores than 1;
peak memory ≤ 400 MB on a 300-page PDF.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from pdf_factory import make_pua_pdf, make_sara_am_broken_pdf, make_scanned_pdf, make_text_pdf  # noqa: E402

from classifiers.text import thai_digits  # noqa: E402
from intake.extract import ExtractionLimits, extract_text  # noqa: E402
from intake import ocr  # noqa: E402
from intake.ocr import ocr_pages  # noqa: E402
from intake.thai_digits import reread_digits  # noqa: E402

SENTENCES = [
    "ประกาศสำนักงานเทศบาลตำบลบ้านใหม่ อำเภอเมือง จังหวัดเชียงใหม่",
    "เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}",
    "เพื่อให้การดำเนินงานของสำนักงานเป็นไปด้วยความโปร่งใส ตรวจสอบได้ และเป็นธรรม",
    "จึงกำหนดแนวทางการปฏิบัติงานสำหรับเจ้าหน้าที่ทุกคน ให้ถือปฏิบัติอย่างเคร่งครัด",
    "รายงานผลการจัดซื้อจัดจ้างประจำเดือน {month} จำนวน {n} รายการ วงเงิน {money} บาท",
    "ผู้ใหญ่บ้านและประชาชนร่วมกันฟื้นฟูป่าไม้ในพื้นที่ตำบล เพื่อประโยชน์ของชุมชน",
    "คู่มือสำหรับประชาชน การขอรับบริการน้ำอุปโภคบริโภค ใช้ระยะเวลาไม่เกิน {n} วัน",
    "สำเนาบัตรประจำตัวประชาชนและสำเนาทะเบียนบ้าน จำนวน 1 ฉบับ",
    "แผนปฏิบัติการป้องกันการทุจริต ระยะ 4 ปี พ.ศ. {year} - {year_end}",
    "การเปิดโอกาสให้เกิดการมีส่วนร่วม และการประเมินผลการปฏิบัติราชการของเจ้าหน้าที่",
]
MONTHS = ["ตุลาคม", "พฤศจิกายน", "ธันวาคม", "มกราคม", "กุมภาพันธ์", "มีนาคม"]


def page_text(number: int, lines: int = 13) -> str:
    out = []
    for line in range(lines):
        sentence = SENTENCES[(number * 7 + line) % len(SENTENCES)]
        out.append(sentence.format(
            year=2560 + number % 10, year_end=2564 + number % 10, month=MONTHS[(number + line) % 6],
            n=(number * 13 + line) % 90 + 1, money=f"{(number * 7919 + line * 104729) % 10_000_000:,}",
        ))
    return "\n".join(out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cer(expected: list[str], actual: list[str]) -> float:
    errors = total = 0
    for want, got in zip(expected, actual, strict=True):
        want, got = squeeze(want), squeeze(got)
        matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
        errors += sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
        total += len(want)
    return errors / max(1, total)


def text_layer_speed(path: Path, pages: int) -> None:
    one_core = ExtractionLimits(ocr_workers=1)
    extract_text(path, one_core, pages=2)  # load the dictionary and tries outside the timing
    started = time.perf_counter()
    extracted = extract_text(path, one_core)
    ours = time.perf_counter() - started
    assert extracted.ocr_pages == 0, "a clean text page was sent to OCR"
    sample = min(pages, 30)
    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:sample]:
            page.extract_text()
            page.close()
    plumber = (time.perf_counter() - started) / sample
    print(f"text layer: {pages / ours:.0f} pages/s end to end on one core ({pages} pages, {ours:.2f} s)")
    print(f"  pdfplumber extract_text on the same file: {1 / plumber:.1f} pages/s "
          f"(first {sample} pages) → ours is {plumber / (ours / pages):.0f}× faster")


def text_layer_accuracy(folder: Path) -> None:
    pages = [page_text(n, lines=12) for n in range(5)]
    builders = {
        "clean": make_text_pdf,
        "Word PUA": make_pua_pdf,
        "ำ read as า": lambda p, t: make_sara_am_broken_pdf(p, t, "am_to_aa"),
        "า read as ำ": lambda p, t: make_sara_am_broken_pdf(p, t, "aa_to_am"),
    }
    for name, build in builders.items():
        path = build(folder / f"acc-{len(name)}-{abs(hash(name))}.pdf", pages)
        got = [p.text for p in extract_text(path).pages]
        print(f"CER text layer, {name}: {cer(pages, got):.3%}")


def ocr_figures(folder: Path, pages: int) -> None:
    texts = [page_text(n, lines=10) for n in range(pages)]
    path = make_scanned_pdf(folder / "scan.pdf", texts, dpi=300, rotate_degrees=0.7, noise=0.02)
    cores = os.cpu_count() or 1
    # The speed-up is only meaningful on an otherwise idle machine: show the load.
    print(f"(load average before OCR timing: {os.getloadavg()[0]:.1f} on {cores} cores)")
    timings = {}
    for workers in sorted({1, cores}):
        document = pdfium.PdfDocument(str(path))
        cpu_before = os.times()
        started = time.perf_counter()
        result = ocr_pages(document, range(1, pages + 1), dpi=300, workers=workers)
        wall = time.perf_counter() - started
        cpu_after = os.times()
        document.close()
        timings[workers] = wall / pages
        # Tesseract's CPU seconds per wall second: how many cores the pool kept busy.
        busy = (cpu_after.children_user + cpu_after.children_system
                - cpu_before.children_user - cpu_before.children_system) / wall
        print(f"  OCR with {workers} worker(s): {wall / pages:.2f} s/page, Tesseract kept {busy:.2f} cores busy")
    print(f"OCR: {timings[1]:.2f} s/page on 1 process; {timings[cores]:.2f} s/page on {cores} cores "
          f"→ {timings[1] / timings[cores]:.2f}× faster")
    print(f"CER 300 dpi scan (rotated 0.7°, 2% noise), {pages} pages: "
          f"{cer(texts, [result[n].text for n in range(1, pages + 1)]):.2%}")
    extracted = extract_text(path)
    print(f"  through extract_text: {extracted.ocr_pages}/{pages} pages OCR'd, CER "
          f"{cer(texts, [p.text for p in extracted.pages]):.2%}")


DIGIT_FONTS = ["Laksaman", "Garuda", "Loma", "Norasi", "Kinnari", "Umpush", "Sawasdee", "Waree"]
_THAI_NUMBER = re.compile("[\u0e50-\u0e59]{2,}")


def thai_digit_figures(folder: Path) -> None:
    """Numbers of two Thai digits or more on scans, as Tesseract reads them and after the digit reader."""
    import random
    from collections import Counter

    rng = random.Random(11)
    found = {"tesseract": 0, "reader": 0, "confirmed": 0, "wrong_confirmed": 0}
    total = 0
    for font in DIGIT_FONTS:
        for size in (10, 14):
            lines = []
            for _ in range(6):
                year, day = rng.randint(2558, 2570), rng.randint(1, 31)
                lines.append(thai_digits(f"ประจำปีงบประมาณ พ.ศ. {year} ณ วันที่ {day} {rng.choice(MONTHS)} {year - 1}"))
            path = make_scanned_pdf(folder / f"digits-{font}-{size}.pdf", ["\n".join(lines)], font=font, size=size,
                                    seed=rng.randrange(1000), rotate_degrees=rng.uniform(-1, 1), noise=0.01)
            document = pdfium.PdfDocument(str(path))
            page = ocr.despeckle(ocr._render(document, 1, 300))
            document.close()
            image, dpi = ocr.to_reading_size(page, 300)
            text, tsv = ocr._tesseract(image, dpi, 120)
            reread, unconfirmed = reread_digits(text, tsv, page, image.width / page.width)
            truth = Counter(_THAI_NUMBER.findall("\n".join(lines)))
            total += sum(truth.values())
            found["tesseract"] += sum((Counter(_THAI_NUMBER.findall(text)) & truth).values())
            got = Counter(_THAI_NUMBER.findall(reread))
            found["reader"] += sum((got & truth).values())
            confirmed = got - Counter(unconfirmed)  # what the fiscal-year reader trusts
            found["confirmed"] += sum(confirmed.values())
            found["wrong_confirmed"] += sum((confirmed - truth).values())
    print(f"Thai-digit numbers on scans ({len(DIGIT_FONTS)} TLWG fonts at 10 and 14 pt, {total} numbers): "
          f"{found['tesseract'] / total:.1%} read right by Tesseract alone, {found['reader'] / total:.1%} "
          f"with the digit reader; {found['confirmed']} confirmed by it, {found['wrong_confirmed']} of them wrong")


def peak_memory(path: Path) -> None:
    # The child reports two figures. ru_maxrss survives exec on Linux, so it also
    # counts the benchmark's own memory that the child inherited through fork;
    # VmHWM is the peak of the extracting process alone.
    child = (
        "import re, resource, sys; from pathlib import Path; sys.path.insert(0, %r)\n"
        "from intake.extract import extract_text\n"
        "e = extract_text(Path(%r))\n"
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "print(len(e.pages), hwm, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)" % (str(ROOT), str(path))
    )
    out = subprocess.run([sys.executable, "-c", child], check=True, capture_output=True, text=True).stdout
    pages, hwm, maxrss = out.split()
    print(f"peak memory on a {pages}-page PDF: {int(hwm) / 1024:.0f} MB (VmHWM of the child process; "
          f"its ru_maxrss, inflated by the forked parent, says {int(maxrss) / 1024:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="length of the long generated PDF")
    parser.add_argument("--ocr-pages", type=int, default=4, help="scanned pages for the OCR figures")
    args = parser.parse_args()
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        long_pdf = make_text_pdf(folder / "long.pdf", [page_text(n) for n in range(args.pages)])
        print(f"(generated a {args.pages}-page Thai PDF in {time.perf_counter() - started:.1f} s)")
        text_layer_speed(long_pdf, args.pages)
        text_layer_accuracy(folder)
        ocr_figures(folder, args.ocr_pages)
        thai_digit_figures(folder)
        peak_memory(long_pdf)


if __name__ == "__main__":
    main()
