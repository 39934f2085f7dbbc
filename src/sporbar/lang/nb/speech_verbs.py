"""Verbs that introduce what someone said, wrote or holds, in the forms news text uses.

Sources: the attribution verbs in the NDT news corpus (``../shared/corpora``),
Norsk Ordbank's inflection of each (present, past, perfect participle, infinitive),
and Språkrådet's list of «anføringsverb». Particle verbs are listed whole
(``slår fast``, ``tok til orde``); ``SPEECH_VERB_LEMMAS`` maps every form to
its base form so reports can group them.
"""

# Verbs of saying and writing: their clause or quote is what someone said.
_SAYING = {
    "si": ("sier", "sa", "sagt", "si", "sei", "seier"),
    "fortelle": ("forteller", "fortalte", "fortalt", "fortelle"),
    "skrive": ("skriver", "skrev", "skrevet", "skrive"),
    "opplyse": ("opplyser", "opplyste", "opplyst", "opplyse"),
    "uttale": ("uttaler", "uttalte", "uttalt", "uttale"),
    "understreke": ("understreker", "understreket", "understreke"),
    "påpeke": ("påpeker", "påpekte", "påpekt", "påpeke"),
    "poengtere": ("poengterer", "poengterte", "poengtert", "poengtere"),
    "hevde": ("hevder", "hevdet", "hevde"),
    "mene": ("mener", "mente", "ment", "mene"),
    "tro": ("tror", "trodde", "trodd", "tro"),
    "frykte": ("frykter", "fryktet", "frykte"),
    "håpe": ("håper", "håpet", "håpe"),
    "forklare": ("forklarer", "forklarte", "forklart", "forklare"),
    "legge til": ("legger til", "la til", "lagt til"),
    "svare": ("svarer", "svarte", "svart", "svare"),
    "spørre": ("spør", "spurte", "spurt", "spørre"),
    "konstatere": ("konstaterer", "konstaterte", "konstatert", "konstatere"),
    "bekrefte": ("bekrefter", "bekreftet", "bekrefte"),
    "innrømme": ("innrømmer", "innrømmet", "innrømme"),
    "erkjenne": ("erkjenner", "erkjente", "erkjent", "erkjenne"),
    "advare": ("advarer", "advarte", "advart", "advare"),
    "varsle": ("varsler", "varslet", "varsle"),
    "kunngjøre": ("kunngjør", "kunngjorde", "kunngjort", "kunngjøre"),
    "meddele": ("meddeler", "meddelte", "meddelt", "meddele"),
    "melde": ("melder", "meldte", "meldt", "melde"),
    "rapportere": ("rapporterer", "rapporterte", "rapportert", "rapportere"),
    "love": ("lover", "lovet", "lovte", "love"),
    "forsikre": ("forsikrer", "forsikret", "forsikre"),
    "fastslå": ("fastslår", "fastslo", "fastslått", "fastslå"),
    "slå fast": ("slår fast", "slo fast", "slått fast"),
    "argumentere": ("argumenterer", "argumenterte", "argumentert", "argumentere"),
    "påstå": ("påstår", "påsto", "påstod", "påstått", "påstå"),
    "anslå": ("anslår", "anslo", "anslått", "anslå"),
    "anta": ("antar", "antok", "antatt", "anta"),
    "mumle": ("mumler", "mumlet", "mumle"),
    "rope": ("roper", "ropte", "ropt", "rope"),
    "smile": ("smiler", "smilte",),
    "le": ("ler", "lo",),
    "sukke": ("sukker", "sukket",),
    "utdype": ("utdyper", "utdypet", "utdype"),
    "kommentere": ("kommenterer", "kommenterte", "kommentert", "kommentere"),
    "tilføye": ("tilføyer", "tilføyde", "tilføyd", "tilføye"),
    "fortsette": ("fortsetter", "fortsatte",),
    "mene bestemt": (),
    "presisere": ("presiserer", "presiserte", "presisert", "presisere"),
    "betone": ("betoner", "betonte", "betont", "betone"),
    "framholde": ("framholder", "fremholder", "framholdt", "fremholdt"),
    "konkludere": ("konkluderer", "konkluderte", "konkludert", "konkludere"),
    "innvende": ("innvender", "innvendte", "innvendt"),
    "mistenke": ("mistenker", "mistenkte", "mistenkt"),
    "regne med": ("regner med", "regnet med"),
    "vise til": ("viser til", "viste til"),
    "skryte": ("skryter", "skrøt", "skrytt"),
    "klage": ("klager", "klaget"),
    "kreve": ("krever", "krevde", "krevd"),
    "oppfordre": ("oppfordrer", "oppfordret", "oppfordre"),
    "be": ("ber", "ba", "bad", "bedt"),
    "tvitre": ("tvitrer", "tvitret"),
    "ta til orde": ("tar til orde", "tok til orde", "tatt til orde"),
    "avvise": ("avviser", "avviste", "avvist", "avvise"),
    "bedyre": ("bedyrer", "bedyret", "bedyre"),
    "peke på": ("peker på", "pekte på", "pekt på"),
    "tvile på": ("tviler på", "tvilte på"),
    "synes": ("synes", "syntes"),
    "avslutte": ("avslutter", "avsluttet"),
    "synge": ("synger", "sang"),
    "skrike": ("skriker", "skrek"),
    "hviske": ("hvisker", "hvisket"),
    "erklære": ("erklærer", "erklærte", "erklært"),
    # Stance phrases: "er klar på at", "legger ikke skjul på at", "er ikke i tvil om at", "står fast ved at".
    "være klar på": ("klar på",),
    "være tydelig på": ("tydelig på",),
    "legge ikke skjul på": ("skjul på",),
    "være i tvil om": ("tvil om",),
    "stå fast ved": ("fast ved",),
}

SPEECH_VERB_LEMMAS: dict[str, str] = {form: lemma for lemma, forms in _SAYING.items() for form in forms}
SPEECH_VERBS = frozenset(SPEECH_VERB_LEMMAS)

# Verbs of saying and opinion whose content clause may drop "at": "Hove mener Sydneshaugen har bedre standard".
AT_OPTIONAL = frozenset({"sier", "sa", "mener", "mente", "tror", "trodde", "synes", "syntes", "hevder", "hevdet",
                         "forteller", "fortalte", "understreker", "understreket", "påpeker", "påpekte", "frykter",
                         "fryktet", "håper", "håpet", "antar", "antok"})

# Verbs that only introduce a quote when a content clause follows (``ber … om å``), never a dash quote alone.
REQUEST_VERBS = frozenset({"ber", "ba", "bad", "bedt", "oppfordrer", "oppfordret", "oppfordre", "krever", "krevde", "krevd",
                           "tar til orde", "tok til orde", "tatt til orde"})
# Stance phrases are never the attribution after a quote ("…, klar på X" is not a thing).
STANCE_PHRASES = frozenset({"klar på", "tydelig på", "skjul på", "tvil om", "fast ved", "peker på", "pekte på", "pekt på",
                            "tviler på", "tvilte på"})

# Verbs after a dash quote that report how it was said ("– Ja, smiler han.").
MANNER_VERBS = frozenset({"smiler", "smilte", "ler", "lo", "sukker", "sukket", "roper", "ropte", "mumler", "mumlet",
                          "fortsetter", "fortsatte", "legger til", "la til", "svarer", "svarte", "spør", "spurte"})

# Thought and memory verbs: not quotes (NOTES.md conventions).
NOT_SPEECH = frozenset({"tenker", "tenkte", "husker", "husket", "lurer", "lurte", "drømmer", "drømte"})
