"""Build the Thai-digit glyph reader used on scans: ``python -m models.build_thai_digits``.

Glyphs are rendered from every installed TLWG font file (Debian's fonts-thai-tlwg, the
free Thai fonts; Laksaman is the free release of TH Sarabun, the government's font) at
8 to 22 pt on a 300 dpi page, rotated, speckled and cleaned the way scanned pages are,
and cut into glyphs by the same code that reads pages. Thai letters, Latin letters,
Arabic digits and punctuation are rendered too, as "not a Thai digit". Reproducible:
a fixed seed. Before the final fit, each font family is held out in turn and read by a
model trained on the others: how the reader does on a font it never saw.
Writes ``thai_digits.joblib`` and ``thai_digits.json`` next to this file.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from intake.ocr import despeckle
from intake.thai_digits import DIGITS, NOT_DIGIT, ThaiDigitReader, glyph_features, glyphs

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
SEED = 2565
STRIPS_PER_FONT_FILE = 260
DPI = 300
OTHER_GLYPHS = ("กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะาเแโใไๆฯ"
                "0123456789ABCDEFGHKMNOPRSTUVWXYZabcdeghkmnopqrsuvwxyz/()-%")


def _degraded(strip: Image.Image, rng: random.Random, np_rng: np.random.Generator) -> Image.Image:
    gray = strip.rotate(rng.uniform(-1.2, 1.2), resample=Image.BICUBIC, expand=True, fillcolor=255)
    pixels = np.array(gray)
    flips = np_rng.random(pixels.shape) < rng.uniform(0.0, 0.02)
    pixels[flips] = np_rng.choice(np.array([0, 255], dtype=np.uint8), size=int(flips.sum()))
    return despeckle(Image.fromarray(pixels))


def render(text: str, font: ImageFont.FreeTypeFont, pad: int = 12) -> Image.Image:
    """``text`` in black on a white strip just large enough for it."""
    left, top, right, bottom = font.getbbox(text)
    strip = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 255)
    ImageDraw.Draw(strip).text((pad - left, pad - top), text, font=font, fill=0)
    return strip


def _samples(font_file: Path, count: int, rng: random.Random) -> tuple[list[np.ndarray], list[str]]:
    np_rng = np.random.default_rng(rng.randrange(1 << 30))
    features, labels = [], []
    for _ in range(count):
        points = rng.uniform(8, 22)
        font = ImageFont.truetype(str(font_file), size=max(8, round(points * DPI / 72)))
        if rng.random() < 0.75:
            text = "".join(rng.choice(DIGITS) for _ in range(rng.randint(1, 5)))
        else:
            text = "".join(rng.choice(OTHER_GLYPHS) for _ in range(rng.randint(1, 4)))
        found = glyphs(np.asarray(_degraded(render(text, font), rng, np_rng)) < 128)
        if len(found) != len(text):
            continue  # glyphs that touch or fall apart: no clean labels
        for glyph, char in zip(found, text):
            features.append(glyph_features(glyph.image))
            labels.append(char if char in DIGITS else NOT_DIGIT)
    return features, labels


def _family(font_file: Path) -> str:
    return font_file.stem.split("-")[0]


def _classifier(seed: int):
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(128,), alpha=1e-4, max_iter=60, early_stopping=True,
                         random_state=seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, default=HERE, help="directory to write the reader to (default: models/)")
    parser.add_argument("--skip-held-out", action="store_true", help="skip the per-family held-out check")
    parser.add_argument("--strips", type=int, default=STRIPS_PER_FONT_FILE,
                        help="strips of glyphs rendered per font file (fewer: a quick, weaker reader)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    font_files = sorted(FONT_DIR.glob("*.ttf"))
    if not font_files:
        print(f"no fonts in {FONT_DIR}: install Debian's fonts-thai-tlwg", file=sys.stderr)
        return 2
    rng = random.Random(SEED)
    X, y, family = [], [], []
    for font_file in font_files:
        features, labels = _samples(font_file, args.strips, rng)
        X += features
        y += labels
        family += [_family(font_file)] * len(labels)
    X, y, family = np.stack(X), np.array(y), np.array(family)
    print(f"{len(y)} glyphs from {len(font_files)} font files in {time.perf_counter() - started:.0f} s")

    held_out = {}
    if not args.skip_held_out:
        digit = np.isin(y, list(DIGITS))
        for name in sorted(set(family)):
            test = family == name
            model = _classifier(SEED).fit(X[~test], y[~test])
            proba = model.predict_proba(X[test & digit])
            best = proba.argmax(axis=1)
            sure = proba[np.arange(len(best)), best] >= 0.9
            right = model.classes_[best] == y[test & digit]
            held_out[name] = {"digits": int(len(best)), "accuracy": round(float(right.mean()), 4),
                              "read": round(float(sure.mean()), 4),
                              "accuracy_of_read": round(float(right[sure].mean()), 4) if sure.any() else None}
            print(f"  held out {name:<15} digits right {right.mean():.4f}; "
                  f"sure of {sure.mean():.4f}, right on those {right[sure].mean():.4f}")
    model = _classifier(SEED).fit(X, y)
    reader = ThaiDigitReader(model, {
        "command": "python -m models.build_thai_digits",
        "seed": SEED,
        "strips_per_font_file": args.strips,
        "fonts": sorted(set(family)),
        "font_files": len(font_files),
        "glyphs": int(len(y)),
        "held_out_family": held_out,
        "libraries": {name: version(name) for name in ("scikit-learn", "numpy", "pillow")},
        "seconds": round(time.perf_counter() - started, 1),
    })
    args.into.mkdir(parents=True, exist_ok=True)
    reader.save(args.into / "thai_digits.joblib")
    (args.into / "thai_digits.json").write_text(json.dumps(reader.metadata, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
    print(f"wrote {args.into / 'thai_digits.joblib'} in {reader.metadata['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
