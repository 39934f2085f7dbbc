"""Words that stand for a speaker: pronouns and role nouns that refer back to someone named earlier.

Sources: Norsk referansegrammatikk (personal pronouns); the role nouns of the
NDT news corpus in definite form (``utenriksministeren``, ``departementet``).
"""

PERSON_PRONOUNS = frozenset({"han", "hun", "hen", "ham", "henne"})
PLURAL_PRONOUNS = frozenset({"de", "vi"})

# Definite role nouns → their base form. A role noun speaker is resolved to the
# person (or organisation) the article last named with that role.
ROLE_NOUNS_DEFINITE: dict[str, str] = {
    "statsministeren": "statsminister",
    "utenriksministeren": "utenriksminister",
    "justisministeren": "justisminister",
    "forsvarsministeren": "forsvarsminister",
    "finansministeren": "finansminister",
    "helseministeren": "helseminister",
    "kulturministeren": "kulturminister",
    "kunnskapsministeren": "kunnskapsminister",
    "næringsministeren": "næringsminister",
    "ministeren": "minister",
    "statsråden": "statsråd",
    "presidenten": "president",
    "visepresidenten": "visepresident",
    "statsministerkandidaten": "statsministerkandidat",
    "ordføreren": "ordfører",
    "varaordføreren": "varaordfører",
    "rådmannen": "rådmann",
    "lederen": "leder",
    "partilederen": "partileder",
    "nestlederen": "nestleder",
    "styrelederen": "styreleder",
    "direktøren": "direktør",
    "sjefen": "sjef",
    "politisjefen": "politisjef",
    "politimesteren": "politimester",
    "kommunikasjonssjefen": "kommunikasjonssjef",
    "pressesjefen": "pressesjef",
    "talspersonen": "talsperson",
    "talsmannen": "talsmann",
    "talskvinnen": "talskvinne",
    "generalsekretæren": "generalsekretær",
    "ambassadøren": "ambassadør",
    "forskeren": "forsker",
    "professoren": "professor",
    "eksperten": "ekspert",
    "advokaten": "advokat",
    "forsvareren": "forsvarer",
    "aktoren": "aktor",
    "dommeren": "dommer",
    "legen": "lege",
    "treneren": "trener",
    "landslagssjefen": "landslagssjef",
    "kapteinen": "kaptein",
    "keeperen": "keeper",
    "spissen": "spiss",
    "kunstneren": "kunstner",
    "forfatteren": "forfatter",
    "regissøren": "regissør",
    "artisten": "artist",
    "sangeren": "sanger",
    "skuespilleren": "skuespiller",
    "kokken": "kokk",
    "eieren": "eier",
    "biskopen": "biskop",
    "kongen": "konge",
    "dronningen": "dronning",
    "kronprinsen": "kronprins",
    "departementet": "departement",
    "utenriksdepartementet": "utenriksdepartement",
    "regjeringen": "regjering",
    "politiet": "politi",
    "selskapet": "selskap",
    "kommunen": "kommune",
    "partiet": "parti",
    "organisasjonen": "organisasjon",
    "forbundet": "forbund",
    "klubben": "klubb",
    "avisen": "avis",
    "byrået": "byrå",
    "nyhetsbyrået": "nyhetsbyrå",
}

# Role nouns that name organisations rather than people.
ORGANISATION_ROLE_NOUNS = frozenset(
    {"departementet", "utenriksdepartementet", "regjeringen", "politiet", "selskapet", "kommunen", "partiet",
     "organisasjonen", "forbundet", "klubben", "avisen", "byrået", "nyhetsbyrået"}
)

# Prepositions that introduce the addressee of what was said ("sa Tillerson til delegatene").
ADDRESSEE_PREPOSITIONS = frozenset({"til", "overfor"})

# Words that end a speaker phrase in an attribution clause (time words, adverbs).
ATTRIBUTION_STOP_WORDS = frozenset(
    {"i", "på", "om", "etter", "under", "ved", "da", "når", "mandag", "tirsdag", "onsdag", "torsdag", "fredag",
     "lørdag", "søndag", "i går", "i dag", "nå", "også", "videre", "fornøyd", "lattermild", "bestemt", "kontant",
     "tørt", "og", "men", "som"}
)
