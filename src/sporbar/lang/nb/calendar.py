"""Norwegian calendar words: months, weekdays, relative day and period expressions.

Source: Språkrådet's spelling of months and weekdays (lower case in Norwegian),
and the relative time expressions of the NDT news corpus.
"""

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "desember": 12, "des": 12,
}

WEEKDAYS = {
    "mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lørdag": 5, "søndag": 6,
}

# Relative days, as an offset from the publication day.
RELATIVE_DAYS = {
    "i dag": 0, "i går": -1, "i forgårs": -2, "i morgen": 1, "i overmorgen": 2, "i natt": 0, "i kveld": 0,
    "i morges": 0, "i ettermiddag": 0, "i går kveld": -1,
}

# Relative years, as an offset from the publication year.
RELATIVE_YEARS = {"i år": 0, "i fjor": -1, "i forfjor": -2, "neste år": 1, "til neste år": 1, "årets": 0, "neste års": 1,
                  "fjorårets": -1}

# Relative weeks and months.
RELATIVE_WEEKS = {"denne uken": 0, "denne uka": 0, "neste uke": 1, "forrige uke": -1, "i forrige uke": -1, "sist uke": -1,
                  "til uken": 1, "til uka": 1, "forrige uka": -1}
RELATIVE_MONTHS = {"denne måneden": 0, "neste måned": 1, "forrige måned": -1, "i forrige måned": -1}

# "for to år siden", "om tre uker": units and their length in days (years and months handled by the calendar).
PERIOD_UNITS = {
    "dag": "day", "dager": "day", "døgn": "day", "uke": "week", "uker": "week", "måned": "month",
    "måneder": "month", "år": "year",
}

SMALL_NUMBERS = {
    "en": 1, "ett": 1, "ei": 1, "én": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "syv": 7,
    "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "femten": 15, "tjue": 20, "tretti": 30, "førti": 40,
    "femti": 50, "hundre": 100,
}
