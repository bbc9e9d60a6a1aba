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

__all__ = ["normalize_name", "fold", "CORPORATE_SUFFIXES_EN", "CORPORATE_SUFFIXES_ZH", "name_key", "name_key_full", "key_text",
           "has_legal_form", "distinguishing_suffix"]

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


# --------------------------------------------------------------------------- comparison keys that keep distinguishing tokens

#: Legal forms that do not make a different legal person: dropped from the comparison key (at the end of a name).
LEGAL_FORMS_EN: tuple[tuple[str, ...], ...] = (
    ("company", "limited"), ("co", "limited"), ("co", "ltd"), ("pte", "ltd"), ("pty", "ltd"), ("limited",), ("ltd",), ("inc",),
    ("incorporated",), ("corporation",), ("corp",), ("company",), ("co",), ("plc",), ("llc",), ("lp",), ("llp",), ("sa",), ("ag",),
    ("nv",), ("bv",), ("se",), ("gmbh",), ("kk",), ("spa",), ("ab",), ("oy",), ("as",),
)
LEGAL_FORMS_ZH = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "有限合伙", "普通合伙", "公司")
#: Words that mark a different unit of a group (a group, its holding company, a head office, a branch): kept as marks.
UNITS_EN = {"group": "group", "groups": "group", "holding": "holding", "holdings": "holding", "branch": "branch"}
UNITS_ZH = (("控股集团", ("holding", "group")), ("集团", ("group",)), ("控股", ("holding",)), ("总公司", ("head",)),
            ("分公司", ("branch",)), ("子公司", ("subsidiary",)))
#: Descriptive words dropped at the end of a name (they do not change which company is meant).
DESCRIPTORS_EN: tuple[tuple[str, ...], ...] = (("science", "and", "technology"), ("science", "technology"), ("technologies",), ("technology",), ("tech",), ("intelligent",))
DESCRIPTORS_ZH = ("科技", "技术")
#: Places: a name that carries one is a different entity from the same name with another place or none.
PLACES = {
    "beijing": "北京", "shanghai": "上海", "shenzhen": "深圳", "hangzhou": "杭州", "guangzhou": "广州", "nanjing": "南京",
    "suzhou": "苏州", "hefei": "合肥", "chengdu": "成都", "wuhan": "武汉", "xian": "西安", "tianjin": "天津", "chongqing": "重庆",
    "wuxi": "无锡", "ningbo": "宁波", "xiamen": "厦门", "hongkong": "香港", "changsha": "长沙", "qingdao": "青岛", "zhuhai": "珠海",
    "dalian": "大连", "jinan": "济南", "zhengzhou": "郑州", "shenyang": "沈阳", "fuzhou": "福州", "kunming": "昆明", "dongguan": "东莞",
    "foshan": "佛山", "changzhou": "常州", "xuzhou": "徐州", "nantong": "南通", "shaoxing": "绍兴", "jiaxing": "嘉兴", "yantai": "烟台",
    "macau": "澳门", "macao": "澳门", "taiwan": "台湾", "hubei": "湖北", "guangdong": "广东", "jiangsu": "江苏", "zhejiang": "浙江",
    "anhui": "安徽", "sichuan": "四川", "fujian": "福建", "shandong": "山东", "hunan": "湖南", "henan": "河南", "hebei": "河北",
    "shaanxi": "陕西", "liaoning": "辽宁", "jilin": "吉林", "yunnan": "云南", "guizhou": "贵州", "jiangxi": "江西", "shanxi": "山西",
    "guangxi": "广西", "hainan": "海南", "gansu": "甘肃", "xinjiang": "新疆", "heilongjiang": "黑龙江", "innermongolia": "内蒙古",
    "china": "中国", "singapore": "新加坡", "japan": "日本", "korea": "韩国", "germany": "德国", "america": "美国", "usa": "美国",
    "europe": "欧洲", "ireland": "爱尔兰", "india": "印度", "netherlands": "荷兰", "israel": "以色列", "uk": "英国", "france": "法国",
}
_PLACE_WORDS = {k: k for k in PLACES} | {"xi'an": "xian", "xi an": "xian", "hong kong": "hongkong", "inner mongolia": "innermongolia",
                                         "u s": "usa", "us": "usa"}
_PLACES_ZH = sorted({v: k for k, v in PLACES.items()}.items(), key=lambda kv: -len(kv[0]))
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ZH_NUM = re.compile(r"第?([一二三四五六七八九十]{1,3}|[0-9]{1,4})(期|号|代)")
_BRACKET = re.compile(r"[\(\[【〔]([^\)\]】〕]{0,60})[\)\]】〕]")
_CJK = re.compile(r"[\u3400-\u9fff]")
#: A decimal version number (Qwen2.5, GLM-4.5) is one token: its dot becomes this joiner before punctuation is folded away,
#: so "GLM-4.5" never reads as GLM 4 and 5 (= "GLM-5.4") and "Qwen2.5" never as a numbered "Qwen2".
_JOIN = "\u02d1"
_DECIMAL = re.compile(r"(?<=[0-9])\.(?=[0-9])")
_NUMBER = re.compile("[0-9]+(?:" + _JOIN + "[0-9]+)*")
_GLUED_VERSION = re.compile("([^0-9]*[^0-9" + _JOIN + "])([0-9]+(?:" + _JOIN + "[0-9]+)+)")
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5"}


def _zh_number(text: str) -> str:
    if text.isdigit():
        return text.lstrip("0") or "0"
    if len(text) == 1:
        return str(_ZH_DIGITS[text])
    if text[0] == "十":  # 十一 .. 十九
        return str(10 + _ZH_DIGITS.get(text[1], 0))
    tens = _ZH_DIGITS[text[0]] * 10
    return str(tens + (_ZH_DIGITS.get(text[2], 0) if len(text) > 2 else 0))


def _cjk_part(s: str, marks: set[str]) -> str:
    """The core of a Chinese run, with legal forms dropped and units, numbers and places turned into marks."""
    changed = True
    while changed and s:
        changed = False
        for suf in LEGAL_FORMS_ZH:
            if s.endswith(suf) and len(s) > len(suf):
                s, changed = s[: -len(suf)], True
                marks.add(LEGAL_MARK)
        for suf, units in UNITS_ZH:
            if s.endswith(suf) and len(s) > len(suf):
                s, changed = s[: -len(suf)], True
                marks.update(f"unit:{u}" for u in units)
        for suf in DESCRIPTORS_ZH:
            if s.endswith(suf) and len(s) > len(suf) + 1:
                s, changed = s[: -len(suf)], True
        if s.endswith("股份") and len(s) > 3:
            s, changed = s[:-2], True
    for m in _ZH_NUM.finditer(s):
        marks.add("num:" + _zh_number(m.group(1)))
    s = _ZH_NUM.sub("", s)
    for zh, en in _PLACES_ZH:
        if zh in s and s != zh:
            marks.add("place:" + en)
            s = re.sub(re.escape(zh) + "[市省]?", "", s)
    for m in _NUMBER.finditer(s):
        marks.add("num:" + _number_mark(m.group(0)))
    return _NUMBER.sub("", s)


def _latin_part(words: list[str], marks: set[str]) -> list[str]:
    """The core words of a Latin-script name, with legal forms dropped and units, numbers and places turned into marks."""
    # places (two-word ones first), anywhere
    out: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if i + 1 < len(words) and two in _PLACE_WORDS:
            marks.add("place:" + _PLACE_WORDS[two])
            i += 2
            continue
        if words[i] in _PLACE_WORDS and len(words) > 1:
            marks.add("place:" + _PLACE_WORDS[words[i]])
            i += 1
            continue
        out.append(words[i])
        i += 1
    words = out
    changed = True
    while changed and len(words) > 1:
        changed = False
        for form in LEGAL_FORMS_EN:
            if len(words) > len(form) and tuple(words[-len(form):]) == form:
                words, changed = words[: -len(form)], True
                marks.add(LEGAL_MARK)
        if len(words) > 1 and words[-1] in UNITS_EN:
            marks.add("unit:" + UNITS_EN[words[-1]])
            words, changed = words[:-1], True
        for form in DESCRIPTORS_EN:
            if len(words) > len(form) and tuple(words[-len(form):]) == form:
                words, changed = words[: -len(form)], True
    core = []
    for n, w in enumerate(words):
        if _NUMBER.fullmatch(w):
            marks.add("num:" + _number_mark(w))
        elif v := _GLUED_VERSION.fullmatch(w):  # "Qwen2.5" reads as "Qwen 2.5"
            core.append(v.group(1))
            marks.add("num:" + _number_mark(v.group(2)))
        elif w in _ROMAN and n > 0:
            marks.add("num:" + _ROMAN[w])
        elif w in _ORDINALS and n + 1 < len(words) and words[n + 1] == "phase":
            marks.add("num:" + _ORDINALS[w])
        elif w in ("phase", "the", "and") and len(words) > 1:
            continue
        else:
            core.append(w)
    return core


LEGAL_MARK = "form:legal"


def _number_mark(token: str) -> str:
    """The mark text of a number token: leading zeros dropped, a version's joiner shown as a dot ("2.5")."""
    return ".".join(part.lstrip("0") or "0" for part in token.split(_JOIN))


def has_legal_form(text: str) -> bool:
    """True when the name ends in a legal form (Limited, Co., Ltd., Inc., 有限公司...): it names one legal person.

    >>> has_legal_form("China Mobile Limited"), has_legal_form("China Mobile")
    (True, False)
    """
    return name_key_full(text)[2]


def name_key(text: str) -> tuple[str, frozenset[str]]:
    """(core, marks) of :func:`name_key_full`, without the legal-form flag."""
    core, marks, _ = name_key_full(text)
    return core, marks


def name_key_full(text: str) -> tuple[str, frozenset[str], bool]:
    """The comparison key of a name: (core, marks). Two names can be the same entity only when both are equal.

    The core is the name folded, without legal forms (Co., Ltd., 有限公司, 股份有限公司...) and
    descriptive endings (Technology, 科技). Marks are the tokens that tell entities apart and must
    agree: places (Shanghai, 上海, "(Wuxi)"), numbers and phases (II, 二期, Phase 2), units of a group
    (Group, Holdings, 集团, 控股, branch), and any other bracketed part.

    >>> name_key("Hua Hong Semiconductor (Wuxi) Limited")
    ('huahongsemiconductor', frozenset({'place:wuxi'}))
    >>> name_key("华虹半导体(无锡)有限公司")
    ('华虹半导体', frozenset({'place:wuxi'}))
    >>> name_key("国家集成电路产业投资基金二期股份有限公司")
    ('国家集成电路产业投资基金', frozenset({'num:2'}))
    >>> name_key("Alibaba Group Holding Ltd.") == name_key("ALIBABA GROUP HOLDING LIMITED")
    True
    >>> name_key_full("Baidu, Inc.")
    ('baidu', frozenset(), True)
    >>> name_key("GLM-4.5") == name_key("GLM-5.4"), name_key("GLM-4.5")[1]
    (False, frozenset({'num:4.5'}))
    """
    t = _DECIMAL.sub(_JOIN, unicodedata.normalize("NFKC", str(text)).casefold())
    marks: set[str] = set()
    for m in _BRACKET.finditer(t):
        inner = fold(m.group(1))
        if not inner:
            continue
        place = _PLACE_WORDS.get(inner) or dict(_PLACES_ZH).get(inner.rstrip("市省"))
        if place:
            marks.add("place:" + place)
            continue
        units = UNITS_EN.get(inner) or dict(UNITS_ZH).get(inner)
        if units:  # "(Group)", "(集团)"
            marks.update(f"unit:{u}" for u in ((units,) if isinstance(units, str) else units))
            continue
        sub: set[str] = set()
        rest = _key_of(inner, sub)
        if inner in ("limited", "ltd", "有限合伙", "普通合伙") or (not rest and sub):
            marks |= sub | {LEGAL_MARK}
        elif rest in ("", ) and not sub:
            continue
        else:
            marks |= sub
            if rest:
                marks.add("part:" + rest)
    t = _BRACKET.sub(" ", t)
    core = _key_of(fold(t), marks)
    legal = LEGAL_MARK in marks
    marks.discard(LEGAL_MARK)
    if not core:  # the name is only a place or a number ("Beijing"): compare it whole
        return fold(t).replace(" ", ""), frozenset(), legal
    return core, frozenset(marks), legal


def _key_of(folded: str, marks: set[str]) -> str:
    words: list[str] = []
    for w in folded.split():  # Chinese runs split by a removed bracket belong together: 摩尔线程智能科技 股份有限公司
        if words and _CJK.search(w[:1]) and _CJK.search(words[-1][-1:]):
            words[-1] += w
        else:
            words.append(w)
    core: list[str] = []
    latin: list[str] = []
    for w in words:
        if _CJK.search(w):
            if latin:
                core.extend(_latin_part(latin, marks))
                latin = []
            core.append(_cjk_part(w, marks))
        else:
            latin.append(w)
    if latin:
        core.extend(_latin_part(latin, marks))
    return "".join(core)


def key_text(key: tuple[str, frozenset[str]]) -> str:
    """A key as one string (index it in a dict).

    >>> key_text(name_key("Big Fund II"))
    'bigfund|num:2'
    """
    return key[0] + "|" + ",".join(sorted(key[1]))


_TRAILING = re.compile(
    r"\s*(?:"
    r"[\(（][^\)）]{1,30}[\)）]"  # a bracketed part: (Wuxi), （北京）, (Phase II)
    r"|,?\s*(?:phase|series|fund|no\.?)\s+(?:[0-9]{1,3}|i{1,3}|iv|vi{0,3}|ix|x)\b"  # Phase II, Fund 2
    r"|\s(?:i{1,3}|iv|vi{0,3}|ix|x|[0-9]{1,3})\b(?![-./][0-9])"  # a bare numeral after the name: Big Fund III
    r"|第?[一二三四五六七八九十0-9]{1,3}[期号代]"  # 二期, 第三期
    r")",
    re.IGNORECASE,
)


def distinguishing_suffix(text: str, end: int) -> int:
    """Where a name mentioned at ``text[:end]`` really ends: after any phase, number or bracketed part that follows it.

    A text scanner that finds "National Integrated Circuit Industry Investment Fund" must resolve the
    whole "… Fund Phase II": the words after a name can make it another entity.

    >>> t = "The National Integrated Circuit Industry Investment Fund Phase II invested in MetaX"
    >>> end = t.index(" Phase")
    >>> t[:distinguishing_suffix(t, end)]
    'The National Integrated Circuit Industry Investment Fund Phase II'
    >>> t = "华虹半导体（无锡）有限公司宣布"
    >>> t[:distinguishing_suffix(t, 5)]
    '华虹半导体（无锡）'
    >>> distinguishing_suffix("Big Fund invested in 2024.", 8)
    8
    """
    pos = end
    while True:
        m = _TRAILING.match(text, pos)
        if not m or m.end() == pos:
            return pos
        pos = m.end()
