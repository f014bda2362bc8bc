"""What kind of event a story reports, in any of es, en, fr, de, it, pt: language-independent labels.

Names say who and where; they do not say what happened. A missile test and a summit can name the
same people on the same day, and two earthquakes the same day differ only by place. So every story
gets event classes (``quake``, ``missile``, ``meeting``, ...) from its headline, or, when the headline
holds no event word, from the first sentence of its lead: the words an agency uses to say what the
story is about. Each class belongs to one or more families (``disaster``, ``conflict``,
``diplomacy``, ...). Two stories whose classes share no family are not about one event.

Cues are folded word stems (accents and case ignored) matched at the start of a word; German
compounds also match at their end, inflected or not (`Seebeben`, `Waldbrände`, `Atomgespräche`). Short cues (<= 3
letters) and cues marked ``=`` match whole words only. The lists are written here from ordinary vocabulary of each
language, not from any evaluation set.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# class -> (families, cue stems in es en fr de it pt)
_CLASSES: dict[str, tuple[str, str]] = {
    "quake": (
        "disaster",
        "terremot sismo sismic seism earthquak quake tremblement erdbeb beben tsunami tremor sisma temblor "
        "secousse scossa abalo erdstoss aftershock",
    ),
    "storm": (
        "disaster weather",
        "huracan hurricane ouragan hurrikan uragano furacao tifon typhoon typhon taifun tufao ciclon cyclone zyklon "
        "tormenta storm tempete sturm unwetter tempesta tempestade borrasca tornado",
    ),
    "flood": (
        "disaster weather",
        "inundac flood inondat hochwasser uberschwemm alluvion inondazion enchente crecida riada diluvi",
    ),
    "fire": ("disaster", "incendi fire= wildfire blaze waldbrand grossbrand brand= feu fogo llamas flammen flames"),
    "heat": ("disaster weather", "calor heatwave canicule hitzewelle hitze"),
    "volcano": ("disaster", "volcan volcano vulkan vulcan erupc erupt eruzion"),
    "missile": ("conflict military", "misil missile rakete missil balistic ballistic icbm raketentest atomtest"),
    "attack": (
        "conflict security",
        "atentad attack attentat anschlag attacc ataque bomb= bombs= bombing bomba bombe explos terror suicid kamikaze",
    ),
    "airstrike": (
        "conflict military",
        "bombard airstrike luftangriff raid drohne drone offensiv ofensiv",
    ),
    "shooting": ("security", "tiroteo shooting gunman fusillade schiesser sparatoria tiroteio disparos schusse"),
    "fighting": (
        "conflict military",
        "troops= troop= truppen tropas troupes truppe soldat soldier frontline fighting gefecht battle batalla "
        "bataille battaglia",
    ),
    "ceasefire": (
        "conflict diplomacy",
        "cessez tregua ceasefire waffenruhe waffenstillstand armisticio cessar",
    ),
    "parade": ("ceremony diplomacy", "desfile parade defile militarparade parata"),
    "meeting": (
        "diplomacy",
        "reun meet talks summit cumbre sommet gipfel vertice cupula cimeira treffen trifft traf empfang empfangt "
        "rencontr entretien entretenu recu= recue= incontr encontr entrevist receb recib recoit riceve receive "
        "visit besuch gesprach conversac colloqui negocia negotiat verhandl pourparler dialogo bilateral "
        "hosts= acoge accueill discussion discusion discussio diskussion",
    ),
    "call": (
        "diplomacy",
        "phone telefon telephon llamada conversan conversation conversacion conversazione appel= telefonat "
        "videoconferen felicit congratul gratulier condolen",
    ),
    "agreement": (
        "diplomacy economy",
        "acuerdo agreement deal accord= accords= abkommen vereinbar accordo acordo pacto pact treaty tratado traite "
        "vertrag trattato firman signe signing unterzeichn assina",
    ),
    "election": (
        "politics",
        "elecc election elected elector electo= wahl elezion eleic vote voto votac scrutin urnes ballot "
        "referend comicios stichwahl "
        "runoff presidencial legislativ",
    ),
    "government": (
        "politics",
        "dimit dimision resign demission rucktritt dimission demiss renunc nombra appoint ernenn nomina nomeia "
        "gabinete cabinet kabinett investidur mocion misstrauen",
    ),
    "legislation": (
        "politics",
        "presupuest budget haushalt bilancio orcament ley= gesetz loi= legge lei= bill= debate debatte "
        "parlamentsdebatte generaldebatte reform",
    ),
    "protest": (
        "civic",
        "protest manifestac manifestant manifestation manifestazion demonstrant demonstration kundgeb huelga "
        "streik greve sciopero walkout",
    ),
    "justice": (
        "justice",
        "juicio trial prozess julgamento sentenc convict verurteil tribunal court= courts= gericht arrest "
        "detenid detien arresto festgenom preso prision prison haft carcere juez judge "
        "richter giudice acusad accus anklage",
    ),
    "sport": (
        "sport",
        "partido match spiel partita jogo gol goal golea goleada derrota wins= won= vence vince gagne remporte "
        "gana= gano= etapa etappe tappa etape maillot maglia ciclis cyclis radsport peloton tour= giro= "
        "vuelta= beat defeat besieg sieg victoria "
        "victory vittoria vitoria victoire champion campeon campeo campion meister titel liga "
        "league ligue coppa copa pokal torneo tournament turnier final= finale= semifinal etappe race= races= "
        "rennen corrida gara= maraton marathon olymp olimp",
    ),
    "accident": (
        "accident",
        "accident unfall incident acident crash choque collision colision derail descarril entgleis deragli "
        "absturz naufrag shipwreck schiffbruch siniestr",
    ),
    "death": ("death", "fallec muere murio dies= died= meurt stirbt gestorben muore morre morreu obituar decede"),
    "rates": (
        "economy",
        "tipos interest rates zins leitzins taux tassi juros tasas notenbank zentralbank",
    ),
    "trade": ("economy", "arancel tariff zoll zolle douane dazi tarifa"),
    "markets": (
        "economy",
        "bolsa stocks borse bourse borsa ibex dax inflac inflation inflazion ipc cpi paro desempleo "
        "unemploy arbeitslos chomage disoccupaz desemprego pib gdp bip konjunktur recession rezession",
    ),
    "earnings": (
        "economy",
        "beneficio profit gewinn benefic utile lucro resultados results earnings quartal trimestre quarter "
        "ventas sales umsatz chiffre fatturato receita",
    ),
    "health": ("health", "brote outbreak epidem pandem virus vacun vaccin impf ausbruch contagi infecc infect"),
    "space": (
        "science",
        "cohete starship spacex rocket fusee satelit satellite astronaut espacial spacecraft raumfahrt",
    ),
    "culture": ("culture", "premio award prize festival estreno concierto concert konzert oscar"),
    "migration": ("migration", "migrant refugi fluchtling asylum asilo pateras patera"),
}
_GERMANIC = frozenset({"de", "lb", "nl"})
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑÀÈÌÒÙÂÊÎÔÛÄÖÜÇ«\"“])")
_DATELINE = re.compile(r"^[^\n]{0,80}?(?:\)\s*\.?\s*[-–—]+|\s[-–—]{1,2}\s)")  # `Pekín, 3 sep (EFE).-`, `PARIS -`


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


# Families of events told by where they happen more than by who acts (no people need to be shared).
PLACE_FAMILIES = frozenset({"disaster", "weather", "accident", "health", "science", "civic"})
FAMILIES: dict[str, frozenset[str]] = {name: frozenset(spec[0].split()) for name, spec in _CLASSES.items()}
_CUES: tuple[tuple[str, str], ...] = tuple(
    sorted({(fold(cue), name) for name, spec in _CLASSES.items() for cue in spec[1].split()})
)
# whole words only: short cues, and cues marked `=` (`accord=` is no `according`, `final=` no `finally`)
_EXACT: dict[str, set[str]] = {}
for _cue, _name in _CUES:
    if len(_cue) <= 3 or _cue.endswith("="):
        _EXACT.setdefault(_cue.rstrip("="), set()).add(_name)
_LONG = tuple((cue, name) for cue, name in _CUES if len(cue) > 3 and not cue.endswith("="))


_INFLECTIONS = ("", "e", "n", "s", "en", "es", "er")  # German endings after a compound's last part


@lru_cache(maxsize=65536)
def word_classes(word: str, compounds: bool) -> frozenset[str]:
    """The event classes of one folded word (cached: headlines repeat their vocabulary)."""
    found = set(_EXACT.get(word, ()))
    stems = {word[: len(word) - len(end)] for end in _INFLECTIONS if word.endswith(end)} if compounds else set()
    for cue, name in _LONG:
        if word.startswith(cue) or (len(cue) >= 5 and any(stem.endswith(cue) for stem in stems)):
            found.add(name)
    return frozenset(found)


def classes_of(text: str, language: str | None) -> frozenset[str]:
    """Event classes named anywhere in ``text``."""
    compounds = (language or "") in _GERMANIC
    out: set[str] = set()
    for word in _WORD.findall(text):
        out |= word_classes(fold(word), compounds)
    return frozenset(out)


def first_sentence(body: str) -> str:
    """The lead's first sentence, without the dateline (`Pekín, 3 sep (EFE).-`)."""
    lead = body.strip().split("\n", 1)[0]
    lead = _DATELINE.sub("", lead, count=1).strip()
    return _SENTENCE_END.split(lead, maxsplit=1)[0]


def event_classes(headline: str, body: str, language: str | None) -> frozenset[str]:
    """The story's event classes: the headline's, else its first sentence's (see the module doc)."""
    found = classes_of(headline, language)
    return found or classes_of(first_sentence(body), language)


def families(classes: frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in classes:
        out |= FAMILIES.get(name, frozenset())
    return frozenset(out)


__all__ = ["FAMILIES", "PLACE_FAMILIES", "classes_of", "event_classes", "families", "first_sentence", "word_classes"]
