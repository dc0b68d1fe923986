"""Text normalisation shared by the date reader, the hints and the item model."""
from __future__ import annotations

import re

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SPACES = re.compile(r"\s+")


def arabic_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def normalise(text: str) -> str:
    """Arabic digits, single spaces, lower case: what every reader starts from."""
    return _SPACES.sub(" ", arabic_digits(text)).strip().lower()


def compact(text: str) -> str:
    """``normalise`` without any spaces: extraction puts stray spaces inside Thai words
    ("สขร. 1", "การจัด ซื้อ"), so phrase matching ignores them altogether."""
    return _SPACES.sub("", arabic_digits(text)).lower()
