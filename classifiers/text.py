"""Text normalisation shared by the date reader, the hints and the item model."""
from __future__ import annotations

import re

_THAI_DIGITS = tuple(zip("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
_SPACES = re.compile(r"\s+")
# PDF text layers often split sara am into nikhahit + sara aa ("ทํา" for "ทำ").
_SARA_AM = re.compile("\u0e4d\\s?\u0e32")


def repair(text: str) -> str:
    return _SARA_AM.sub("\u0e33", arabic_digits(text))


def arabic_digits(text: str) -> str:
    # Ten replaces: str.translate looks every character up in a dict, 80 times slower
    # on Thai text, and this runs on every page the model reads.
    for thai, arabic in _THAI_DIGITS:
        if thai in text:
            text = text.replace(thai, arabic)
    return text


def thai_digits(text: str) -> str:
    """The same text written with Thai digits, as many agencies write their numbers."""
    for thai, arabic in _THAI_DIGITS:
        if arabic in text:
            text = text.replace(arabic, thai)
    return text


def normalise(text: str) -> str:
    """Arabic digits, single spaces, lower case: what every reader starts from."""
    return _SPACES.sub(" ", repair(text)).strip().lower()


def compact(text: str) -> str:
    """``normalise`` without any spaces: extraction puts stray spaces inside Thai words
    ("สขร. 1", "การจัด ซื้อ"), so phrase matching ignores them altogether."""
    return _SPACES.sub("", repair(text)).lower()
