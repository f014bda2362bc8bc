"""Reporting verbs and the small closed word classes the attribution scanner needs, per language.

Lexicons are written out by hand for es, en, fr, pt, de and it. Regular verbs are listed by
infinitive and expanded into the forms news prose uses for reported speech (present and past
third person, singular and plural, participle, gerund); irregular forms are listed as written.
Everything is lower case; lookups lower-case the token first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

LANGUAGES = ("es", "en", "fr", "pt", "de", "it")


def _words(text: str) -> list[str]:
    return text.split()


# --- Spanish --------------------------------------------------------------------------------

_ES_AR = _words(
    """
    afirmar señalar asegurar subrayar destacar indicar explicar declarar agregar precisar apuntar
    comentar manifestar resaltar enfatizar remarcar puntualizar matizar alertar avisar relatar aclarar
    denunciar lamentar anunciar reiterar revelar confesar contar expresar recalcar insinuar agradecer
    preguntar exclamar replicar valorar calificar considerar opinar estimar informar garantizar criticar
    reclamar zanjar ironizar bromear admitir asumir sentenciar proclamar augurar vaticinar argumentar
    razonar defender insistir añadir admitir protestar contestar reprochar apostillar remachar
    """
)
_ES_ER_IR = ["responder", "añadir", "insistir", "admitir", "defender", "aludir", "incidir", "resumir"]
_ES_IRREGULAR = _words(
    """
    dijo dijeron dice dicen decía decían dicho diciendo sostuvo sostuvieron sostiene sostienen sostenido
    sosteniendo advirtió advirtieron advierte advierten advertido advirtiendo recordó recordaron
    recuerda recuerdan recordado recordando manifestó manifestaron manifiesta manifiestan reconoció
    reconocieron reconoce reconocen reconocido reconociendo concluyó concluyeron concluye concluyen
    concluido pidió pidieron pide piden pedido pidiendo escribió escribieron escribe escriben escrito
    escribiendo prometió prometieron promete prometen prometido mencionó mencionaron menciona mencionan
    contó contaron cuenta cuentan expuso expusieron expone exponen propuso mantuvo mantuvieron mantiene
    mantienen tuiteó escribió publicó respondió respondieron responde responden respondido respondiendo
    añadió añadieron añade añaden añadido añadiendo insistió insistieron insiste insisten insistido
    insistiendo admitió admitieron admite admiten admitido defendió defendieron defiende defienden
    defendido aludió
    """
)
_ES_PREP_CUES = ("según",)

# --- English --------------------------------------------------------------------------------

_EN_BASE_OK = _words(
    """
    say tell add insist explain argue ask write recall admit concede suggest predict complain contend
    maintain reiterate conclude confirm deny assert allege accuse criticize describe agree believe think
    wonder acknowledge emphasize emphasise testify
    """
)
_EN_PAST = _words(
    """
    said told added stated noted warned insisted explained argued asked wrote claimed declared announced
    replied responded continued recalled acknowledged admitted conceded suggested tweeted posted quipped
    joked remarked observed stressed emphasized emphasised promised vowed urged predicted complained
    boasted lamented contended maintained countered reiterated recounted shouted yelled chanted
    cautioned concluded testified confirmed denied asserted alleged charged accused praised criticized
    criticised mocked blasted slammed touted labeled labelled dubbed branded described called
    characterized reported revealed agreed believed thought feared hoped pledged demanded questioned
    wondered scoffed exclaimed mused whispered explained read laughed sighed smiled answered retorted
    protested objected interjected repeated affirmed pleaded
    """
)
_EN_GERUNDS = _words(
    """
    saying telling adding noting warning insisting explaining arguing asking writing claiming declaring
    replying recalling admitting suggesting tweeting promising vowing urging complaining describing
    calling stressing
    """
)
_EN_VERBS = (
    _EN_BASE_OK
    + [v + ("es" if v.endswith(("sh", "ss")) else "s") for v in _EN_BASE_OK]
    + _words(
        """
    says reports reads denies testifies tweets writes warns answers replies responds counters recalls
    """
    )
    + _EN_PAST
    + _EN_GERUNDS
)
_EN_PREP_CUES = ("according",)  # "according to X"

# --- French ---------------------------------------------------------------------------------

_FR_ER = _words(
    """
    déclarer affirmer souligner ajouter expliquer indiquer préciser assurer estimer insister rappeler
    commenter noter marteler lancer confier avouer juger dénoncer regretter annoncer réaffirmer
    répliquer raconter relater constater observer avertir résumer trancher ironiser plaider insister
    déplorer protester témoigner réclamer exhorter alerter tweeter écrire
    """
)
_FR_IRREGULAR = _words(
    """
    dit disent disait dira écrit écrivent écrivait répond répondent répondu répondit répondait reconnaît
    reconnaissent reconnu reconnut avertit avertissent averti admet admettent admis soutient soutiennent
    soutenu conclut concluent conclu promet promettent promis poursuit poursuivent poursuivi prévient
    préviennent prévenu interroge interrogé s'exclame exclamé
    """
)
_FR_PREP_CUES = ("selon", "d'après", "d’après")

# --- Portuguese -----------------------------------------------------------------------------

_PT_AR = _words(
    """
    afirmar declarar destacar ressaltar salientar explicar sublinhar indicar apontar lembrar comentar
    alertar observar avaliar criticar acrescentar assegurar garantir frisar enfatizar reiterar ponderar
    questionar contar relatar revelar anunciar confessar admitir reclamar considerar defender insistir
    informar argumentar declarar
    """
)
_PT_ER_IR = _words(
    """
    responder reconhecer defender escrever advertir insistir admitir concluir
    """
)
_PT_IRREGULAR = _words(
    """
    disse disseram diz dizem dizia dito dizendo advertiu advertiram adverte advertem concluiu concluíram
    conclui concluem pediu pediram pede pedem manteve mantém sustentou sustenta escreveu escreveram
    escreve escrevem reconheceu reconheceram reconhece reconhecem respondeu responderam responde
    respondem prometeu prometeram promete prometem
    """
)
_PT_PREP_CUES = ("segundo", "conforme")

# --- German ---------------------------------------------------------------------------------

_DE_WORDS = _words(
    """
    sagte sagten sagt sagen gesagt erklärte erklärten erklärt betonte betonten betont fügte fügten
    hinzugefügt warnte warnten warnt gewarnt meinte meinten meint gemeint berichtete berichteten
    berichtet forderte forderten fordert gefordert versicherte versicherten versichert unterstrich
    unterstrichen unterstreicht bekräftigte bekräftigten bekräftigt kritisierte kritisierten kritisiert
    schrieb schrieben schreibt geschrieben erläuterte erläuterten erläutert ergänzte ergänzten ergänzt
    stellte räumte teilte kündigte hob sprach spricht antwortete antworteten antwortet bestätigte
    bestätigten bestätigt beklagte beklagten beklagt mahnte mahnten mahnt verkündete verkündet
    behauptete behauptet argumentierte argumentiert resümierte twitterte zitiert so
    """
)
_DE_PREP_CUES = ("laut", "zufolge")

# --- Italian --------------------------------------------------------------------------------

_IT_ARE = _words(
    """
    dichiarare affermare sottolineare spiegare ribadire precisare osservare commentare ricordare
    avvertire assicurare evidenziare insistere aggiungere dichiarare annunciare confermare denunciare
    lamentare raccontare rimarcare tuonare attaccare criticare incalzare ammonire rilevare segnalare
    """
)
_IT_IRREGULAR = _words(
    """
    dice dicono detto diceva disse dissero dicendo aggiunge aggiungono aggiunto aggiunse risponde
    rispondono risposto rispose scrive scrivono scritto scrisse conclude concludono concluso concluse
    insiste insistito insistette sostiene sostengono sostenuto sostenne ammette ammesso ammise promette
    promesso promise chiede chiesto chiese riconosce riconosciuto riconobbe
    """
)
_IT_PREP_CUES = ("secondo",)


def _es_forms(verbs: list[str]) -> set[str]:
    forms: set[str] = set()
    for verb in verbs:
        stem, ending = verb[:-2], verb[-2:]
        if ending == "ar":
            forms.update(stem + suffix for suffix in ("ó", "a", "aron", "an", "ado", "ando", "aba", "aban", "ará"))
        else:
            forms.update(stem + suffix for suffix in ("ió", "e", "ieron", "en", "ido", "iendo", "ía", "ían", "irá"))
    return forms


def _pt_forms(ar: list[str], er_ir: list[str]) -> set[str]:
    forms: set[str] = set()
    for verb in ar:
        stem = verb[:-2]
        forms.update(stem + suffix for suffix in ("ou", "a", "aram", "am", "ado", "ando", "ava"))
    for verb in er_ir:
        stem, ending = verb[:-2], verb[-2:]
        if ending == "er":
            forms.update(stem + suffix for suffix in ("eu", "e", "eram", "em", "ido", "endo", "ia"))
        else:
            forms.update(stem + suffix for suffix in ("iu", "e", "iram", "em", "ido", "indo", "ia"))
    return forms


def _fr_forms(verbs: list[str]) -> set[str]:
    forms: set[str] = set()
    for verb in verbs:
        stem = verb[:-2]
        if verb.endswith("ir"):  # avertir-like (second group)
            forms.update(stem + suffix for suffix in ("it", "issent", "i", "issait"))
            continue
        forms.update(stem + suffix for suffix in ("e", "ent", "é", "ée", "és", "a", "ait", "era"))
    return forms


def _it_forms(verbs: list[str]) -> set[str]:
    forms: set[str] = set()
    for verb in verbs:
        stem, ending = verb[:-3], verb[-3:]
        if ending == "are":
            forms.update(stem + suffix for suffix in ("a", "ano", "ato", "ò", "arono", "ando", "ava"))
        else:
            forms.update(stem + suffix for suffix in ("e", "ono", "ito", "uto", "ì", "endo", "eva"))
    return forms


@dataclass(frozen=True)
class Lexicon:
    verbs: frozenset[str]
    prep_cues: frozenset[str]  # "según X", "according to X": the speaker follows
    addressee_verbs: frozenset[str]  # "told CNN": the noun phrase after the verb is not the speaker
    gerunds: frozenset[str]  # "arguing that ...": the subject is the main clause's


_ADDRESSEE = frozenset(
    _words(
        """
    tell tells told telling informed asked asks
    """
    )
)


@cache
def lexicon(language: str | None) -> Lexicon:
    """The cue lexicon for `language` (ISO 639-1); the union of all languages when unknown."""
    tables = {
        "es": (_es_forms(_ES_AR + _ES_ER_IR) | set(_ES_IRREGULAR), set(_ES_PREP_CUES)),
        "en": (set(_EN_VERBS), set(_EN_PREP_CUES)),
        "fr": (_fr_forms(_FR_ER) | set(_FR_IRREGULAR), set(_FR_PREP_CUES)),
        "pt": (_pt_forms(_PT_AR, _PT_ER_IR) | set(_PT_IRREGULAR), set(_PT_PREP_CUES)),
        "de": (set(_DE_WORDS), set(_DE_PREP_CUES)),
        "it": (_it_forms(_IT_ARE) | set(_IT_IRREGULAR), set(_IT_PREP_CUES)),
    }
    if language in tables:
        verbs, preps = tables[language]
    else:
        verbs, preps = set(), set()
        for name, (v, p) in tables.items():
            verbs |= v - ({"so"} if name == "de" else set())  # German "so" is too common elsewhere
            preps |= p
    gerunds = {v for v in verbs if v.endswith(("ing", "ando", "iendo", "endo", "indo", "ant"))}
    return Lexicon(
        verbs=frozenset(verbs),
        prep_cues=frozenset(preps),
        addressee_verbs=_ADDRESSEE,
        gerunds=frozenset(gerunds),
    )


# --- closed classes (all languages together: they only steer noun-phrase boundaries) ---------

DETERMINERS = frozenset(
    _words(
        """
    the a an this that these those his her their its our my your el la los las un una unos unas este
    esta estos estas ese esa su sus le la les un une des ce cet cette ces son sa ses leur leurs du o a
    os as um uma uns umas seu sua seus suas este esta esse essa do da dos das der die das den dem des
    ein eine einen einem einer eines sein seine ihr ihre il lo gli i una uno suo sua suoi sue del della
    dei degli delle questo questa
    """
    )
)

PREPOSITIONS = frozenset(
    _words(
        """
    in on at to for from with by during after before about over under into via through per amid among
    since en a ante con de desde durante tras hacia hasta por para sobre entre al del sin à au aux dans
    devant lors pendant sur chez avec pour par après avant vers em no na nos nas ao aos à às pelo pela
    com sobre após perante im am bei vor nach mit gegenüber auf aus von zu zum zur vom über während nel
    nella negli alla alle al ai agli dal dalla con durante davanti presso
    """
    )
)

QUANTIFIERS = frozenset(
    _words(
        """
    one two three four five six seven eight nine ten another several some many most other both few uno
    una dos tres varios varias algunos algunas otro otra otros otras muchos plusieurs certains certaines
    autre autres deux trois vários várias alguns algumas outro outra outros outras dois duas três
    mehrere einige andere zwei drei alcuni alcune altro altra altri altre due tre
    """
    )
)

PRONOUNS = frozenset(
    _words(
        """
    he she they it we i you él ella ellos ellas il elle ils elles on ele ela eles elas er sie es lui lei
    egli ella loro
    """
    )
)

CONJUNCTIONS = frozenset(
    _words(
        """
    and but or so yet then also however meanwhile still y e pero o ni pues entonces además también
    sin_embargo et mais ou donc puis aussi mas ou então também porém und aber oder doch auch dann ma o
    poi anche però
    """
    )
)

COMPLEMENTIZERS = frozenset(
    _words(
        """
    that whether if because when while who which whom whose where as though although unless until que
    quien quienes cual cuando porque si donde como cuyo qui quand parce lorsque dont où comme si quem
    quando porque onde como se dass ob weil wenn als wer welche welcher der che chi quando perché se
    dove come cui
    """
    )
)

# Relative pronouns opening a clause after a comma, which the subject search steps over.
RELATIVES = frozenset(_words("which who whom whose que quien quienes qui lequel laquelle dont che cui welche welcher"))

AUXILIARIES = frozenset(
    _words(
        """
    has have had was were is are be been would will could should may might must did does do ha han había
    habían habría ha sido fue era es haya hubiera a ont avait avaient aurait est été sont était tem têm
    tinha tinham havia foi era é hat haben hatte hatten hätte ist sind war wurde wird ha hanno aveva
    avevano avrebbe è sono era stato stata
    """
    )
)

ADVERBS = frozenset(
    _words(
        """
    also later then once again previously repeatedly recently earlier still further instead however
    contrary following meanwhile ironically indeed moreover nevertheless furthermore today yesterday
    tonight now then often never always just even only already simply monday tuesday wednesday thursday
    friday saturday sunday morning afternoon evening night hoy ayer anoche mañana ahora luego entonces
    además también todavía ya nuevamente finalmente lunes martes miércoles jueves viernes sábado domingo
    tarde noche aujourd'hui aujourd’hui hier demain alors aussi encore ensuite enfin déjà lundi mardi
    mercredi jeudi vendredi samedi dimanche soir matin hoje ontem amanhã agora então também ainda já
    segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo heute gestern morgen
    nun dann auch noch bereits montag dienstag mittwoch donnerstag freitag samstag sonntag abend oggi
    ieri domani ora allora anche ancora già poi lunedì martedì mercoledì giovedì venerdì sabato domenica
    sera
    """
    )
)

TITLES = frozenset(
    _words(
        """
    mr mrs ms dr sen rep gov gen lt col maj sgt capt adm prof rev pres sec st atty president vice
    senator representative governor secretary minister prime chairman chairwoman chair general
    lieutenant colonel retired former candidate nominee sheriff mayor judge justice presidente ministro
    ministra portavoz secretario secretaria líder jefe jefa canciller sr sra srta don doña señor señora
    m mme mlle premier première monsieur madame président ministre herr frau bundeskanzler kanzler
    kanzlerin signor signora onorevole cpl const cst insp supt det coun cllr hon corporal constable
    sergeant inspector superintendent detective councillor councilor deputy chief lord sir dame
    """
    )
)

# words that may connect the parts of a proper name ("Luiz Inácio Lula da Silva", "Ursula von der Leyen")
NAME_CONNECTORS = frozenset(
    _words(
        """
    de del de_la da das do dos di van von der den bin ibn al el le la du y
    """
    )
)

ABBREVIATIONS = frozenset(
    _words(
        """
    mr mrs ms dr sen rep gov gen lt col maj sgt capt adm prof rev st jr sr sra srta dña jan feb mar apr
    jun jul aug sep sept oct nov dec no vs etc inc corp co ltd u.s u.k u.n e.u d.c p.m a.m cpl const cst
    insp supt det coun cllr hon pte pvt cmdr
    """
    )
)
