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
        "administrator", "administrerende direktør", "admiral", "advokat", "agent", "aktor", "amanuensis",
        "ambassadør", "analytiker", "arkitekt", "artist", "assistent", "avdelingsdirektør", "avdelingsleder",
        "bassist", "billedkunstner", "biskop", "bistandsadvokat", "bonde", "borgermester", "butler", "byråd",
        "byrådsleder", "daglig leder", "danser", "dekan", "designer", "dikter", "diplomat", "direktør",
        "dirigent", "dommer", "dronning", "eiendomsmegler", "eier", "ekspert", "elektriker", "erkebiskop",
        "etterforsker", "fader", "festivalgeneral", "filmstjerne", "filosof", "finansdirektør",
        "finansminister", "fiolinvirtuos", "fiskeriminister", "forfatter", "forkvinne", "formann",
        "forretningsmann", "forsker", "forskningsleder", "forsvarer", "forsvarsminister", "forsvarssjef",
        "fotograf", "fylkesmann", "fylkesordfører", "førsteamanuensis", "førstekandidat", "førstekonsulent",
        "general", "generaldirektør", "generalsekretær", "geograf", "gitarist", "grunnlegger", "gruppeleder",
        "gründer", "guvernør", "helseminister", "hertug", "hertuginne", "historiker", "hovedtrener",
        "høyesterettsdommer", "høyesterettsjustitiarius", "høykommissær", "imam", "informasjonskonsulent",
        "informasjonssjef", "ingeniør", "inspektør", "investor", "journalist", "justisminister", "kalif",
        "kansler", "kaptein", "kardinal", "keeper", "keiser", "keiserinne", "kirurg", "klimaminister",
        "klubbformann", "kokk", "komiker", "kommentator", "kommunikasjonsdirektør", "kommunikasjonssjef",
        "komponist", "konferansier", "konge", "konserndirektør", "konsernsjef", "konsul", "konsulent",
        "koordinator", "koreograf", "korrespondent", "kringkastingssjef", "kronprins", "kronprinsesse",
        "kronprinsregent", "kulturminister", "kunnskapsminister", "kunstner", "landslagssjef", "leder", "lege",
        "lektor", "lensmann", "listetopp", "lukemann", "lærer", "løytnant", "major", "maler", "manager",
        "manusforfatter", "markedssjef", "medisinsk koordinator", "medlem", "megler", "meteorolog",
        "midtbanespiller", "midtstopper", "minister", "mullah", "munk", "musikant", "musiker", "målvakt",
        "nestformann", "nestleder", "nonne", "næringsminister", "oberst", "offiser", "ombud", "ombudsmann",
        "ordfører", "ordførerkandidat", "overlege", "partileder", "pastor", "pater", "pave", "pianist", "pilot",
        "politiadvokat", "politiker", "politimester", "politisjef", "politisk talskvinne", "president",
        "presidentkandidat", "pressesjef", "pressetalsmann", "prest", "prins", "prinsesse", "prior",
        "produsent", "professor", "programleder", "prosjektleder", "prosjektsjef", "prost", "psykiater",
        "psykolog", "rabbiner", "redaktør", "regent", "regiassistent", "regissør", "rektor", "reporter",
        "representant", "riksadvokat", "rormann", "rådgiver", "rådmann", "salgssjef", "salmaker",
        "samferdselsbyråd", "sanger", "sangerinne", "senator", "seniorrådgiver", "sersjant", "sjef",
        "sjefredaktør", "sjefsøkonom", "sjelesørger", "sjåfør", "skipper", "skribent", "skuespiller",
        "skøyteløper", "snekker", "sogneprest", "soldat", "sopran", "sosiolog", "spesialist", "spiller",
        "spiss", "sportslig leder", "statsadvokat", "statsminister", "statsråd", "statssekretær", "statsviter",
        "stipendiat", "stopper", "storhertug", "storhertuginne", "stortingsrepresentant", "styreleder",
        "styremedlem", "sykepleier", "taktiker", "talskvinne", "talsmann", "talsperson", "tannlege", "trener",
        "trimmer", "trommeslager", "underdirektør", "utenriksminister", "utvikler", "varaordfører", "veterinær",
        "visepresident", "vokalist", "økonom", "øverstkommanderende",
    }
)

# Heads that make a compound a role: "kringkastingssjef", "avdelingsdirektør",
# "informasjonskonsulent", "ordførerkandidat", "LO-leder". ("-mann" is not here:
# "gjerningsmann", "landsmann"; the offices ending in it are listed above.)
ROLE_SUFFIXES = frozenset(
    {
        "advokat", "ambassadør", "analytiker", "arbeider", "betjent", "byråd", "designer", "direktør", "dommer",
        "ekspert", "forfatter", "forsker", "fotograf", "ingeniør", "inspektør", "journalist", "kandidat",
        "keeper", "konferansier", "konsulent", "koordinator", "kritiker", "kunstner", "leder", "lege", "lærer",
        "løper", "megler", "mester", "minister", "musiker", "offiser", "ordfører", "politiker", "president",
        "prest", "produsent", "professor", "redaktør", "regissør", "representant", "rådgiver", "sanger",
        "sekretær", "sjef", "skuespiller", "sopran", "spiller", "sykepleier", "talskvinne", "talsmann",
        "talsperson", "tekniker", "terapeut", "trener", "virtuos",
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
        "amerikaner", "asylsøker", "bandkollega", "barn", "barnebarn", "beboer", "bestefar", "bestemor",
        "brite", "bror", "dame", "datter", "diktator", "drapsmann", "ektefelle", "ektemann", "enke", "enkemann",
        "etterkommer", "fan", "fange", "far", "farfar", "farmor", "fetter", "flyktning", "foreldre", "forløper",
        "franskmann", "fredsprisvinner", "gjerningsmann", "gjerningsperson", "gutt", "herre", "hustru",
        "høyrenasjonalist", "ikon", "innbygger", "innbytter", "jazzveteran", "jente", "kamerat", "kjendis",
        "kjæreste", "klassekamerat", "kollega", "kollege", "kone", "kunde", "kusine", "kvinne", "lagkamerat",
        "landsfader", "landsmann", "maktpolitiker", "mann", "medlemsland", "medspiller", "miljøforkjemper",
        "milliardær", "mistenkt", "mor", "morder", "morfar", "mormor", "motspiller", "nabo", "nevø", "niese",
        "nordmann", "novise", "offer", "onkel", "overlevende", "pasient", "person", "raner", "russer",
        "samarbeider", "samboer", "samfunnskritiker", "siktede", "siktet", "stefar", "stemor", "stjerne",
        "supporter", "svenske", "svigerdatter", "svigerfar", "svigerinne", "svigermor", "svigersønn", "svoger",
        "sønn", "søppeltrener", "søsken", "søster", "tante", "terrorist", "tilskuer", "tiltalte", "toppscorer",
        "turist", "tysker", "tyv", "venn", "venninne", "vitne", "voldtektsmann",
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

# Short forms written before a name: "kong Harald" is a "konge".
TITLE_ALIASES = {"kong": "konge"}

# Royal titles: "prins Albert av Monaco" is person "Albert", org "Monaco".
ROYAL_TITLES = frozenset(
    {
        "dronning", "hertug", "hertuginne", "keiser", "keiserinne", "konge", "kronprins", "kronprinsesse",
        "kronprinsregent", "prins", "prinsesse", "regent", "storhertug", "storhertuginne",
    }
)

# Offices of a state, which a country adjective or a nationality prefix gives an org:
# "den spanske dronning Sofia" → Spania. Occupations do not ("den greske geografen Strabo").
STATE_OFFICES = ROYAL_TITLES | frozenset(
    {"ambassadør", "kansler", "minister", "president", "statsminister", "statsråd", "visepresident"}
)

# Country adjectives (definite or plural form, as before a title) and nationality prefixes of
# compounds ("svenskekongen") → the country.
COUNTRY_ADJECTIVES = {
    "afghanske": "Afghanistan", "amerikanske": "USA", "belgiske": "Belgia", "britiske": "Storbritannia",
    "danske": "Danmark", "egyptiske": "Egypt", "finske": "Finland", "franske": "Frankrike", "indiske": "India",
    "irakiske": "Irak", "iranske": "Iran", "islandske": "Island", "israelske": "Israel", "italienske": "Italia",
    "japanske": "Japan", "kinesiske": "Kina", "nederlandske": "Nederland", "nordkoreanske": "Nord-Korea",
    "norske": "Norge", "pakistanske": "Pakistan", "polske": "Polen", "portugisiske": "Portugal",
    "russiske": "Russland", "spanske": "Spania", "svenske": "Sverige", "syriske": "Syria", "tyrkiske": "Tyrkia",
    "tyske": "Tyskland", "ukrainske": "Ukraina", "østerrikske": "Østerrike",
}
NATIONALITY_PREFIXES = {"danske": "Danmark", "norges": "Norge", "svenske": "Sverige"}

# Prefixes of a role noun that are dropped: "Eksbutleren" → "butler", "eks-skøyteløper" → "skøyteløper".
DROPPED_PREFIXES = ("eks",)

# Words allowed between a genitive owner (or "den") and the role that describe, not name, the office:
# "Finlands kvinnelige president", "Norges kanskje fremste Hamas-ekspert", "VIFs andre talsmann".
DESCRIBING_WORDS = frozenset({"andre", "første", "fremste", "høyt", "kanskje", "tredje"})

# Determiners that open a described role phrase: "den spanske dronning Sofia".
ROLE_DETERMINERS = frozenset({"de", "den", "det"})

# Verbs of "ble valgt til partileder", "innviet til munk".
PREDICATE_VERBS_TIL = frozenset(
    {"ansatt", "gjenvalgt", "innsatt", "innviet", "kåret", "nominert", "ordinert", "tilsatt", "utnevnt", "utpekt", "valgt"}
)

# Role nouns so general that, referring back, they only shorten a role the person already has:
# "sjefen" for a trainer, "statsråden" for a justice minister.
GENERIC_ROLE_NOUNS = frozenset({"leder", "minister", "sjef", "statsråd"})

# Possessives around a role noun that make it someone else's: "treneren hans", "hennes advokat".
POSSESSIVES = frozenset({"deres", "hans", "hennes", "sin", "sine", "sitt"})

# Personal pronouns that can be the subject of "Han er en habil bassist".
SUBJECT_PRONOUNS = frozenset({"han", "hun"})

# Indefinite articles between a copula and a role: "er en habil bassist".
INDEFINITE_ARTICLES = frozenset({"ei", "en", "et"})

# Organisation spellings normalised to the form the archive uses: "Fr.p." → "Frp".
ORG_SPELLINGS = {"Fr.p.": "Frp", "Fr.p": "Frp", "Kr.F.": "KrF", "Kr.F": "KrF"}

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
