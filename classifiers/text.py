"""Text normalisation shared by the date reader, the hints and the item model."""
from __future__ import annotations

import re

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SPACES = re.compile(r"\s+")
# PDF text layers often split sara am into nikhahit + sara aa ("ทํา" for "ทำ").
_SARA_AM = re.compile("\u0e4d\\s?\u0e32")


def repair(text: str) -> str:
    return _SARA_AM.sub("\u0e33", text.translate(_THAI_DIGITS))


def arabic_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def normalise(text: str) -> str:
    """Arabic digits, single spaces, lower case: what every reader starts from."""
    return _SPACES.sub(" ", repair(text)).strip().lower()


def compact(text: str) -> str:
    """``normalise`` without any spaces: extraction puts stray spaces inside Thai words
    ("สขร. 1", "การจัด ซื้อ"), so phrase matching ignores them altogether."""
    return _SPACES.sub("", repair(text)).lower()
