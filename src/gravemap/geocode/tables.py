"""The geocoder's reference tables: names of renamed places, names of provinces and countries.

The official English and Persian province names live in one table, the gazetteer's
(`gravemap.gazetteer.PROVINCE_TABLES`); this module adds the variants reports use and the
provinces of 1988 that have since been divided, and answers which province a name means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gravemap.gazetteer import CountryIndex, Place, load_index
from gravemap.geocode.normalise import (
    _latin_words,
    is_arabic_script,
    loose_key,
    normalize_latin,
    normalize_persian,
    phonetic_key,
)

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

# Peoples of Iran and its neighbours, and their languages, as reports name them. A word that
# names a people ("Turkmen", "Baluch", "کرد") is not a town, though GeoNames gives some of them as
# a town's short or alternate name ("Torkaman", "ترکمن" for Bandar-e Torkaman): such a word finds
# a place only by the place's own name. Spellings that differ only as `phonetic_key` folds them
# ("Baloch", "Torkmen", "Kord") need no entry; plurals and adjectives come from the suffixes.
PEOPLES: tuple[str, ...] = (
    "Turkmen", "Turkman", "Turkoman", "Torkaman", "Baluch", "Beluch", "Kurd", "Lor", "Lak",
    "Gilak", "Mazani", "Azeri", "Azari", "Azerbaijani", "Azarbaijani", "Turk", "Arab", "Persian",
    "Parsi", "Farsi", "Qashqai", "Qashqayi", "Bakhtiari", "Bakhtiyari", "Shahsavan", "Shahsevan",
    "Kurmanj", "Kermanj", "Armenian", "Assyrian", "Afghan", "Hazara", "Tajik", "Pashtun", "Uzbek",
    "ترکمن", "ترکمان", "بلوچ", "کرد", "لر", "لک", "گیلک", "مازنی", "آذری", "ترک", "عرب",
    "فارسی", "پارسی", "قشقایی", "بختیاری", "شاهسون", "کرمانج", "ارمنی", "آشوری", "افغان", "هزاره",
    "تاجیک", "ازبک",
)  # fmt: skip
_PEOPLE_SUFFIXES = ("", "i", "is", "ish", "s", "es", "ic")
_PEOPLE_SUFFIXES_FA = ("", "ی", "ها", "های", "هایی")


@lru_cache(maxsize=1)
def _people_keys() -> frozenset[str]:
    keys = set()
    for name in PEOPLES:
        suffixes = _PEOPLE_SUFFIXES_FA if is_arabic_script(name) else _PEOPLE_SUFFIXES
        keys.update(phonetic_key(name + suffix) for suffix in suffixes)
    return frozenset(keys)


def names_people(name: str) -> bool:
    """Whether `name` names a people or its language ("Turkmen", "Kurdish", "Baluchi", "کردها")."""
    return bool(name.strip()) and phonetic_key(name) in _people_keys()


# Other names of each province, by GeoNames admin1 code: the official English and Persian names
# come from the gazetteer's table (`gravemap.gazetteer.PROVINCE_TABLES`) and are not repeated.
# A name that was a province in 1988 and has since been divided maps to the provinces made
# from it (tried only when the current province has no such place): Khorasan, Mazandaran (with
# Golestan), East Azerbaijan (with Ardabil), Zanjan (with Qazvin), Tehran (with Qom and Alborz).
PROVINCE_VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "IR": {
        "01": ("West Azarbaijan", "Western Azerbaijan", "Azerbaijan West", "Azarbaijan-e Gharbi",
               "Azarbayjan-e Gharbi", "Azerbaijan-e Gharbi", "Azarbaijan Gharbi", "W Azerbaijan"),
        "03": ("Chahar Mahal and Bakhtiari", "Chaharmahal", "Chaharmahal va Bakhtiari",
               "Chahar Mahaal and Bakhtiari", "Bakhtiari", "Chaharmahal-o Bakhtiari", "چهارمحال"),
        "04": ("Sistan and Baluchistan", "Sistan va Baluchestan", "Sistan-o Baluchestan",
               "Baluchestan", "Baluchistan", "Sistan", "بلوچستان"),
        "05": ("Kohgiluyeh and Boyer Ahmad", "Kohkiluyeh", "Kohgiluyeh", "Boyer-Ahmad",
               "Kohgiluyeh va Boyer Ahmad", "Boyer-Ahmad and Kohgiluyeh",
               "Kohgiluyeh va Buyer Ahmad", "کهگیلویه و بویر احمد", "کهکیلویه"),
        "07": ("Pars",),
        "08": ("Guilan", "Ghilan"),
        "09": ("Hamedan", "Hamadān"),
        "10": ("Elam", "Eelam"),
        "11": ("Hormozgān", "Hormuzgan"),
        "13": ("Kermanshahan", "Bakhtaran", "Kirmanshah", "Kermanshahan province", "باختران",
               "کرمانشاهان"),
        "15": ("Khuzistan", "Khouzestan", "Khozestan", "Arabistan"),
        "16": ("Kordestan", "Kurdestan", "Kordistan", "Iranian Kurdistan"),
        "22": ("Bushire", "Boushehr"),
        "23": ("Luristan", "Lurestan"),
        "26": ("Teheran", "Tehran province"),
        "28": ("Esfahan", "Ispahan", "Isfahan province"),
        "29": ("Kirman",),
        "32": ("Ardebil", "Ardabīl"),
        "33": ("East Azarbaijan", "Eastern Azerbaijan", "Azerbaijan East", "Azarbaijan-e Sharqi",
               "Azarbayjan-e Sharqi", "Azerbaijan-e Sharqi", "Azarbaijan Sharqi",
               "Azarbaijan-e Shargi", "E Azerbaijan"),
        "34": ("Central", "Markazi province", "Arak"),
        "35": ("Mazanderan", "Mazendaran"),
        "36": ("Zenjan",),
        "37": ("Golistan",),
        "38": ("Ghazvin", "Kazvin"),
        "39": ("Ghom", "Qum", "Ghum"),
        "40": ("Yezd",),
        "41": ("Khorasan-e Jonubi", "Southern Khorasan"),
        "42": ("Khorasan Razavi", "Khorasan-e Razavi", "Khorasan-Razavi"),
        "43": ("Khorasan-e Shomali", "Northern Khorasan"),
        "44": ("Elburz",),
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
        # The region the two (now three) Azerbaijan provinces make: "Tabriz, Azerbaijan".
        "Azerbaijan": ("33", "01", "32"),
        "Azarbaijan": ("33", "01", "32"),
        "آذربایجان": ("33", "01", "32"),
    }
}
# The capital of each province, by admin1 code (GeoNames ids; each checked in the tests): a
# place reported only by its province is shown at its capital, with precision "province".
PROVINCE_CAPITALS: dict[str, dict[str, int]] = {
    "IR": {
        "01": 121801, "03": 115770, "04": 1159301, "05": 66093, "07": 115019, "08": 118743,
        "09": 132144, "10": 130802, "11": 141681, "13": 128226, "15": 144448, "16": 117574,
        "22": 139817, "23": 127349, "25": 116402, "26": 112931, "28": 418863, "29": 128234,
        "32": 143083, "33": 113646, "34": 143127, "35": 116996, "36": 111453, "37": 132892,
        "38": 119505, "39": 119208, "40": 111822, "41": 140463, "42": 124665, "43": 140380,
        "44": 128747,
    }
}  # fmt: skip
_JOINING_WORDS = frozenset({"and", "va", "o", "e", "ve"})
_COMPASS = {"n": "north", "s": "south", "e": "east", "w": "west"}
_PROVINCE_WORDS = frozenset({"province", "ostan", "state", "region", "provincia"})


@dataclass(frozen=True)
class ProvinceMatch:
    """Which provinces a hint names: the current ones, then 1988's wider extent."""

    codes: tuple[str, ...]
    wider: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def _province_keys(name: str) -> frozenset[str]:
    if is_arabic_script(name):
        base = re.sub("^استان", "", name.strip())
        joined = re.sub(r"\s+و\s+", " ", base)
        return frozenset({normalize_persian(b) for b in (base, joined)}) | {
            phonetic_key(b) for b in (base, joined)
        }
    words = _latin_words(name)
    if len(words) > 1 and words[0] in _COMPASS:  # "W. Azerbaijan", "S Khorasan"
        words = [_COMPASS[words[0]], *words[1:]]
    if any(w in _PROVINCE_WORDS for w in words):  # "Province of Khuzestan", "the Fars province"
        words = [w for w in words if w not in _PROVINCE_WORDS and w not in ("of", "the")]
    text = " ".join(words)
    # "Sistan and Baluchestan", "Sistan va Baluchestan", "Sistan-Baluchistan": one key without
    # the word joining the two halves.
    joined = " ".join(w for w in words if w not in _JOINING_WORDS)
    return frozenset(
        {normalize_latin(text), phonetic_key(text), normalize_latin(joined), phonetic_key(joined)}
    )


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


@lru_cache(maxsize=4096)
def province_named(name: str, country: str = "IR") -> ProvinceMatch | None:
    """The province(s) `name` names exactly (any known spelling, no misspelling), or None; a
    name joined from two halves of one province's name is that province too (`_joined_province`)."""
    table = _province_table(country.upper())
    for key in _province_keys(name):
        if key and key in table:
            return table[key]
    return _joined_province(name, country.upper())


@lru_cache(maxsize=8)
def _province_loose_table(country: str) -> dict[str, frozenset[str]]:
    """Every province name's `loose_key`, with the provinces it names."""
    variants = dict(PROVINCE_VARIANTS.get(country, {}))
    for code, (en, fa) in load_index(country).provinces.items():
        variants[code] = (en, fa, *variants.get(code, ()))
    table: dict[str, set[str]] = {}
    for code, names in variants.items():
        for name in names:
            for part in _province_halves(name) or [(name, "")]:
                for half in part:
                    if half and len(loose_key(half)) >= 4:
                        table.setdefault(loose_key(half), set()).add(code)
    return {key: frozenset(codes) for key, codes in table.items()}


@lru_cache(maxsize=4096)
def _half_codes(half: str, country: str) -> frozenset[str]:
    """The provinces one half of a joined name names: any known spelling, or a loose one."""
    table = _province_table(country)
    for key in _province_keys(half):
        if key in table and table[key].codes:
            return frozenset(table[key].codes)
    key = loose_key(half)
    return _province_loose_table(country).get(key, frozenset()) if len(key) >= 4 else frozenset()


# The word joining a two-part province's halves, and the Persian و written against the second.
_JOINERS = _JOINING_WORDS | {"&", "و"}
#: No province's name has more words than this ("Kohgiluyeh va Boyer Ahmad"): longer text is
#: not cut into halves.
_MOST_PROVINCE_WORDS = 6


def _province_halves(name: str) -> list[tuple[str, str]]:
    """Each way to cut `name` into two halves at a word, less the word joining them: "Kohkiluyeh
    va Boyerahmad", "Sistan & Baluchestan", "Kohgiluyeh-Boyerahmad", "سیستان‌وبلوچستان"."""
    if is_arabic_script(name):
        words = [w for w in re.split(r"[\s\u200c]+", re.sub("^استان", "", name.strip())) if w]
    else:
        words = [w for w in _latin_words(name) if w not in _PROVINCE_WORDS]
    out = []
    for i in range(1, len(words)):
        left, right = words[:i], words[i:]
        while left and left[-1] in _JOINERS:
            left = left[:-1]
        while right and right[0] in _JOINERS:
            right = right[1:]
        if right and len(right[0]) > 2 and right[0].startswith("و"):
            out.append((" ".join(left), " ".join([right[0][1:], *right[1:]])))
        if left and right:
            out.append((" ".join(left), " ".join(right)))
    return out


def _joined_province(name: str, country: str) -> ProvinceMatch | None:
    """The one province both halves of `name` name ("Kohkiluyeh va Boyerahmad": Kohgiluyeh, and
    Boyer-Ahmad; "کهکیلویه و بویر احمد"), each in any known or loose spelling; or, when one half
    names it so, the other half a close misspelling of the rest of its name ("Charmahal va
    Bakhtiari"). Two halves agreeing are surer than either alone, so loose spellings count."""
    halves = _province_halves(name)
    if not halves or len(halves) > _MOST_PROVINCE_WORDS or country not in PROVINCE_VARIANTS:
        return None
    from rapidfuzz import fuzz, process

    loose = _province_loose_table(country)
    for left, right in halves:
        a, b = _half_codes(left, country), _half_codes(right, country)
        if len(a) == 1 and a == b:
            return ProvinceMatch(tuple(a))
        for sure, other in ((a, right), (b, left)):
            if len(sure) != 1 or (a and b):
                continue
            keys = [k for k, codes in loose.items() if codes == sure]
            probe = loose_key(other)
            close = process.extractOne(probe, keys, scorer=fuzz.ratio, score_cutoff=80)
            if len(probe) >= 5 and close:
                return ProvinceMatch(tuple(sure))
    return None


def says_province(name: str) -> bool:
    """Whether `name` calls itself a province ("Tehran province", "استان تهران", "Ostan-e Fars")."""
    if is_arabic_script(name):
        return name.strip().startswith("استان")
    return any(w in _PROVINCE_WORDS for w in _latin_words(name))


def resolve_province(name: str, country: str = "IR") -> ProvinceMatch | None:
    """The province(s) a name means ("Khuzistan", "Azarbaijan-e Sharqi", "کردستان"), or None."""
    table = _province_table(country.upper())
    for key in _province_keys(name):
        if key and key in table:
            return table[key]
    joined = _joined_province(name, country.upper())
    if joined is not None:
        return joined
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


# Countries, in Persian and Arabic too, for the neighbours reports mention most: a query that
# names a country is not a town in it ("Iraq" is also an old name of Arak, "عمان" of a village).
COUNTRY_NAMES_FA = (
    "ایران", "عراق", "العراق", "افغانستان", "ترکیه", "تركيا", "پاکستان", "باكستان", "ترکمنستان",
    "ارمنستان", "آذربایجان", "جمهوری آذربایجان", "عربستان", "عربستان سعودی", "السعودیه",
    "کویت", "الکویت", "قطر", "بحرین", "البحرین", "امارات", "الامارات", "عمان", "سوریه", "سوريا",
    "لبنان", "اسرائیل", "فلسطین", "مصر", "روسیه", "آمریکا", "امریکا", "انگلستان", "بریتانیا",
    "فرانسه", "آلمان", "سوئد", "هلند", "کانادا",
)  # fmt: skip
