"""Titles and roles in front of names, per language: `Kremlchef Wladimir Putin` -> `Wladimir Putin`.

Agencies put a role before a name (`Außenminister Sergej Lawrow`, `Chinas Staatschef Xi Jinping`,
`Russian President Vladimir Putin`). A tagger span that keeps the role is longer than the knowledge
base's name inside it and would win over it, unlinked and sometimes mistyped (an organisation).
`strip_spans` cuts those words off the front of tagger spans:

- role words of each language (`Präsident`, `ministre`, `presidente`, `Prime Minister`), and German
  compounds ending in a role (`Kremlchef`, `Außenminister`, `Machthaber`, `Regierungssprecherin`);
- a country or its adjective before the role (`Chinas`, `Nordkoreas`, `Russian`, `russische`);
- a place-kind word before a place name (`Region Kursk`, `Provinz`, `Oblast`): the rest is a place;
- a city or country the tagger ran into a person's name (`à Pékin Sergueï Lavrov`).

Lowercase roles (`le président russe`, `il presidente`, `el líder norcoreano`) are already cut by the
entities stage, which drops leading lowercase words; they are listed here too for capitalised
sentence starts (`Le président russe Vladimir Poutine a ...`). Pure functions, no state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from newswire.enrich.lexical import fold

if TYPE_CHECKING:  # imported for types only: the entities stage imports this module
    from newswire.enrich.stages.entities import Span

# Role words (folded) shared by several languages or specific to one; multi-word roles are
# removed word by word (`Prime Minister` = `prime` + `minister`), so only whole role phrases
# are listed as single words here.
_ROLES = {
    "en": "president vice prime minister foreign defence defense interior finance secretary chancellor leader "
    "premier king queen prince pope general spokesman spokeswoman chief senator governor mayor ambassador "
    "envoy commander chairman chairwoman chair ceo executive head deputy former acting opposition supreme state "
    "coach captain lawmaker councilman councilwoman councilmember councillor councilor alderman alderwoman "
    "assemblyman assemblywoman congressman congresswoman congressmember representative rep sen gov "
    "commissioner supervisor sheriff judge justice prosecutor attorney superintendent inspector detective "
    "sergeant sgt officer constable trooper lieutenant lt colonel col corporal cpl admiral "
    "professor prof dr bishop archbishop cardinal reverend rev rabbi imam pastor "
    "treasurer comptroller auditor trustee director manager founder president-elect mp mep",
    "es": "presidente presidenta vicepresidente ministro ministra canciller lider mandatario jefe jefa rey reina "
    "principe papa portavoz general secretario secretaria gobernador gobernadora alcalde alcaldesa embajador "
    "embajadora primer primera expresidente dictador entrenador capitan diputado diputada senador senadora "
    "director directora concejal concejala regidor regidora consejero consejera asambleista juez jueza fiscal "
    "comisario comisaria inspector inspectora sargento teniente coronel comandante obispo "
    "arzobispo cardenal profesor profesora delegado delegada subdelegado subdelegada "
    "fundador fundadora gerente consejero-delegado tesorero tesorera sindico",
    "fr": "president presidente ministre premier premiere chef dirigeant dirigeante chancelier chanceliere roi "
    "reine prince pape porte-parole general secretaire gouverneur maire ambassadeur ancien ex entraineur depute "
    "senateur directeur directrice patron",
    "de": "prasident prasidentin kanzler kanzlerin minister ministerin premier premierminister konig konigin "
    "papst sprecher sprecherin general generalsekretar chef chefin machthaber staatschef regierungschef "
    "burgermeister burgermeisterin botschafter botschafterin ex-prasident altkanzler",
    "it": "presidente premier ministro ministra cancelliere leader capo re regina principe papa portavoce "
    "generale segretario sindaco sindaca ambasciatore ex allenatore deputato senatore direttore",
    "pt": "presidente presidenta ministro ministra chanceler lider chefe rei rainha principe papa porta-voz "
    "general secretario governador governadora prefeito prefeita embaixador embaixadora primeiro primeira "
    "ex-presidente treinador deputado senador diretor diretora",
}
ROLES: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _ROLES.items()}
ALL_ROLES = frozenset().union(*ROLES.values())

# German compounds: `Kremlchef`, `Außenminister`, `Regierungssprecherin`, `Machthaber`.
_GERMAN_ROLE_END = re.compile(
    r"(?:chef|chefin|minister|ministerin|prasident|prasidentin|kanzler|kanzlerin|sprecher|sprecherin|"
    r"fuhrer|fuhrerin|haber|konig|konigin|sekretar|sekretarin|vorsitzende|vorsitzender|botschafter|"
    r"beauftragte|beauftragter|kommissar|kommissarin|general|mitglied|direktor|direktorin|leiter|leiterin|"
    r"trainer|trainerin|abgeordnete|abgeordneter)$"
)

# Place kinds before a place name (`Region Kursk`, `Provinz Hebei`, `Oblast Cherson`).
_PLACE_KIND_WORDS = (
    "Region",
    "Gebiet",
    "Provinz",
    "Bundesstaat",
    "Oblast",
    "Präfektur",
    "Bezirk",
    "Kanton",
    "Landkreis",
    "Stadt",
    "Hauptstadt",
    "Insel",
    "Halbinsel",
    "Province",
    "Prefecture",
    "State",
    "County",
    "Island",
    "Región",
    "Provincia",
    "Estado",
    "Departamento",
    "Comuna",
    "Prefectura",
    "Isla",
    "Région",
    "Préfecture",
    "Département",
    "Île",
    "Regione",
    "Prefettura",
    "Isola",
    "Região",
    "Província",
    "Ilha",
)
PLACE_KINDS = frozenset(fold(word) for word in _PLACE_KIND_WORDS)

# Country adjectives in front of a role (`Russian President`, `der russische Präsident`); the
# genitive of a country name (`Chinas`, `Nordkoreas`, `Russlands`) is recognised by the gazetteer.
_NATIONALITY = re.compile(
    r"^(?:russ|rus[oa]|chin|cines|nordkorean|sudkorean|korean|corean|coreen|japan|japon|giappon|amerikan|"
    r"americ|estadounidense|us|u\.s\.|french|franzos|frances|francais|british|britisch|britan|german|"
    r"deutsch|aleman|allemand|tedesc|ukrain|ucrain|iran|israel|turk|turc|indian|indisch|brazil|brasil|"
    r"spanish|spanisch|espan|espagnol|spagnol|italian|italien|north|south|nord|sud|norte)\w*$"
)
_WORD = re.compile(r"[\w.'’-]+")

# Heads of organisation and building names (folded). A role or place-kind word in front of one is
# part of the name, not a title: `State Department`, `President Hotel`, `State Street Bank`.
_ORG_HEAD_WORDS = (
    "department ministry office agency bureau council committee commission board court bank hotel university "
    "college school hospital party union association institute company corporation group club church street "
    "avenue square building palace tower airport station stadium museum "
    "departamento ministerio oficina agencia consejo comite comision tribunal banco hotel universidad colegio "
    "escuela hospital partido sindicato asociacion instituto empresa club iglesia calle avenida plaza palacio "
    "ministere bureau conseil banque hopital parti universite ecole eglise rue "
    "ministerium amt rat bank hotel universitat schule krankenhaus partei strasse platz "
    "ministero consiglio banca ospedale partito universita scuola chiesa via piazza "
    "ministerio conselho banco universidade escola igreja rua praca"
)
_ORG_HEADS = frozenset(_ORG_HEAD_WORDS.split())


S = TypeVar("S", bound="Span")  # the entities stage's tagger spans (frozen dataclasses)


# Both tests are asked about the same few words in story after story (every word before a person's
# mention, every word of a tagger span): answered once per word and language, bounded like fold_word.
@lru_cache(maxsize=8192)
def is_role(word: str, language: str) -> bool:
    """Is ``word`` (as written) a title or role in ``language`` (or one shared by all)?"""
    key = fold(word)
    if key in ROLES.get(language, ALL_ROLES) or (key in ALL_ROLES and word[:1].isupper()):
        return True
    return language in ("de", "lb") and len(key) > 5 and _GERMAN_ROLE_END.search(key) is not None


@lru_cache(maxsize=8192)
def is_country_word(word: str) -> bool:
    """A country adjective or a country's genitive (`Chinas`, `Russlands`), before a role."""
    key = fold(word)
    if _NATIONALITY.match(key):
        return True
    if key.endswith("s") and len(key) > 4:
        from newswire.enrich.gazetteer import gazetteer  # the big table loads only when needed

        place = gazetteer().lookup(word[:-1])
        return place is not None and place.kind == "country"
    return False


def name_start(text: str, start: int, end: int, language: str) -> tuple[int, str | None]:
    """Where the name begins in ``text[start:end]`` after titles and roles, and the label the rest
    gets (``LOC`` after a place kind such as `Region`, else None). ``start`` when nothing is cut."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]
    cut = 0
    relabel: str | None = None
    i = 0
    while i < len(words) - 1:  # never cut the last word: a role alone is no name
        word = words[i][2]
        following = words[i + 1][2]
        # a place kind starts the span and no role follows (`Secretary of State X`, `State Governor X`)
        if cut == 0 and fold(word) in PLACE_KINDS and following[:1].isupper() and not is_role(following, language):
            cut, relabel = i + 1, "LOC"
            break
        if is_role(word, language) or (is_country_word(word) and is_role(following, language)):
            cut = i + 1  # a role, or a country before one (`Chinas Staatschef`)
        elif cut == i and word.islower() and is_country_word(word):
            cut = i + 1  # a nationality after the role (`le président russe`, `il presidente russo`)
        elif fold(word) not in ("der", "die", "the", "of", "le", "la", "il", "el", "o", "a", "de", "du", "des"):
            break
        i += 1
    if cut == 0 or cut >= len(words):
        return start, None
    if any(fold(w) in _ORG_HEADS for _, _, w in words[cut:]):
        return start, None  # the role heads an organisation's name (`State Department`, `President Hotel`)
    # the name after the cut must still be capitalised (`Präsident der Republik` is no name)
    first = words[cut][2]
    if not first[:1].isupper():
        return start, None
    return words[cut][0], relabel


# Small words inside a multi-word role (`Secretary of State`, `Ministerin für Bildung`), kept only between roles.
_ROLE_JOINERS = frozenset({"of", "for", "de", "del", "der", "des", "fur", "di", "do", "da"})


def role_before(text: str, start: int, language: str) -> str | None:
    """The title or role written right before a name at ``start`` (`Mayor` in `Mayor Thomas Reed`,
    `presidente ruso` in `el presidente ruso Vladimir Putin`), or None. Only whitespace may separate
    the role words from each other and from the name, so `the mayor, Thomas Reed` has none."""
    before = text[max(0, start - 60) : start]
    if not before.endswith((" ", "\u00a0")) or not before.rstrip()[-1:].isalpha():
        return None  # most mentions follow punctuation or a line break: no role, and no work
    words = list(_WORD.finditer(text, max(0, start - 60), start))
    first = last = None
    i = len(words) - 1
    boundary = start
    while i >= 0:
        match = words[i]
        gap = text[match.end() : boundary]
        if gap.strip() or not gap or "\n" in gap:
            break  # punctuation, a line break, or the word runs into what follows
        word = match.group()
        joined = fold(word) in _ROLE_JOINERS and i > 0 and first is not None and is_role(words[i - 1].group(), language)
        if not (is_role(word, language) or is_country_word(word) or joined):
            break
        first = match
        last = last or match
        boundary = match.start()
        i -= 1
    if first is None or last is None:
        return None
    role = text[first.start() : last.end()]
    return role if any(is_role(w, language) for w in role.split()) else None


def _after_place(text: str, start: int, end: int) -> int:
    """Where a person's name begins after a city or country the tagger ran into it (`à Pékin Sergueï
    Lavrov`): only when two or more capitalised words are left, so `Israel Katz` or `Santiago
    Abascal` stay whole."""
    words = [(m.start(), m.group()) for m in _WORD.finditer(text, start, end)]
    if len(words) < 3 or not all(w[:1].isupper() for _, w in words[1:3]):
        return start
    from newswire.enrich.gazetteer import gazetteer

    place = gazetteer().lookup(words[0][1])
    return words[1][0] if place is not None and (place.major or place.kind == "country") else start


def strip_spans(text: str, spans: Sequence[S], language: str) -> list[S]:
    """Tagger spans with leading titles and roles removed (and place kinds: relabelled ``LOC``)."""
    out: list[S] = []
    for span in spans:
        if _WORD.fullmatch(text, span.start, span.end):
            out.append(span)  # one word (most spans): no title to cut, no place run into a name
            continue
        begin, relabel = name_start(text, span.start, span.end, language)
        if begin == span.start and span.label == "PER":
            begin = _after_place(text, span.start, span.end)
        if begin == span.start:
            out.append(span)
            continue
        if relabel is None and span.label != "PER" and " " not in text[begin : span.end].strip():
            out.append(span)  # `General Motors`, `Premier League`: a one-word rest is no organisation
            continue
        label = relabel or span.label
        out.append(replace(span, start=begin, text=text[begin : span.end], label=label))
    return out


__all__ = [
    "ALL_ROLES",
    "PLACE_KINDS",
    "ROLES",
    "is_country_word",
    "is_role",
    "name_start",
    "role_before",
    "strip_spans",
]
