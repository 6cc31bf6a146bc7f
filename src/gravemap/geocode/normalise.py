"""Name normalisation: the keys that make spellings of one place name agree.

Exact keys (`normalize_name`), a phonetic key folding the usual transliteration variants
(`phonetic_key`), looser keys trusted less (`loose_key`, `vowel_key`), and the parsing of a query
into a name and a province (`split_query`) with the shorter forms to try (`_rewrites`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from gravemap.text import ascii_digits, fold_persian_letters

#: The keys of this many names are kept: a query's words are keyed again and again as the
#: matcher tries its parts.
_KEY_CACHE = 16_384

# Bidi controls, ZWNJ/ZWJ, BOM, Arabic tatweel, soft hyphen: invisible, never part of a name.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad\u0640]")
# Harakat, superscript alef, Quranic annotation marks.
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")
# Letter forms beyond `gravemap.text.fold_persian_letters` (which folds the Arabic yeh, kaf and
# heh forms): Kurdish/Urdu yeh, kaf and heh forms, alef and waw with hamza, the hamza itself.
# Only names are compared this coarsely; text shown to people keeps these letters.
_NAME_FOLD = str.maketrans(
    {
        "ئ": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی", "ڪ": "ک", "ە": "ه", "ۂ": "ه", "ۃ": "ه",
        "أ": "ا", "إ": "ا", "ٱ": "ا", "آ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ؤ": "و", "ۇ": "و", "ۆ": "و", "ۈ": "و", "ۋ": "و",
        "ء": None, "ٔ": None,
    }
)  # fmt: skip
# Persian letters that sound alike and are confused in writing: one key for each sound.
_PERSIAN_SOUND = str.maketrans(
    {"ث": "س", "ص": "س", "ذ": "ز", "ض": "ز", "ظ": "ز", "ط": "ت", "ح": "ه", "غ": "ق", "ع": "ا"}
)
# Latin letters NFKD does not take apart.
_LATIN_FOLD = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
     # the scholarly transliteration's single letters for sh, ch, zh, gh, kh: "Xorramšahr"
     "š": "sh", "č": "ch", "ž": "zh", "ǧ": "gh", "ġ": "gh", "ḫ": "kh", "ḵ": "kh", "ẖ": "kh"}
)  # fmt: skip
# Apostrophes and the marks used for ayn and hamza in transliteration: dropped, not spaces.
_APOSTROPHES = re.compile("['\u2018\u2019\u02bb\u02bc\u02bd\u02be\u02bf\u0060\u00b4\u2032]")
_PUNCTUATION = re.compile(r"[\W_]+")


def is_arabic_script(text: str) -> bool:
    """Whether `text` contains Arabic-script letters (Persian, Arabic, Kurdish...)."""
    return bool(_ARABIC_LETTER.search(text))


def normalize_persian(text: str) -> str:
    """Persian/Arabic-script text folded to one spelling: the key exact lookup uses.

    NFKC (presentation forms), Arabic yeh/kaf and heh forms to Persian, alef and waw with hamza
    to plain letters, no vowel marks, tatweel, ZWNJ, bidi marks, spaces or punctuation, and
    Persian/Arabic-Indic digits as ASCII. "خرم‌آباد", "خرم آباد" and "خرمآباد" give one key.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_DIACRITICS.sub("", text)
    text = ascii_digits(fold_persian_letters(text)).translate(_NAME_FOLD).casefold()
    return _PUNCTUATION.sub("", text)


def _latin_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).casefold().translate(_LATIN_FOLD)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text)
    return [w for w in _PUNCTUATION.split(text) if w]


def normalize_latin(text: str) -> str:
    """A Latin-script name folded for exact lookup: no accents, case, apostrophes, spaces, hyphens.

    "Ahvāz" → "ahvaz", "Qā’em Shahr" → "qaemshahr", "Bandar-e Anzalī" → "bandareanzali".
    """
    return "".join(_latin_words(text))


@lru_cache(maxsize=_KEY_CACHE)
def normalize_name(text: str) -> str:
    """The exact-lookup key of a name in either script."""
    if is_arabic_script(text):
        key = normalize_persian(text)
        # Arabic-script marks around Latin letters ("À\ufdc8"): the Latin key, so the key of
        # a key is itself.
        return key if is_arabic_script(key) else normalize_latin(key)
    return normalize_latin(text)


_EZAFE = frozenset({"e", "ye", "i", "yi", "ie", "ee"})
_LATIN_DIGRAPHS = (
    ("kh", "x"), ("gh", "q"), ("sh", "S"), ("ch", "C"), ("zh", "J"), ("dj", "j"),
    ("ph", "f"), ("th", "t"), ("dh", "z"), ("ou", "u"), ("oo", "u"), ("ow", "o"),
    ("ee", "i"), ("aa", "a"), ("ei", "i"), ("ey", "i"), ("w", "v"), ("k", "q"), ("c", "q"),
)  # fmt: skip
# German and French spellings of one Persian sound, folded before the digraphs: "Zandschan",
# "Meschhed", "Tschabahar", "Tchabahar".
_LATIN_TRIGRAPHS = (("tsch", "ch"), ("dsch", "j"), ("sch", "sh"), ("tch", "ch"))
_LATIN_VOWELS = str.maketrans({"e": "i", "y": "i", "o": "u"})
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=_KEY_CACHE)
def phonetic_key(text: str) -> str:
    """A key that folds the usual variation in spelling one Persian name, in either script.

    Latin: ezafe (``-e``, ``-ye``) and spaces dropped, kh/x, gh/q/k, w/v, ou/oo/u, the vowels e/i/y
    and o/u merged, double letters single, a final -eh like -e: "Ghazvin", "Qazvin", "Kazvin" agree,
    as do "Orumiyeh"/"Orumieh", "Shahr-e Kord"/"Shahrekord". Persian: letters that sound alike
    (ث س ص, ذ ز ض ظ, ت ط, ح ه, غ ق) merged. Coarser than `normalize_name`, so it is trusted less.
    """
    if is_arabic_script(text):
        key = normalize_persian(text).translate(_PERSIAN_SOUND)
        return _REPEATS.sub(r"\1", key)
    words = _latin_words(text)
    if len(words) > 1:
        words = [w for w in words if w not in _EZAFE] or words
    key = "".join(words)
    key = key.replace("ye", "e") if key.endswith("iye") or key.endswith("iyeh") else key
    for a, b in _LATIN_TRIGRAPHS:
        key = key.replace(a, b)
    for a, b in _LATIN_DIGRAPHS:
        key = key.replace(a, b)
    key = key.translate(_LATIN_VOWELS)
    key = key.replace("Sh", "S")  # "Mashhad" and "Mashad"
    key = _REPEATS.sub(r"\1", key)
    if len(key) > 3 and key.endswith("h") and key[-2] in "aiu":
        key = key[:-1]  # "-eh" as "-e": Maragheh / Maraghe
    return _REPEATS.sub(r"\1", key)


# Persian letters an Arabic keyboard lacks, as Arabic typists write them: پ چ ژ گ as ب ج ز ک.
_ARABIC_KEYBOARD = str.maketrans({"پ": "ب", "چ": "ج", "ژ": "ز", "گ": "ک"})
_LOOSE_LATIN_VOWEL = re.compile("u(?=[ai])")
#: Shorter loose (vowel) keys are not looked up: too many names share them.
_LOOSE_MIN_LENGTH = 4
_VOWEL_MIN_LENGTH = 5


@lru_cache(maxsize=_KEY_CACHE)
def loose_key(text: str) -> str:
    """A coarser key than `phonetic_key`, for the spellings it still tells apart. Trusted less.

    Latin: g and q ("Gorveh" for Qorveh), French ch and sh ("Chouchtar", "Bouchir", "Recht"),
    every h ("Piranshar", "Bouchir") and French "ou" before a vowel as v ("Ahouaz"). Arabic
    script: the Arabic keyboard's letters for پ چ ژ گ, and a leading article ال ("المحمرة").
    """
    key = phonetic_key(text)
    if is_arabic_script(key):
        key = key.translate(_ARABIC_KEYBOARD)
        if key.startswith("ال") and len(key) >= 5:
            key = key[2:]
        return key
    key = _LOOSE_LATIN_VOWEL.sub("v", key)
    key = key.replace("g", "q").replace("C", "S").replace("h", "")
    return _REPEATS.sub(r"\1", key)


@lru_cache(maxsize=_KEY_CACHE)
def vowel_key(text: str) -> str:
    """`loose_key` with the short vowels a, e and i as one: "Tekab"/Takab, "Nehavand"/Nahavand,
    "Maragha"/Maragheh. Latin only ("" for Arabic script); trusted only for big towns, since
    "river" is also Ravar and "Evin" Eyvan.
    """
    if is_arabic_script(text):
        return ""
    return _REPEATS.sub(r"\1", loose_key(text).replace("i", "a"))


# --------------------------------------------------------------------------- query parsing

# Commas in any script, semicolons, a colon ("Fuman: riverside plot") and a dash between spaces
# ("Yazd – Zoroastrian cemetery"; a hyphen inside a name, "Bandar-e Anzali", has none).
_COMMAS = re.compile("[,\u060c\u066b\u066c\uff0c;؛:]|\\s[-\u2013\u2014]+\\s")
_COUNTRY_WORDS = frozenset(
    {"iran", "ir", "islamicrepublicofiran", "persia", "ایران", "جمهوریاسلامیایران"}
)
# Words that wrap a place name in reports but are not part of it ("city of Tabriz", "شهر اهواز").
_WRAPPER_WORDS = frozenset({"city", "town", "village", "of", "the", "in", "near", "county", "holy"})
_PERSIAN_WRAPPERS = ("شهرستان ", "شهر ", "روستای ", "روستا ")


def split_query(query: str) -> tuple[str, str | None]:
    """``"Qorveh, Kurdistan"`` → ``("Qorveh", "Kurdistan")``; the Arabic comma works too.

    Only the last comma splits, and a country name after it ("Tehran, Iran") is dropped.
    """
    parts = [p.strip() for p in _COMMAS.split(query)]
    parts = [p for p in parts if p]
    while len(parts) > 1 and normalize_name(parts[-1]) in _COUNTRY_WORDS:
        parts.pop()
    if not parts:
        return "", None
    if len(parts) == 1:
        return parts[0], None
    return " ".join(parts[:-1]), parts[-1]


def _unwrapped(name: str) -> str | None:
    """`name` without "city of"/"شهر"-like wrapping words, or None if there were none."""
    if is_arabic_script(name):
        stripped = name.strip()
        for prefix in _PERSIAN_WRAPPERS:
            if stripped.startswith(prefix) and len(stripped) > len(prefix) + 1:
                return stripped[len(prefix) :]
        return None
    words = name.split()
    kept = [w for w in words if w.casefold().strip(".") not in _WRAPPER_WORDS]
    if kept and len(kept) < len(words):
        return " ".join(kept)
    return None


_LATIN_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2013_]+")
# Words of praise after a city's name: "Mashhad-e Moqaddas", "Mashhad al-Muqaddasa", "مشهد مقدس",
# "قم المقدسة" (holy), "-e Sharif" (noble). Compared by `loose_key`, so Moghaddas, Mogaddas,
# Muqaddasah and Moqaddaseh are one word.
_EPITHETS_LATIN = ("moqaddas", "moqaddasa", "moqaddaseh", "sharif", "sharifa", "sharifeh")
_EPITHETS_PERSIAN = frozenset({"مقدس", "مقدسه", "المقدس", "المقدسه", "شریف", "الشریف", "شریفه"})
# The Arabic article as Latin transliterations write it, assimilated or not: "Al-Muhammarah",
# "ol-", "ash-Sharqiyah".
_ARTICLES = frozenset({"al", "el", "ol", "ul", "ad", "an", "ar", "as", "ash", "at", "az"})


@lru_cache(maxsize=1)
def _epithet_keys() -> frozenset[str]:
    return frozenset(loose_key(w) for w in _EPITHETS_LATIN)


def _is_epithet(word: str) -> bool:
    if is_arabic_script(word):
        return normalize_persian(word) in _EPITHETS_PERSIAN
    key = loose_key(word)
    keys = _epithet_keys()
    return key in keys or (key.startswith("al") and key[2:] in keys)


def _without_epithet(name: str) -> str | None:
    """`name` without a trailing word of praise (and the ezafe or article before it), or None."""
    words = [w for w in (name.split() if is_arabic_script(name) else _LATIN_SPLIT.split(name)) if w]
    if len(words) < 2 or not _is_epithet(words[-1]):
        return None
    words.pop()
    while len(words) > 1 and words[-1].casefold() in (_EZAFE | _ARTICLES):
        words.pop()
    return " ".join(words)


def _without_article(name: str) -> str | None:
    """`name` without a leading Arabic article ("al-Ahwaz", "المحمرة"), or None."""
    if is_arabic_script(name):
        words = name.split()
        if words and words[0].startswith("ال") and len(normalize_persian(words[0])) >= 5:
            return " ".join([words[0][2:], *words[1:]])
        return None
    words = [w for w in _LATIN_SPLIT.split(name) if w]
    if len(words) > 1 and words[0].casefold() in _ARTICLES:
        return " ".join(words[1:])
    return None


def _without_shahr(name: str) -> str | None:
    """ "Shahr-e Rey" → "Rey": the Latin "city of" in Persian word order, or None."""
    if is_arabic_script(name):
        return None
    words = [w for w in _LATIN_SPLIT.split(name) if w]
    if len(words) > 2 and words[0].casefold() == "shahr" and words[1].casefold() in _EZAFE:
        return " ".join(words[2:])
    return None


def _rewrites(name: str) -> list[str]:
    """Shorter forms of `name` to try when it resolves to nothing: without wrapping words
    ("city of", "شهر"), a word of praise, a leading Arabic article, or all of them."""
    out: list[str] = []
    step = name
    for strip in (_unwrapped, _without_shahr, _without_epithet, _without_article):
        shorter = strip(name)
        if shorter and shorter not in out:
            out.append(shorter)
        further = strip(step)
        if further:
            step = further
    if step != name and step not in out:
        out.append(step)
    return out
