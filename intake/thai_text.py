"""Normalisation and repair of Thai text taken from PDF text layers and OCR.

Repairs, in order of how certain the evidence is:
1. Private Use Area glyph variants (Word's PDF export) → standard Thai code points.
2. Composition and mark order (ำ split into nikhahit + า, tone marks after vowels),
   stray spaces before combining marks.
3. ำ written as a space + า or ำ: the nikhahit glyph of TH Sarabun-era fonts has
   no Unicode mapping, and no Thai word starts with า or ำ.
4. Font-level ำ/า confusion (every ำ read as า, or every า as ำ): decided per
   document by which reading yields real Thai words, then per word.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Literal

from pythainlp.corpus import thai_words
from pythainlp.corpus import tnc
from pythainlp.tokenize import word_tokenize
from pythainlp.util import dict_trie, normalize as pythainlp_normalize

SARA_AA = "\u0e32"
SARA_AM = "\u0e33"

Direction = Literal["am_to_aa", "aa_to_am"]

_SPACED_SARA_AM = re.compile("([\u0e01-\u0e2e][\u0e48-\u0e4b]?) +[\u0e32\u0e33]")
_SPACE_BEFORE_MARK = re.compile("[ \t]+([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\ufeff\ufffe\uffff]")
_THAI_CHAR = re.compile("[\u0e00-\u0e7f]")
_LATIN_WORD = re.compile(r"^[(\[\"']?(?:[A-Z]?[a-z]{1,}|[A-Z]{2,8})[.,:;)\]\"']?$")
_NUMBER = re.compile(r"^[(\[]?[0-9\u0e50-\u0e59][0-9\u0e50-\u0e59.,:/\-–]*[)\].,:]?$")
_ONE_LETTER_WORDS = {"ณ", "ฯ", "ๆ"}
_PUNCTUATION = set("()[]\"'.,:;-–/…“”‘’%+=*•●")

# Quality is judged on a sample: segmentation costs ~1.5 µs a character, and the
# text-layer path must stay fast on long documents.
QUALITY_SAMPLE_CHARS = 1200
DIRECTION_SAMPLE_CHARS = 6000
# A document is judged ำ/า-broken when this share of its words containing the
# vowel only read as Thai once the confusion is undone (clean text: well under 1%).
MIN_BROKEN_SHARE = 0.04
MIN_BROKEN_WORDS = 2


@lru_cache(maxsize=1)
def _pua_table() -> dict[int, str]:
    raw = json.loads(resources.files("intake").joinpath("data/thai_pua.json").read_text("utf-8"))
    return {int(k[2:], 16): chr(int(v[2:], 16)) for k, v in raw["pua_to_thai"].items()}


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    return frozenset(thai_words())


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    return dict(tnc.word_freqs())


def normalize_text(text: str) -> str:
    """Standard Thai code points and mark order, clean whitespace; keeps line breaks."""
    text = text.translate(_pua_table())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACE_BEFORE_MARK.sub(r"\1", text)
    text = pythainlp_normalize(text)
    text = _SPACED_SARA_AM.sub(lambda m: m.group(1) + SARA_AM, text)
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")


def thai_word_share(text: str, sample_chars: int = QUALITY_SAMPLE_CHARS) -> float:
    """Share (0..1) of the letters that read as real words.

    Thai counts when it segments into dictionary words; Latin when it looks like a
    word (not ``Ed)=+``). Digits and ordinary punctuation are neutral: a legacy font's
    junk layer is full of them (``2. -73ก6%``), and so is a clean table of figures.
    Empty text is 0; text of nothing but digits and punctuation is 1.
    """
    sample = _sample(text, sample_chars)
    if not sample.strip():
        return 0.0
    words = dictionary()
    total = readable = 0
    thai_chunks = []
    for chunk in sample.split():
        if _THAI_CHAR.search(chunk):
            thai_chunks.append(chunk)
        elif _NUMBER.match(chunk) or all(ch in _PUNCTUATION for ch in chunk):
            continue
        else:
            letters = _letters(chunk)
            total += letters
            if _LATIN_WORD.match(chunk):
                readable += letters
    # One segmentation call for all Thai chunks: per-call overhead dominates otherwise.
    for token in word_tokenize(" ".join(thai_chunks), engine="newmm", keep_whitespace=False):
        if _NUMBER.match(token) or all(ch in _PUNCTUATION for ch in token):
            continue
        total += len(token)
        # A lone consonant is a "word" in the dictionary but is what
        # legacy-font junk is made of (``#$ก%``).
        if (token in words and len(token) > 1) or token in _ONE_LETTER_WORDS:
            readable += len(token)
    return readable / total if total else 1.0


def _letters(chunk: str) -> int:
    """Characters of a non-Thai chunk that are not digits or ordinary punctuation."""
    return sum(1 for ch in chunk if not ch.isdigit() and ch not in _PUNCTUATION)


def _sample(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # Beginning, middle and end: headers alone can be unrepresentative.
    third = limit // 3
    middle = len(text) // 2
    return " ".join((text[:third], text[middle - third // 2: middle + third // 2], text[-third:]))


@dataclass(frozen=True)
class _Confusion:
    """How a broken font rewrites words, and the way back."""

    direction: Direction
    repairs: dict[str, tuple[str, ...]]  # broken spelling → real words it may stand for

    @property
    def vowel(self) -> str:
        return SARA_AA if self.direction == "am_to_aa" else SARA_AM


def _break(word: str, direction: Direction) -> str:
    return word.replace(SARA_AM, SARA_AA) if direction == "am_to_aa" else word.replace(SARA_AA, SARA_AM)


@lru_cache(maxsize=2)
def _confusion(direction: Direction) -> _Confusion:
    repairs: dict[str, list[str]] = {}
    for word in dictionary():
        broken = _break(word, direction)
        if broken != word:
            repairs.setdefault(broken, []).append(word)
    return _Confusion(direction, {k: tuple(v) for k, v in repairs.items()})


@lru_cache(maxsize=2)
def _confusion_trie(direction: Direction):
    return dict_trie(set(dictionary()) | set(_confusion(direction).repairs))


def _could_be_broken(text: str, direction: Direction) -> bool:
    # Cheap gate before any segmentation: a font that reads every ำ as า leaves
    # almost no ำ; one that reads every า as ำ leaves ำ outnumbering า
    # (in ordinary Thai, า is about eight times as common as ำ).
    am, aa = text.count(SARA_AM), text.count(SARA_AA)
    if direction == "am_to_aa":
        return aa >= 10 and am <= 0.02 * aa
    return am >= 10 and am >= aa


def detect_confusion(text: str) -> Direction | None:
    """Which ำ/า confusion, if any, the text layer of a document suffers from."""
    best: tuple[float, Direction] | None = None
    for direction in ("am_to_aa", "aa_to_am"):
        if not _could_be_broken(text, direction):
            continue
        confusion = _confusion(direction)
        words = dictionary()
        sample = _sample(text, DIRECTION_SAMPLE_CHARS)
        tokens = word_tokenize(sample, engine="newmm", custom_dict=_confusion_trie(direction))
        with_vowel = [t for t in tokens if confusion.vowel in t]
        broken = sum(1 for t in with_vowel if t in confusion.repairs and t not in words)
        share = broken / len(with_vowel) if with_vowel else 0.0
        if broken >= MIN_BROKEN_WORDS and share >= MIN_BROKEN_SHARE and (best is None or share > best[0]):
            best = (share, direction)
    return best[1] if best else None


def undo_confusion(text: str, direction: Direction) -> str:
    """Rewrite each word to the reading that is real Thai (the commoner one if both are)."""
    confusion = _confusion(direction)
    trie = _confusion_trie(direction)
    words = dictionary()
    freq = _frequencies()
    out_lines = []
    for line in text.split("\n"):
        tokens = word_tokenize(line, engine="newmm", custom_dict=trie, keep_whitespace=True)
        fixed = []
        for token in tokens:
            candidates = confusion.repairs.get(token)
            if candidates:
                options = ((token,) if token in words else ()) + candidates
                token = max(options, key=lambda w: (freq.get(w, 0), w in candidates))
            fixed.append(token)
        out_lines.append("".join(fixed))
    return "\n".join(out_lines)


def repair_pages(pages: Iterable[str]) -> list[str]:
    """Normalise every page, then undo a ำ/า confusion judged on the document as a whole."""
    normalised = [normalize_text(page) for page in pages]
    direction = detect_confusion("\n".join(normalised))
    if direction is None:
        return normalised
    return [undo_confusion(page, direction) for page in normalised]


def repair_text(text: str) -> str:
    """``repair_pages`` for a single string (one page, one document)."""
    return repair_pages([text])[0]

