"""Name normalisation shared by graph look-ups and entity resolution.

>>> normalize_name("Alibaba Group Holding Ltd.")
'alibaba'
>>> normalize_name("中芯国际集成电路制造有限公司") == normalize_name("中芯国际集成电路制造")
True
>>> normalize_name("ＡＢＣ　Ｔｅｃｈ")
'abc'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_name", "fold", "CORPORATE_SUFFIXES_EN", "CORPORATE_SUFFIXES_ZH"]

# Stripped from the end of a name, repeatedly, longest first.
CORPORATE_SUFFIXES_EN = (
    "company limited", "co ltd", "co limited", "limited", "ltd", "inc", "incorporated", "corporation", "corp", "company", "co",
    "group holding", "group holdings", "holdings", "holding", "group", "plc", "llc", "lp", "sa", "ag", "nv", "se", "gmbh",
    "technologies", "technology", "tech", "intelligent", "science and technology",
)
CORPORATE_SUFFIXES_ZH = (
    "股份有限公司", "有限责任公司", "有限公司", "集团股份", "控股集团", "集团", "控股", "公司", "科技", "技术",
)
_PUNCT = re.compile(r"[\s\.,;:'\"()\[\]{}!?/\\&+\-_·•、，。（）《》“”‘’]+")


def fold(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, punctuation turned into single spaces.

    >>> fold("Moore-Threads  Ｃｏ.")
    'moore threads co'
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT.sub(" ", t).strip()


def normalize_name(text: str) -> str:
    """The comparison key of a name: folded, corporate suffixes removed, spaces dropped."""
    t = fold(text)
    changed = True
    while changed and t:
        changed = False
        for suf in CORPORATE_SUFFIXES_EN:
            if t.endswith(" " + suf):
                t = t[: -len(suf) - 1].strip()
                changed = True
        for suf in CORPORATE_SUFFIXES_ZH:
            if t.endswith(suf) and len(t) > len(suf) + 1:
                t = t[: -len(suf)].strip()
                changed = True
    return t.replace(" ", "")
