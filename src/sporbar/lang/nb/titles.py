"""Role titles, the words that are not roles, and the Norwegian parties.

Sources: the offices, positions and occupations stated for named people in the
NDT news corpus (``../shared/corpora/ndt-nob-news.jsonl``, appositions such as
``informasjonskonsulent i Energigjenvinningsetaten, Rikke Dahl Monsen``), with
base forms as in Bokmålsordboka (Språkrådet / Universitetet i Bergen); the party
names and abbreviations as Stortinget and SSB's election statistics write them
(older newspaper spellings such as ``A`` and ``DNA`` for Arbeiderpartiet kept).

Everything here is inert data; ``sporbar.analyze.extractors.roles`` reads it.
"""

# Offices, positions, titles and occupations, in base form (indefinite singular).
ROLE_TITLES = frozenset(
    {
        "administrerende direktør", "admiral", "advokat", "agent", "aktor", "amanuensis", "ambassadør",
        "analytiker", "arkitekt", "artist", "assistent", "avdelingsdirektør", "avdelingsleder", "bassist",
        "billedkunstner", "biskop", "bistandsadvokat", "bonde", "borgermester", "byråd", "byrådsleder",
        "daglig leder", "danser", "dekan", "designer", "diplomat", "direktør", "dirigent", "dommer",
        "dronning", "eiendomsmegler", "eier", "ekspert", "elektriker", "erkebiskop", "etterforsker",
        "filosof", "finansdirektør", "finansminister", "fiskeriminister", "forfatter", "forkvinne",
        "formann", "forsker", "forskningsleder", "forsvarer", "forsvarsminister", "forsvarssjef",
        "fotograf", "fylkesmann", "fylkesordfører", "førsteamanuensis", "førstekandidat", "general",
        "generaldirektør", "generalsekretær", "gitarist", "grunnlegger", "gruppeleder", "gründer",
        "guvernør", "helseminister", "historiker", "hovedtrener", "høyesterettsdommer", "imam",
        "informasjonskonsulent", "informasjonssjef", "ingeniør", "inspektør", "investor", "journalist",
        "justisminister", "kansler", "kaptein", "kardinal", "keeper", "kirurg", "klimaminister", "kokk",
        "komiker", "kommentator", "kommunikasjonsdirektør", "kommunikasjonssjef", "komponist", "konge",
        "konserndirektør", "konsernsjef", "konsul", "konsulent", "koordinator", "koreograf",
        "korrespondent", "kringkastingssjef", "kronprins", "kronprinsesse", "kulturminister",
        "kunnskapsminister", "kunstner", "landslagssjef", "leder", "lege", "lektor", "lensmann", "lærer",
        "løytnant", "major", "maler", "manager", "manusforfatter", "markedssjef", "megler", "meteorolog",
        "midtbanespiller", "minister", "musiker", "målvakt", "nestleder", "næringsminister", "oberst",
        "offiser", "ombud", "ombudsmann", "ordfører", "ordførerkandidat", "overlege", "partileder",
        "pastor", "pave", "pianist", "pilot", "politiadvokat", "politiker", "politimester", "politisjef",
        "president", "presidentkandidat", "pressesjef", "pressetalsmann", "prest", "prins", "prinsesse",
        "produsent", "professor", "programleder", "prosjektleder", "prosjektsjef", "prost", "psykiater",
        "psykolog", "rabbiner", "redaktør", "regissør", "rektor", "reporter", "representant", "riksadvokat",
        "rådgiver", "rådmann", "salgssjef", "samferdselsbyråd", "sanger", "senator", "seniorrådgiver",
        "sersjant", "sjef", "sjefredaktør", "sjefsøkonom", "sjåfør", "skribent", "skuespiller", "snekker",
        "sogneprest", "soldat", "sosiolog", "spesialist", "spiller", "spiss", "statsadvokat",
        "statsminister", "statsråd", "statssekretær", "statsviter", "stipendiat", "stortingsrepresentant",
        "styreleder", "styremedlem", "sykepleier", "talskvinne", "talsmann", "talsperson", "tannlege",
        "trener", "trommeslager", "utenriksminister", "utvikler", "varaordfører", "veterinær",
        "visepresident", "vokalist", "økonom",
    }
)

# Heads that make a compound a role: "kringkastingssjef", "avdelingsdirektør",
# "informasjonskonsulent", "ordførerkandidat", "LO-leder". ("-mann" is not here:
# "gjerningsmann", "landsmann"; the offices ending in it are listed above.)
ROLE_SUFFIXES = frozenset(
    {
        "advokat", "analytiker", "arbeider", "betjent", "byråd", "direktør", "dommer", "ekspert",
        "forfatter", "forsker", "fotograf", "ingeniør", "inspektør", "journalist", "kandidat", "konsulent",
        "koordinator", "kunstner", "leder", "lege", "lærer", "megler", "mester", "minister", "musiker",
        "offiser", "ordfører", "politiker", "president", "prest", "produsent", "professor", "redaktør",
        "regissør", "representant", "rådgiver", "sekretær", "sjef", "skuespiller", "spiller", "sykepleier",
        "talskvinne", "talsmann", "talsperson", "tekniker", "terapeut", "trener",
    }
)

# Heads after a hyphenated name that say what the role is about, not whose it is:
# "EU-ekspert" is an expert on the EU, while "LO-leder" leads LO.
TOPIC_HEADS = frozenset({"advokat", "ekspert", "forsker", "journalist", "kommentator", "korrespondent"})

# Words before a role that belong to the phrase but not to the role:
# "konstituert kommunikasjonssjef", "Norges nye utenriksminister".
ROLE_MODIFIERS = frozenset(
    {
        "assisterende", "avgåtte", "avtroppende", "daværende", "ferske", "fungerende", "konstituert",
        "mangeårige", "ny", "nyansatte", "nye", "nytilsatte", "nyvalgt", "nyvalgte", "nåværende",
        "påtroppende", "sittende", "tidligere", "tiltredende",
    }
)

# Kinship, relations, nationality and descriptions: stated for people, but not roles.
NOT_ROLES = frozenset(
    {
        "amerikaner", "asylsøker", "barn", "barnebarn", "beboer", "bestefar", "bestemor", "brite", "bror",
        "dame", "datter", "drapsmann", "ektefelle", "ektemann", "enke", "enkemann", "fan", "fange", "far",
        "farfar", "farmor", "fetter", "flyktning", "foreldre", "franskmann", "gjerningsmann",
        "gjerningsperson", "gutt", "herre", "hustru", "innbygger", "jente", "kamerat", "kjæreste",
        "klassekamerat", "kollega", "kollege", "kone", "kunde", "kusine", "kvinne", "lagkamerat",
        "landsmann", "mann", "medspiller", "mistenkt", "mor", "morder", "morfar", "mormor", "motspiller",
        "nabo", "nevø", "niese", "nordmann", "offer", "onkel", "overlevende", "pasient", "person", "raner",
        "russer", "samarbeider", "samboer", "siktede", "siktet", "stefar", "stemor", "supporter", "svenske",
        "svigerdatter", "svigerfar", "svigerinne", "svigermor", "svigersønn", "svoger", "sønn", "søsken",
        "søster", "tante", "terrorist", "tilskuer", "tiltalte", "turist", "tysker", "tyv", "venn",
        "venninne", "vitne", "voldtektsmann",
    }
)

# Role nouns that are also common verbs in the present tense ("Hun leder partiet").
VERB_HOMOGRAPHS = frozenset({"leder", "megler", "spiller", "trener"})

# Prepositions that tie a role to its organisation: "leder i Y", "sjef for Y", "lege ved Y".
ORG_PREPOSITIONS = frozenset({"av", "for", "hos", "i", "på", "ved"})

# Verbs of "X, som er leder i Y".
COPULAS = frozenset({"ble", "blir", "er", "var"})  # and "har vært", matched as two words

# Adverbs allowed between "som" and the copula or the copula and the role.
COPULA_ADVERBS = frozenset({"dessuten", "fortsatt", "fremdeles", "nå", "også", "tidligere"})

# What a party mentioned without any other role makes its member: "Jan Bøhler (Ap)".
PARTY_MEMBER_ROLE = "politiker"

# Party names and abbreviations → the canonical abbreviation.
PARTIES: dict[str, str] = {
    "A": "Ap",
    "Ap": "Ap",
    "AP": "Ap",
    "Arbeiderpartiet": "Ap",
    "DNA": "Ap",
    "De Grønne": "MDG",
    "FRP": "Frp",
    "FrP": "Frp",
    "Fremskrittspartiet": "Frp",
    "Frp": "Frp",
    "H": "H",
    "Høyre": "H",
    "Kp": "Kp",
    "KrF": "KrF",
    "Krf": "KrF",
    "KRF": "KrF",
    "Kristelig Folkeparti": "KrF",
    "Kystpartiet": "Kp",
    "MDG": "MDG",
    "Miljøpartiet De Grønne": "MDG",
    "Pensjonistpartiet": "Pp",
    "Pp": "Pp",
    "R": "R",
    "RV": "RV",
    "Rød Valgallianse": "RV",
    "Rødt": "R",
    "SP": "Sp",
    "SV": "SV",
    "Senterpartiet": "Sp",
    "Sosialistisk Venstreparti": "SV",
    "Sp": "Sp",
    "V": "V",
    "Venstre": "V",
}
