"""Norwegian Bokmål words for numbers, ordinals, approximations, units and the contexts that tell them apart.

Sources: Norsk referansegrammatikk (Faarlund, Lie & Vannebo 1997), §§ on numerals
(«grunntall», «ordenstall»), both counting systems (``tjuefem`` and the older
``femogtjue``); Språkrådet's advice on writing numbers, dates and times
(«Skrivereglar»: ``8000`` / ``8 000``, ``2,5``, ``17. mars 2017``, ``17.03.2017``,
``kl. 14.30``); Norsk Ordbank for inflected forms (``millioner``, ``milliarder``);
ISO 4217 for currency codes; and the approximating words that the NDT news corpus
(``../shared/corpora``) and the seed articles put before figures
(``mer enn 800``, ``omlag 100``, ``cirka 30``).

Every key is lower case; the extractor compares lower-cased text. Month names
are compared as written (lower case), since ``Mars`` is the planet.
"""

# Cardinal numbers that stand alone. "en", "ei" and "et" are also the indefinite
# article; the extractor only reads them as 1 before a scale word ("en million").
_UNITS: dict[str, float] = {
    "én": 1,
    "ei": 1,
    "en": 1,
    "et": 1,
    "ett": 1,
    "null": 0,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "sju": 7,
    "syv": 7,
    "åtte": 8,
    "ni": 9,
}
_TEENS: dict[str, float] = {
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
    "tretten": 13,
    "fjorten": 14,
    "femten": 15,
    "seksten": 16,
    "sytten": 17,
    "atten": 18,
    "nitten": 19,
}
_TENS: dict[str, float] = {
    "tjue": 20,
    "tyve": 20,
    "tretti": 30,
    "tredve": 30,
    "førti": 40,
    "femti": 50,
    "seksti": 60,
    "sytti": 70,
    "åtti": 80,
    "nitti": 90,
}
_COMPOUND_UNITS = {k: v for k, v in _UNITS.items() if 1 <= v <= 9 and k not in ("ei", "et", "én")}

# Scale words multiply what comes before them ("to hundre", "2,5 millioner", "et dusin").
SCALE_WORDS: dict[str, float] = {
    "dusin": 12,
    "hundre": 100,
    "tusen": 1_000,
    "million": 1_000_000,
    "millioner": 1_000_000,
    "mill": 1_000_000,
    "mill.": 1_000_000,
    "mrd": 1_000_000_000,
    "mrd.": 1_000_000_000,
    "milliard": 1_000_000_000,
    "milliarder": 1_000_000_000,
}

# Every cardinal written in words: units, teens, tens, the compounds 21–99 in
# both systems and with a hyphen ("tjuefem", "tretti-to", "femogtjue"), fractions.
NUMBER_WORDS: dict[str, float] = {
    **_UNITS,
    **_TEENS,
    **_TENS,
    **{f"{ten}{unit}": t + u for ten, t in _TENS.items() for unit, u in _COMPOUND_UNITS.items()},
    **{f"{ten}-{unit}": t + u for ten, t in _TENS.items() for unit, u in _COMPOUND_UNITS.items()},
    **{f"{unit}og{ten}": t + u for ten, t in _TENS.items() for unit, u in _COMPOUND_UNITS.items()},
    **{k: v for k, v in SCALE_WORDS.items() if "." not in k and k not in ("mill", "mrd")},
    "halvannen": 1.5,
    "halvannet": 1.5,
}

# Words that are numbers only as determiners: the indefinite article, and
# homographs of nouns and verbs ("et tre", "å fire", "seks" in the sense of sex).
ARTICLE_NUMBER_WORDS = frozenset({"ei", "en", "et"})
AMBIGUOUS_NUMBER_WORDS = frozenset({"fire", "seks", "tre"})

# Ordinals in words. "andre" is also "other" and counts only before ORDINAL_NOUNS.
ORDINAL_WORDS: dict[str, float] = {
    "første": 1,
    "andre": 2,
    "annen": 2,
    "annet": 2,
    "tredje": 3,
    "fjerde": 4,
    "femte": 5,
    "sjette": 6,
    "sjuende": 7,
    "syvende": 7,
    "åttende": 8,
    "niende": 9,
    "tiende": 10,
    "ellevte": 11,
    "tolvte": 12,
    "trettende": 13,
    "fjortende": 14,
    "femtende": 15,
    "sekstende": 16,
    "syttende": 17,
    "attende": 18,
    "nittende": 19,
    "tjuende": 20,
    "trettiende": 30,
    "førtiende": 40,
    "femtiende": 50,
    "hundrede": 100,
}
AMBIGUOUS_ORDINAL_WORDS = frozenset({"andre", "annen", "annet"})
ORDINAL_NOUNS = frozenset(
    {"etappe", "gang", "halvdel", "klasse", "kvartal", "omgang", "omgangen", "plass", "plassen", "runde", "verdenskrig"}
)

# Words before a figure that make it approximate or a bound, normalised:
# approx (about), over (more than), under (less than), at_least, up_to, nearly.
QUALIFIERS: dict[str, str] = {
    "anslagsvis": "approx",
    "bortimot": "nearly",
    "ca": "approx",
    "ca.": "approx",
    "circa": "approx",
    "cirka": "approx",
    "drøye": "over",
    "drøyt": "over",
    "flere enn": "over",
    "færre enn": "under",
    "godt over": "over",
    "godt under": "under",
    "høyst": "up_to",
    "i overkant av": "over",
    "i underkant av": "under",
    "ikke mindre enn": "at_least",
    "inntil": "up_to",
    "knapt": "nearly",
    "like over": "over",
    "like under": "under",
    "maks": "up_to",
    "maksimalt": "up_to",
    "mer enn": "over",
    "mindre enn": "under",
    "minimum": "at_least",
    "minst": "at_least",
    "nesten": "nearly",
    "noe over": "over",
    "noe under": "under",
    "nær": "nearly",
    "nærmere": "nearly",
    "oppimot": "nearly",
    "opp mot": "nearly",
    "opptil": "up_to",
    "om lag": "approx",
    "omkring": "approx",
    "omlag": "approx",
    "omtrent": "approx",
    "over": "over",
    "rundt": "approx",
    "rundt regnet": "approx",
    "snaue": "nearly",
    "snaut": "nearly",
    "under": "under",
    "vel": "over",
}
# Qualifiers that also make sense before a year ("rundt 1990", "ca. 1850").
APPROX_QUALIFIERS = frozenset({"approx"})

PERCENT_WORDS: dict[str, str] = {
    "%": "percent",
    "prosent": "percent",
    "prosentpoeng": "percentage_point",
    "promille": "permille",
}

# Currency words and symbols (after or before the figure) → ISO 4217 code.
CURRENCY_UNITS: dict[str, str] = {
    "$": "USD",
    "amerikanske dollar": "USD",
    "danske kroner": "DKK",
    "dkk": "DKK",
    "dollar": "USD",
    "dollars": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "gbp": "GBP",
    "krone": "NOK",
    "kroner": "NOK",
    "kr": "NOK",
    "kr.": "NOK",
    "nok": "NOK",
    "norske kroner": "NOK",
    "pund": "GBP",
    "sek": "SEK",
    "svenske kroner": "SEK",
    "usd": "USD",
    "£": "GBP",
    "€": "EUR",
}
# Currency marks that may stand before the figure ("kr 500", "$ 5").
CURRENCY_PREFIXES = frozenset({"$", "dkk", "eur", "gbp", "kr", "kr.", "nok", "sek", "usd", "£", "€"})

# Units of measure and of duration → a normalised unit name.
MEASURE_UNITS: dict[str, str] = {
    "dager": "day",
    "dag": "day",
    "døgn": "day",
    "grader": "degree",
    "kg": "kg",
    "kilo": "kg",
    "kilogram": "kg",
    "kilometer": "km",
    "km": "km",
    "kvadratkilometer": "km2",
    "kvadratmeter": "m2",
    "liter": "l",
    "meter": "m",
    "mil": "mil",
    "minutter": "minute",
    "minutt": "minute",
    "måned": "month",
    "måneder": "month",
    "sekunder": "second",
    "time": "hour",
    "timer": "hour",
    "tonn": "tonne",
    "uke": "week",
    "uker": "week",
    "år": "year",
}

# "23 år gammel", "24-åringen", "(24)": ages.
AGE_ADJECTIVES = frozenset({"gamle", "gammel"})
AGE_NOUN_SUFFIXES = frozenset({"åring", "åringen", "åringene", "åringer"})

MONTHS: dict[str, int] = {
    "januar": 1,
    "jan": 1,
    "februar": 2,
    "feb": 2,
    "mars": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "desember": 12,
    "des": 12,
}

MONTH_ABBREVIATIONS = frozenset({"apr", "aug", "des", "feb", "jan", "nov", "okt", "sep", "sept"})

# Words before a bare scale word that make it vague, not a figure ("flere tusen", "noen hundre").
VAGUE_QUANTIFIERS = frozenset({"flere", "få", "hundrevis", "mange", "noen", "tusenvis"})

# English function words: "to" in «screaming yourself to sleep» is no number.
ENGLISH_FUNCTION_WORDS = frozenset({"and", "of", "that", "the", "was", "were", "with", "you", "your"})

# Words just before a four-digit number that make it a year ("i 1993", "siden 2014").
# "og" and a dash continue a year only after another year ("i 2014 og 2015").
YEAR_CONTEXT = frozenset(
    {
        "etter",
        "fra",
        "før",
        "frem",
        "fram",
        "høsten",
        "i",
        "innen",
        "julen",
        "påsken",
        "siden",
        "sommeren",
        "til",
        "tilbake",
        "våren",
        "vinteren",
        "år",
        "året",
        "årene",
        "århundreskiftet",
    }
)

# Words that introduce a clock time.
CLOCK_WORDS = frozenset({"kl", "kl.", "klokka", "klokken"})

# Words near "2-1" that make it a score rather than a range.
SCORE_WORDS = frozenset(
    {
        "borteseier",
        "endte",
        "hjemmeseier",
        "kampen",
        "ledelse",
        "ledet",
        "leder",
        "seier",
        "seieren",
        "slo",
        "stillingen",
        "tap",
        "tapet",
        "tapte",
        "tapt",
        "uavgjort",
        "vant",
        "vinner",
        "vunnet",
    }
)
