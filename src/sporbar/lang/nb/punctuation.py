"""Dash and quotation-mark characters Norwegian news text uses.

Source: Språkrådet's guidance on «sitattegn» and «tankestrek», and what the
NDT news corpus and the seed articles actually contain. Normalisation keeps
these characters as they are: quote extraction needs to tell them apart.
"""

# The dialogue dash (replikkstrek) is usually an en dash; older and wire text uses a hyphen or em dash.
DIALOGUE_DASHES = frozenset({"-", "‐", "‒", "–", "—", "―", "−"})

# Opening → closing quotation marks, in order of how common they are in Norwegian news.
QUOTE_PAIRS = {
    "«": "»",
    "“": "”",
    "„": "“",
    '"': '"',
    "‘": "’",
    "‹": "›",
}

# Characters that are only ever layout: removed by normalisation.
INVISIBLE_CHARACTERS = frozenset({"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"})
