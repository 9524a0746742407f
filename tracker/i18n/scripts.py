"""The script a text is written in, the language that implies, and the direction it runs.

A programme's `language` says what its data is written in. A text in another script (an
Arabic quotation in an English programme, a Japanese source title) is detected by its letters:
the script most of its letters belong to, when that is not the script of the data language,
gives the text its own language (the most usual language of that script) so that the report
marks it with its own `lang` and draws it with the face for that language. Han characters
tell Simplified from Traditional Chinese by characters that exist in only one of the two.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Optional

LATIN, GREEK, CYRILLIC, ARABIC, HEBREW, DEVANAGARI, THAI, HAN, KANA, HANGUL, OTHER_RTL = (
    "Latn", "Grek", "Cyrl", "Arab", "Hebr", "Deva", "Thai", "Hani", "Kana", "Hang", "Rtl")

#: (first, last, script) for the blocks that matter here; letters elsewhere count as Latin
#: when unicodedata calls them LATIN, else they are not counted.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, GREEK), (0x1F00, 0x1FFF, GREEK),
    (0x0400, 0x052F, CYRILLIC), (0x1C80, 0x1C8F, CYRILLIC), (0x2DE0, 0x2DFF, CYRILLIC), (0xA640, 0xA69F, CYRILLIC),
    (0x0590, 0x05FF, HEBREW), (0xFB1D, 0xFB4F, HEBREW),
    (0x0600, 0x06FF, ARABIC), (0x0750, 0x077F, ARABIC), (0x0870, 0x08FF, ARABIC),
    (0xFB50, 0xFDFF, ARABIC), (0xFE70, 0xFEFF, ARABIC),
    (0x0700, 0x07BF, OTHER_RTL), (0x07C0, 0x085F, OTHER_RTL),
    (0x0900, 0x097F, DEVANAGARI), (0xA8E0, 0xA8FF, DEVANAGARI),
    (0x0E00, 0x0E7F, THAI),
    (0x1100, 0x11FF, HANGUL), (0x3130, 0x318F, HANGUL), (0xA960, 0xA97F, HANGUL),
    (0xAC00, 0xD7FF, HANGUL),
    (0x3040, 0x30FF, KANA), (0x31F0, 0x31FF, KANA), (0xFF66, 0xFF9F, KANA),
    (0x2E80, 0x2FDF, HAN), (0x3400, 0x4DBF, HAN), (0x4E00, 0x9FFF, HAN), (0xF900, 0xFAFF, HAN),
    (0x20000, 0x3134F, HAN),
)
RTL_SCRIPTS = frozenset({ARABIC, HEBREW, OTHER_RTL})

#: The language a text in a script is taken to be in, when it is not the data language's.
SCRIPT_LANGUAGE = {GREEK: "el", CYRILLIC: "ru", ARABIC: "ar", HEBREW: "he", DEVANAGARI: "hi",
                   THAI: "th", KANA: "ja", HANGUL: "ko"}

#: The script each language is written in, for languages not written in Latin letters.
LANGUAGE_SCRIPT = {
    "el": GREEK, "ru": CYRILLIC, "uk": CYRILLIC, "bg": CYRILLIC, "sr": CYRILLIC, "mk": CYRILLIC,
    "be": CYRILLIC, "kk": CYRILLIC, "ky": CYRILLIC, "mn": CYRILLIC, "tg": CYRILLIC,
    "ar": ARABIC, "fa": ARABIC, "ur": ARABIC, "ps": ARABIC, "ug": ARABIC, "sd": ARABIC, "ckb": ARABIC,
    "he": HEBREW, "yi": HEBREW, "hi": DEVANAGARI, "mr": DEVANAGARI, "ne": DEVANAGARI, "sa": DEVANAGARI,
    "th": THAI, "zh": HAN, "ja": KANA, "ko": HANGUL,
}

# Frequent characters written differently in the two Chinese scripts (each list holds only
# characters of its own script): enough to tell a sentence's script.
_SIMPLIFIED = frozenset("们个来时说国学会对发经过还这为开关点头实体当动现长东门问题区见车书读语话钱听买卖电视号双万岁后"
                        "从应变写觉亲爱乐网络数据丝绸带务产业资讯华际条联协议贸设备础施数码进这达术边疆两"
                        "义产让认识谁该观议记论设证评试询该种习节约组织级线练维综缆")
_TRADITIONAL = frozenset("們個來時說國學會對發經過還這為開關點頭實體當動現長東門問題區見車書讀語話錢聽買賣電視號雙萬歲後"
                         "從應變寫覺親愛樂網絡數據絲綢帶務產業資訊華際條聯協議貿設備礎施數碼進這達術邊疆兩"
                         "義產讓認識誰該觀議記論設證評試詢該種習節約組織級線練維綜纜")
_SIMPLIFIED, _TRADITIONAL = _SIMPLIFIED - _TRADITIONAL, _TRADITIONAL - _SIMPLIFIED  # the same in both: neither


def script_of(char: str) -> Optional[str]:
    """The script of one character when it is a letter (or a mark, digit of a script); else None."""
    code = ord(char)
    for first, last, script in _RANGES:
        if first <= code <= last:
            return script if unicodedata.category(char)[0] in "LMN" else None
    if unicodedata.category(char)[0] == "L" and "LATIN" in unicodedata.name(char, ""):
        return LATIN
    return None


def scripts(text: str) -> Counter[str]:
    """How many characters of each script `text` holds."""
    return Counter(s for s in map(script_of, text) if s is not None)


def chinese_script(text: str) -> str:
    """zh-Hant when `text` holds more Traditional-only than Simplified-only characters, else zh-Hans."""
    simplified = sum(ch in _SIMPLIFIED for ch in text)
    traditional = sum(ch in _TRADITIONAL for ch in text)
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def base(tag: str) -> str:
    """The language subtag of a BCP 47 tag: zh-Hans -> zh."""
    return tag.split("-", 1)[0].lower()


def script_of_language(tag: str) -> str:
    parts = tag.split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return HAN if part.title() in ("Hans", "Hant") else part.title()
    return LANGUAGE_SCRIPT.get(base(tag), LATIN)


@lru_cache(maxsize=4096)
def language_of(text: str, default: str) -> str:
    """The language `text` is in: `default` (the data's language) unless most of its letters are
    in another script, whose usual language it then is (Han: zh-Hans or zh-Hant; any kana: ja)."""
    counts = scripts(text)
    if not counts:
        return default
    own = script_of_language(default)
    if own == KANA:
        own_count = counts[KANA] + counts[HAN]
    else:
        own_count = counts[own]
    script, count = counts.most_common(1)[0]
    if script == own or count <= own_count:
        return default
    if script in (HAN, KANA):
        if counts[KANA]:
            return "ja"
        if base(default) == "zh":
            return default
        return chinese_script(text)
    if script == OTHER_RTL:
        return default
    if base(default) in LANGUAGE_SCRIPT and LANGUAGE_SCRIPT[base(default)] == script:
        return default
    return SCRIPT_LANGUAGE.get(script, default)


def direction(text: str) -> str:
    """rtl when the first strong character is right-to-left (HTML's dir=auto rule), else ltr."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def is_rtl_language(tag: str) -> bool:
    return script_of_language(tag) in RTL_SCRIPTS
