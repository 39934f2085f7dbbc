"""NDT morphology strings ("appell|mask|ub|ent") <-> spaCy Feat=Val strings.

Known NDT values get UD-like feature names; anything else (the angle-bracket
values such as <punkt>, <ikke-clb>, combined forms) goes under NDT=....
Known values map one-to-one, so the NDT string can be recovered if needed.
"""
VALUE2FEAT = {
    "mask": ("Gender", "Masc"), "fem": ("Gender", "Fem"), "nøyt": ("Gender", "Neut"),
    "m/f": ("Gender", "MascFem"),
    "ub": ("Definite", "Ind"), "be": ("Definite", "Def"),
    "ent": ("Number", "Sing"), "fl": ("Number", "Plur"), "ufl": ("Number", "Unfl"),
    "pos": ("Degree", "Pos"), "komp": ("Degree", "Cmp"), "sup": ("Degree", "Sup"),
    "pres": ("Tense", "Pres"), "pret": ("Tense", "Past"), "inf": ("VerbForm", "Inf"),
    "perf-part": ("VerbForm", "Part"), "imp": ("Mood", "Imp"), "pass": ("Voice", "Pass"),
    "nom": ("Case", "Nom"), "akk": ("Case", "Acc"), "gen": ("Case", "Gen"),
    "1": ("Person", "1"), "2": ("Person", "2"), "3": ("Person", "3"),
    "pers": ("PronType", "Prs"), "refl": ("Reflex", "Yes"), "hum": ("Animacy", "Hum"),
    "dem": ("PronType", "Dem"), "kvant": ("PronType", "Quant"), "poss": ("Poss", "Yes"),
    "appell": ("NounType", "Common"), "prop": ("NounType", "Proper"),
    "samset": ("Compound", "Yes"), "fork": ("Abbr", "Yes"),
}


def _other(v: str) -> str:
    return v.strip("<>").replace("+", "_").replace("/", "_").replace("-", "_") or "x"


def ndt_to_ud_feats(morph: str) -> str:
    if not morph or morph == "_":
        return ""
    feats = {}
    for v in morph.split("|"):
        k, val = VALUE2FEAT.get(v, ("NDT", _other(v)))
        feats.setdefault(k, []).append(val)
    return "|".join(f"{k}={','.join(sorted(vs))}" for k, vs in sorted(feats.items()))
